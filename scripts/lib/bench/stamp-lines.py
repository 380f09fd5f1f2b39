"""Prefixes each line of stdin with the milliseconds since argv[1] (epoch ms) at which it arrived.

git shows remote output as it comes; lines may end in \r (progress) or \n.
"""
import sys
import time

started = int(sys.argv[1])
pending = b""
stream = sys.stdin.buffer
while True:
    chunk = stream.read1(65536) if hasattr(stream, "read1") else stream.read(1)
    if not chunk:
        break
    pending += chunk
    now = int(time.time() * 1000) - started
    *lines, pending = pending.replace(b"\r", b"\n").split(b"\n")
    for line in lines:
        if line.strip():
            sys.stdout.write("%d %s\n" % (now, line.decode("utf-8", "replace")))
    sys.stdout.flush()
if pending.strip():
    sys.stdout.write("%d %s\n" % (int(time.time() * 1000) - started, pending.decode("utf-8", "replace")))
