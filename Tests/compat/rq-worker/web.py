"""Enqueues rq jobs on the Redis add-on and reports their results; the worker process runs them."""
import http.server
import json
import os
import socketserver
import urllib.parse

from redis import Redis
from rq import Queue
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.worker import Worker

import tasks

redis = Redis.from_url(os.environ["REDIS_URL"])
queue = Queue("compat", connection=redis)


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        if url.path == "/enqueue":
            job = queue.enqueue(tasks.add, int(query["a"]), int(query["b"]))
            self.reply(200, {"id": job.id})
        elif url.path == "/result":
            try:
                job = Job.fetch(query["id"], connection=redis)
            except NoSuchJobError:
                return self.reply(404, {"error": "no such job"})
            self.reply(200, {"status": job.get_status(refresh=True).value, "result": job.return_value()})
        elif url.path == "/workers":
            # rq learns each worker's address with CLIENT SETNAME and CLIENT LIST; a Redis that
            # refuses them leaves it "unknown" (and older rq versions die at start).
            self.reply(200, {w.name: w.ip_address for w in Worker.all(connection=redis)})
        else:
            self.reply(404, {"error": "not found"})

    def reply(self, status, body):
        data = (json.dumps(body) + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


socketserver.TCPServer.allow_reuse_address = True
with socketserver.TCPServer(("0.0.0.0", int(os.environ["PORT"])), Handler) as server:
    server.serve_forever()
