"""A server that is hard to stop: it ignores SIGTERM, leaves a child in a
session of its own that ignores it too, and writes megabytes to stdout
and stderr for every connection it accepts.

Usage: stubborn.py PORT (tests/e2e/test_program.c)."""
import os
import signal
import socket
import sys
import time

signal.signal(signal.SIGTERM, signal.SIG_IGN)
if os.fork() == 0:
    os.setsid()
    while True:
        time.sleep(60)
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    s.bind(("127.0.0.1", int(sys.argv[1])))
    s.listen(8)
    while True:
        conn, _ = s.accept()
        sys.stdout.write("o" * (1 << 20) + "\n")
        sys.stderr.write("e" * (1 << 20) + "\n")
        sys.stdout.flush()
