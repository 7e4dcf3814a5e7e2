# The chapter's first server: one socket, one connection, one answer, then it exits.
# Run: python3 one-shot.py   (PORT picks another port than 8080)
import os
import socket

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("localhost", int(os.environ.get("PORT", 8080))))
server.listen(1)
print(f"Serving one connection on http://localhost:{server.getsockname()[1]}/", flush=True)

connection, address = server.accept()
print("Connected by", address)
request = connection.recv(4096)  # one read: a request cut in two is cut here too
print(request.decode("latin-1"))
connection.sendall(
    b"HTTP/1.1 200 OK\r\n"
    b"Content-Type: text/html\r\n"
    b"Connection: close\r\n"
    b"\r\n"
    b"<html><body><h1>hello</h1></body></html>"
)
connection.close()
server.close()
