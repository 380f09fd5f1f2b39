# Push-to-live and process start latency on a `paasd up` of its own (data dir, bridge, ports).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/platform.sh"
cd "$(repo_root)"
runs=${RUNS:-5}

start_bench_platform
work=$(mktemp -d /tmp/paas-bench-app.XXXXXX)
trap 'stop_bench_platform; rm -rf "$work"' EXIT

paas apps:create bench >/dev/null
cp -r buildpacks/test/fixtures/static-public/. "$work/"
git -C "$work" init -q -b main && git -C "$work" add -A && git -C "$work" -c user.email=b@b -c user.name=bench commit -qm one
remote="http://paas:$(cat "$BENCH_DATA/admin-token")@$BENCH_API/bench.git"
say "-----> First push (cold: builds the cache)"
git -C "$work" push -q "$remote" main 2>/dev/null

say "-----> Push to live, warm cache ($runs runs)"
pushes=()
for i in $(seq "$runs"); do
  echo "<h1>run $i</h1>" >"$work/public/index.html"
  git -C "$work" -c user.email=b@b -c user.name=bench commit -qam "run $i"
  started=$(now_ms)
  git -C "$work" push -q "$remote" main 2>/dev/null
  # The push returns once the new web process accepts connections; check it serves the new code.
  ip=$(paas ps -a bench --json | python3 -c 'import json,sys; print([p["ip"] for p in json.load(sys.stdin) if p["type"]=="web"][0])')
  until curl -fsS -m 2 "http://$ip:5000/" | grep -q "run $i"; do sleep 0.05; done
  pushes+=($(( $(now_ms) - started )))
done

say "-----> Process start latency: runner start request -> \$PORT accepting ($runs runs)"
runner="http://$BENCH_RUNNER"
host_token=$(cat "$BENCH_DATA/host-token")
release=$(paas releases -a bench --json | python3 -c 'import json,sys; print(json.dumps([r for r in json.load(sys.stdin) if r["current"]][0]))')
starts=()
for i in $(seq "$runs"); do
  body=$(python3 - "$release" "$i" <<'PY'
import json, sys
release, index = json.loads(sys.argv[1]), 100 + int(sys.argv[2])
print(json.dumps({"app": "bench", "release": release["version"], "slug_id": release["slug_id"], "type": "web", "index": index,
                  "process_types": release["process_types"], "env": {**release["config"], "PORT": "5000"}}))
PY
)
  id="bench.v$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["version"])' "$release").web.$((100 + i))"
  started=$(now_ms)
  curl -fsS -o /dev/null -H "Authorization: Bearer $host_token" -H 'Content-Type: application/json' -d "$body" "$runner/v1/processes"
  curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $host_token" "$runner/v1/processes/$id/wait-listening?timeout=60"
  starts+=($(( $(now_ms) - started )))
  curl -fsS -o /dev/null -X DELETE -H "Authorization: Bearer $host_token" "$runner/v1/processes/$id?grace=1"
done

printf '\n%-40s %10s   %s\n' "measure" "median" "runs (ms)"
printf '%-40s %8s ms   %s\n' "push to live (static app, warm cache)" "$(median "${pushes[@]}")" "${pushes[*]}"
printf '%-40s %8s ms   %s\n' "process start -> port accepting" "$(median "${starts[@]}")" "${starts[*]}"
