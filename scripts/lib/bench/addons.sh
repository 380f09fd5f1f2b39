# `paas addons:add mysql` -> the app serving with the new DATABASE_URL, on a `paasd up` of its own.
# The first add starts the managed MariaDB (cold); the median is over the adds after it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/platform.sh"
cd "$(repo_root)"
runs=${RUNS:-5}

start_bench_platform
work=$(mktemp -d /tmp/paas-bench-app.XXXXXX)
trap 'stop_bench_platform; rm -rf "$work"' EXIT

paas apps:create bench >/dev/null
# A stdlib-only app that answers with the database its DATABASE_URL names.
cat >"$work/Procfile" <<'PROCFILE'
web: python3 server.py
PROCFILE
cat >"$work/server.py" <<'PY'
import os, socketserver, http.server, urllib.parse

class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = (urllib.parse.urlparse(os.environ.get("DATABASE_URL", "")).path[1:] or "-").encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

socketserver.TCPServer.allow_reuse_address = True
with socketserver.TCPServer(("0.0.0.0", int(os.environ["PORT"])), Handler) as server:
    server.serve_forever()
PY
git -C "$work" init -q -b main && git -C "$work" add -A && git -C "$work" -c user.email=b@b -c user.name=bench commit -qm one
remote="http://paas:$(cat "$BENCH_DATA/admin-token")@$BENCH_API/bench.git"
say "-----> Pushing the app"
git -C "$work" push -q "$remote" main 2>/dev/null

# Adds add-on `name`, then waits until the app's web process answers with its database.
add_and_wait() {
  local name=$1 started ip
  started=$(now_ms)
  paas addons:add mysql --as "$name" -a bench >/dev/null 2>&1
  until ip=$(paas ps -a bench --json | python3 -c 'import json,sys; print([p["ip"] for p in json.load(sys.stdin) if p["type"]=="web" and p["state"]=="up"][0])' 2>/dev/null) \
    && curl -fsS -m 2 "http://$ip:5000/" 2>/dev/null | grep -qx "${name//-/_}"; do
    sleep 0.05
  done
  echo $(( $(now_ms) - started ))
}

say "-----> addons:add mysql -> serving with DATABASE_URL (1 cold + $runs runs)"
cold=$(add_and_wait bench-db-0)
paas addons:remove bench-db-0 -a bench --confirm bench >/dev/null 2>&1
adds=()
for i in $(seq "$runs"); do
  adds+=($(add_and_wait "bench-db-$i"))
  paas addons:remove "bench-db-$i" -a bench --confirm bench >/dev/null 2>&1
done

printf '\n%-50s %10s   %s\n' "measure" "median" "runs (ms)"
printf '%-50s %8s ms   %s\n' "addons:add mysql, first (starts MariaDB)" "$cold" "$cold"
printf '%-50s %8s ms   %s\n' "addons:add mysql -> serving with DATABASE_URL" "$(median "${adds[@]}")" "${adds[*]}"
