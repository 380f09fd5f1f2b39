#!/usr/bin/env python3
"""Static file server shipped into slugs by the static buildpack.

Serves <app>/public when it exists, else <app> (this file is
<app>/.paas/static/server.py), on 0.0.0.0:$PORT. Paths with a component that
starts with "." are hidden (404) and directories have no listings. One log
line per request on stdout. SIGTERM stops it with exit status 0.
"""

import http.server
import os
import signal
import sys
import urllib.parse

APP_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PUBLIC_DIR = os.path.join(APP_DIR, "public")
DOC_ROOT = PUBLIC_DIR if os.path.isdir(PUBLIC_DIR) else APP_DIR


class Handler(http.server.SimpleHTTPRequestHandler):
    server_version = "paas-static/1"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    timeout = 60  # idle keep-alive connections

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=DOC_ROOT, **kwargs)

    def address_string(self):
        # The client's address as is: no reverse DNS lookup.
        return self.client_address[0]

    def send_head(self):
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        if any(part.startswith(".") for part in path.split("/") if part):
            self.send_error(404, "File not found")
            return None
        return super().send_head()

    def list_directory(self, path):
        self.send_error(404, "File not found")
        return None

    def log_request(self, code="-", size="-"):
        if isinstance(code, http.HTTPStatus):
            code = code.value
        sys.stdout.write('%s "%s" %s %s\n' % (self.address_string(), self.requestline, code, size))
        sys.stdout.flush()

    def log_error(self, format, *args):
        # The request line logged by log_request says enough.
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def stop(signum, frame):
    raise SystemExit(0)


def main():
    port = int(os.environ.get("PORT", "5000"))
    signal.signal(signal.SIGTERM, stop)
    server = Server(("0.0.0.0", port), Handler)
    print("Serving %s on 0.0.0.0:%d" % (DOC_ROOT, port), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        print("Stopped", flush=True)


if __name__ == "__main__":
    main()
