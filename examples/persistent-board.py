# The chapter's persistent board: every message is stored with the time it was posted, in a
# file, so the board shows the same messages after a restart.
# Run: python3 persistent-board.py   (MESSAGES_FILE picks the file; PORT another port than 8080)
# As in the chapter, a crash in the middle of a write can leave a torn line that breaks the next
# start, and nothing says the line reached the disk: the TypeScript twin's store fsyncs and
# recovers.
import json
import os
from datetime import datetime, timezone
from html import escape
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

FILE = os.environ.get("MESSAGES_FILE", "messages.jsonl")


def load():
    if not os.path.exists(FILE):
        return []
    with open(FILE, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


FORM = """<form method="POST">
<textarea name="message"></textarea>
<button type="submit">Save Message</button>
</form>"""


class BoardHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        items = "".join(
            f"<li>{escape(m['text'])} <small>{m['posted_at']}</small></li>" for m in load()
        )
        self.send_response(200)
        self.send_header("Content-type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(f"<h1>Message Board</h1><ul>{items}</ul>{FORM}".encode("utf-8"))

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        fields = parse_qs(self.rfile.read(length).decode("utf-8"))
        message = fields.get("message", [""])[0]
        if message.strip():
            record = {"text": message, "posted_at": datetime.now(timezone.utc).isoformat()}
            with open(FILE, "a", encoding="utf-8") as f:
                f.write(json.dumps(record) + "\n")
        self.send_response(303)
        self.send_header("Location", "/")
        self.end_headers()


server = HTTPServer(("", int(os.environ.get("PORT", 8080))), BoardHandler)
print(f"Serving on http://localhost:{server.server_address[1]}/", flush=True)
server.serve_forever()
