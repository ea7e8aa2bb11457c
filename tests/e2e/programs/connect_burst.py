"""Opens COUNT connections to HOST:PORT at once (non-blocking connect()),
sends 100 bytes on each that connects, then holds them all open.

Usage: connect_burst.py HOST PORT COUNT (tests/e2e/test_program.c)."""
import select
import socket
import sys
import time

host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
pending = []
for _ in range(count):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setblocking(False)
    s.connect_ex((host, port))
    pending.append(s)
print("connecting", count, flush=True)
sent = 0
while pending:
    _, writable, _ = select.select([], pending, [], 5)
    for s in writable:
        if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
            s.send(b"x" * 100)
            sent += 1
        pending.remove(s)
print("sent on", sent, flush=True)
while True:
    time.sleep(60)
