"""Accepts connections and reads each slowly: 1024 bytes per recv(), one
recv() per connection every 50 ms, never more.

Usage: slow_reader.py PORT (tests/e2e/test_program.c)."""
import socket
import sys
import time

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    s.bind(("127.0.0.1", int(sys.argv[1])))
    s.listen(8)
    s.setblocking(False)
    conns = []
    while True:
        try:
            conn, _ = s.accept()
            conn.setblocking(False)
            conns.append(conn)
        except BlockingIOError:
            pass
        for conn in conns:
            try:
                conn.recv(1024)
            except BlockingIOError:
                pass
        time.sleep(0.05)
