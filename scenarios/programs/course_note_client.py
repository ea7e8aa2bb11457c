# The course note's client, verbatim but for its host and port, which the
# harness passes in the environment (the note has www.baidu.com and 80).
import os
import socket

host = os.environ['HARNESS_HOST']
port = int(os.environ['PORT'])

ip = socket.gethostbyname(host)

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    s.connect((ip, port))
    s.sendall(b'GET / HTTP/1.1\r\n\r\n')
    print(s.recv(1024).decode())
