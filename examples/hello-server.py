# The chapter's second server: http.server does the HTTP, the handler says hello.
# Run: python3 hello-server.py   (PORT picks another port than 8080)
import os
from http.server import BaseHTTPRequestHandler, HTTPServer


class MyHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-type", "text/html")
        self.end_headers()
        self.wfile.write(bytes("<html><body><h1>hello</h1></body></html>", "utf-8"))


server = HTTPServer(("", int(os.environ.get("PORT", 8080))), MyHandler)
print(f"Serving on http://localhost:{server.server_address[1]}/", flush=True)
server.serve_forever()
