# Push-to-live of a small Python app (Flask + gunicorn from PyPI) and of a static app, side by
# side, on a `paasd up` of its own (data dir, bridge, ports); then process start latency.
#
# For each app: a first push (cold: empty build cache), then RUNS warm pushes of a one-line
# change. "push" is `git push` start -> push returned; "live" is `git push` start -> the router
# serves the new code. Next to them: when each stage of the build began (from the push output
# as it arrived) and the stage durations the platform reports itself (its `Build took` and
# `Released … in` lines).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/platform.sh"
cd "$(repo_root)"
runs=${RUNS:-5}
bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

start_bench_platform
work=$(mktemp -d /tmp/paas-bench-app.XXXXXX)
trap 'stop_bench_platform; rm -rf "$work"' EXIT
remote_for() { echo "http://paas:$(cat "$BENCH_DATA/admin-token")@$BENCH_API/$1.git"; }

# A small Flask app served by gunicorn; the one-line change edits the greeting.
make_python_app() {
  mkdir -p "$1"
  printf 'flask==3.0.3\ngunicorn==23.0.0\n' >"$1/requirements.txt"
  printf 'web: gunicorn --bind 0.0.0.0:$PORT --workers 1 app:app\n' >"$1/Procfile"
  python_change "$1" cold
}
python_change() {
  cat >"$1/app.py" <<PY
from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return "<h1>$2</h1>"
PY
}
make_static_app() { cp -r buildpacks/test/fixtures/static-public/. "$1/"; static_change "$1" cold; }
static_change() { echo "<h1>$2</h1>" >"$1/public/index.html"; }

# bench_app NAME KIND: creates the app, pushes it cold, then RUNS warm pushes. Appends
# "NAME push|live|stage:<heading>|platform:<stage> ms" lines to $work/results.
bench_app() {
  local name=$1 kind=$2 dir="$work/$1"
  # Outside any git work tree: apps:create would add a 'paas' remote to the repository it runs in.
  (cd "$work" && paas apps:create "$name" >/dev/null)
  "make_${kind}_app" "$dir"
  git -C "$dir" init -q -b main && git -C "$dir" add -A && git -C "$dir" -c user.email=b@b -c user.name=bench commit -qm cold
  for i in cold $(seq "$runs"); do
    local marker=cold
    if [ "$i" = cold ]; then
      say "-----> $name: first push (cold: empty build cache)"
    else
      marker="run $i"
      "${kind}_change" "$dir" "$marker"
      git -C "$dir" -c user.email=b@b -c user.name=bench commit -qam "run $i"
    fi
    local started log="$work/$name-$i.log"
    started=$(now_ms)
    git -C "$dir" push "$(remote_for "$name")" main 2>&1 | python3 -u "$bench_dir/stamp-lines.py" "$started" >"$log" ||
      { cat "$log" >&2; die "the push of $name failed"; }
    local pushed=$(($(now_ms) - started))
    until curl -fsS -m 2 -H "Host: $name.localhost" "http://127.0.0.1:8091/" 2>/dev/null | grep -q "<h1>$marker</h1>"; do sleep 0.02; done
    local live=$(($(now_ms) - started))
    say "       $i: push ${pushed} ms, live ${live} ms"
    [ "$i" = cold ] && { cold_push[$name]=$pushed; cold_live[$name]=$live; continue; }
    python3 "$bench_dir/push-stages.py" "$name" "$pushed" "$live" <"$log" >>"$work/results"
  done
}

declare -A cold_push cold_live
: >"$work/results"
bench_app bench-py python
bench_app bench-static static
printf '\nfirst push (cold): python push %s ms, live %s ms; static push %s ms, live %s ms\n' \
  "${cold_push[bench-py]}" "${cold_live[bench-py]}" "${cold_push[bench-static]}" "${cold_live[bench-static]}"
python3 "$bench_dir/stage-table.py" bench-py bench-static <"$work/results"

say "-----> Process start latency: runner start request -> \$PORT accepting ($runs runs)"
runner="http://$BENCH_RUNNER"
host_token=$(cat "$BENCH_DATA/host-token")
release=$(paas releases -a bench-static --json | python3 -c 'import json,sys; print(json.dumps([r for r in json.load(sys.stdin) if r["current"]][0]))')
starts=()
for i in $(seq "$runs"); do
  body=$(python3 - "$release" "$i" <<'PY'
import json, sys
release, index = json.loads(sys.argv[1]), 100 + int(sys.argv[2])
print(json.dumps({"app": "bench-static", "release": release["version"], "slug_id": release["slug_id"], "type": "web", "index": index,
                  "process_types": release["process_types"], "env": {**release["config"], "PORT": "5000"}}))
PY
)
  id="bench-static.v$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["version"])' "$release").web.$((100 + i))"
  started=$(now_ms)
  curl -fsS -o /dev/null -H "Authorization: Bearer $host_token" -H 'Content-Type: application/json' -d "$body" "$runner/v1/processes" ||
    { say "       the runner refused the start request; no process start figures"; break; }
  curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $host_token" "$runner/v1/processes/$id/wait-listening?timeout=60"
  starts+=($(( $(now_ms) - started )))
  curl -fsS -o /dev/null -X DELETE -H "Authorization: Bearer $host_token" "$runner/v1/processes/$id?grace=1"
done

[ "${#starts[@]}" -eq 0 ] ||
  printf '%-44s %8s ms   %s\n' "process start -> port accepting" "$(median "${starts[@]}")" "${starts[*]}"
