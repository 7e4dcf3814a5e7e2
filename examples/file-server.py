# The chapter's file server: do_GET reads the file the path names and sends it.
# Run: python3 file-server.py   (serves ./site; PORT picks another port than 8080)
# As in the chapter, nothing stops "/../../etc/passwd": the TypeScript twin refuses it.
import mimetypes
import os
from http.server import BaseHTTPRequestHandler, HTTPServer

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "site")


class FileHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        name = self.path.split("?")[0][1:] or "index.html"
        try:
            with open(os.path.join(ROOT, name), "rb") as f:
                body = f.read()
        except OSError:
            self.send_error(404, "File not found")
            return
        self.send_response(200)
        self.send_header("Content-type", mimetypes.guess_type(name)[0] or "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


server = HTTPServer(("", int(os.environ.get("PORT", 8080))), FileHandler)
print(f"Serving {ROOT} on http://localhost:{server.server_address[1]}/", flush=True)
server.serve_forever()
