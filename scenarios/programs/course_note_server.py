# The course note's server, verbatim but for the port, which the harness
# chooses and passes in the environment (the note has PORT = 8080).
import os
import socket

HOST = ''
PORT = int(os.environ['PORT'])
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    s.bind((HOST, PORT))
    s.listen(1)
    print('Serving HTTP on port %s ...' % PORT)
    while True:
        conn, addr = s.accept()
        with conn:
            print('Connected by', addr)
            print(conn.recv(1024).decode())
            conn.sendall(b'Hello!')
