# The chapter's message board: do_GET shows the messages and a form, do_POST reads the form
# with parse_qs, keeps the message in memory and sends the browser back to the board.
# Run: python3 board.py   (PORT picks another port than 8080)
# As in the chapter, messages are put into the page as they are (a stored XSS hole), and they
# are gone when the program stops. The TypeScript twin escapes them.
import os
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

messages = []

FORM = """<form method="POST">
<textarea name="message"></textarea>
<button type="submit">Save Message</button>
</form>"""


class BoardHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        items = "".join(f"<li>{m}</li>" for m in messages)
        self.send_response(200)
        self.send_header("Content-type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(f"<h1>Message Board</h1><ul>{items}</ul>{FORM}".encode("utf-8"))

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        fields = parse_qs(self.rfile.read(length).decode("utf-8"))
        message = fields.get("message", [""])[0]
        if message.strip():
            messages.append(message)
        self.send_response(303)
        self.send_header("Location", "/")
        self.end_headers()


server = HTTPServer(("", int(os.environ.get("PORT", 8080))), BoardHandler)
print(f"Serving on http://localhost:{server.server_address[1]}/", flush=True)
server.serve_forever()
