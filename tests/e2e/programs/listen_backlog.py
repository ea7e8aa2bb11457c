"""Listens on 127.0.0.1:PORT with listen(BACKLOG) and never accepts; with
RCVBUF, sets SO_RCVBUF to it first.

Usage: listen_backlog.py PORT BACKLOG [RCVBUF] (tests/e2e/test_program.c)."""
import socket
import sys
import time

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    if len(sys.argv) > 3:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, int(sys.argv[3]))
    s.bind(("127.0.0.1", int(sys.argv[1])))
    s.listen(int(sys.argv[2]))
    print("listening with backlog", sys.argv[2])
    while True:
        time.sleep(60)
