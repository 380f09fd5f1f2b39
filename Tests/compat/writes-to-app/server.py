"""Tries to write into the slug (/app, which is $HOME) and into /tmp, logs what happened, and
serves what it managed to keep in /tmp. No dependencies: the Procfile buildpack builds it."""
import http.server
import os
import socketserver

for path in ("/app/cache.txt", os.path.join(os.environ["HOME"], ".cache", "state")):
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as handle:
            handle.write("state\n")
        print("wrote %s" % path, flush=True)
    except OSError as error:
        print("cannot write %s: %s" % (path, error.strerror), flush=True)

with open("/tmp/state", "w") as handle:
    handle.write("kept in /tmp\n")


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open("/tmp/state", "rb") as handle:
            data = handle.read()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


socketserver.TCPServer.allow_reuse_address = True
with socketserver.TCPServer(("0.0.0.0", int(os.environ["PORT"])), Handler) as server:
    server.serve_forever()
