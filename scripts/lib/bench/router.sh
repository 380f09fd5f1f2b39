#!/usr/bin/env bash
# Benchmark: paas router vs nginx as reverse proxies in front of the same nginx static backend.
# Prints requests/s and p99 latency for both (wrk) and the ratios. Not a test; run by hand:
#   scripts/lib/bench/router.sh [wrk duration, default 10s] [connections, default 64]
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/../common.sh"
root="$(repo_root)"
duration="${1:-10s}"
connections="${2:-64}"

command -v wrk >/dev/null && command -v nginx >/dev/null || install_missing_packages wrk nginx-light
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"

say "-----> Building paasd (release)"
(cd "$root" && swift build -c release --product paasd >&2)
paasd="$root/.build/release/paasd"

work="$(mktemp -d /tmp/paas-bench-router.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

backend_port=18081 nginx_port=18082 router_port=18083 admin_port=18084

mkdir -p "$work/backend" "$work/proxy"
cat >"$work/backend/nginx.conf" <<CONF
worker_processes 1;
pid $work/backend/nginx.pid;
error_log $work/backend/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000;
  server {
    listen 127.0.0.1:$backend_port;
    location / { default_type text/plain; return 200 "ok\n"; }
  }
}
CONF
cat >"$work/proxy/nginx.conf" <<CONF
worker_processes auto;
pid $work/proxy/nginx.pid;
error_log $work/proxy/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000;
  upstream app { server 127.0.0.1:$backend_port; keepalive 128; }
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
    }
  }
}
CONF
cat >"$work/routes.json" <<JSON
{"version": 1, "default_domain": "localhost", "certificates": [],
 "apps": [{"app": "bench", "domains": [], "redirect_https": false,
           "backends": [{"process": "web.1", "host": "127.0.0.1", "port": $backend_port}]}]}
JSON

"$nginx_bin" -p "$work/backend" -c "$work/backend/nginx.conf" -g 'daemon off;' & pids+=($!)
"$nginx_bin" -p "$work/proxy" -c "$work/proxy/nginx.conf" -g 'daemon off;' & pids+=($!)
LOG_LEVEL=warning "$paasd" router --host 127.0.0.1 --http-port "$router_port" --https-port 0 \
  --admin-listen "127.0.0.1:$admin_port" --routes "$work/routes.json" & pids+=($!)

for port in $backend_port $nginx_port $router_port; do
  for _ in $(seq 100); do curl -fsS -o /dev/null -H 'Host: bench.localhost' "http://127.0.0.1:$port/" && break; sleep 0.1; done
  curl -fsS -o /dev/null -H 'Host: bench.localhost' "http://127.0.0.1:$port/" || die "nothing answers on port $port"
done

# wrk's latency table: "99%  1.23ms" -> microseconds.
p99_us() { awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us/, "", v); print v } else if (v ~ /ms$/) { sub(/ms/, "", v); print v * 1000 } else if (v ~ /s$/) { sub(/s/, "", v); print v * 1000000 } }'; }
rps() { awk '/^Requests\/sec:/ { print $2 }'; }

run_wrk() {
  local name="$1" port="$2" out="$work/$1.wrk"
  wrk -t2 -c"$connections" -d2s -H 'Host: bench.localhost' "http://127.0.0.1:$port/" >/dev/null  # warm-up
  wrk -t2 -c"$connections" -d"$duration" --latency -H 'Host: bench.localhost' "http://127.0.0.1:$port/" >"$out"
  grep -q "Non-2xx" "$out" && say "warning: $name answered non-2xx responses"
  echo "$(rps <"$out") $(p99_us <"$out")"
}

say "-----> wrk -t2 -c$connections -d$duration: nginx"
read -r nginx_rps nginx_p99 <<<"$(run_wrk nginx $nginx_port)"
say "-----> wrk -t2 -c$connections -d$duration: paas router"
read -r router_rps router_p99 <<<"$(run_wrk router $router_port)"

printf '%-12s %12s %12s\n' PROXY REQ/S P99_US
printf '%-12s %12s %12s\n' nginx "$nginx_rps" "$nginx_p99"
printf '%-12s %12s %12s\n' paas-router "$router_rps" "$router_p99"
awk -v a="$router_rps" -v b="$nginx_rps" -v c="$router_p99" -v d="$nginx_p99" \
  'BEGIN { printf "router/nginx req/s: %.2f (goal >= 1.00)   router/nginx p99: %.2f (goal <= 1.20)\n", a / b, c / d }'
