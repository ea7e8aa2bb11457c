"""Listens on PORT twice, on 127.0.0.1 and on ::1 (IPv6 only), each with
listen(BACKLOG), and never accepts: a server found in both families.

Usage: two_listeners.py PORT BACKLOG (tests/e2e/test_program.c)."""
import socket
import sys
import time

port, backlog = int(sys.argv[1]), int(sys.argv[2])
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as four, socket.socket(
    socket.AF_INET6, socket.SOCK_STREAM
) as six:
    four.bind(("127.0.0.1", port))
    six.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    six.bind(("::1", port))
    four.listen(backlog)
    six.listen(backlog)
    print("listening twice with backlog", backlog, flush=True)
    while True:
        time.sleep(60)
