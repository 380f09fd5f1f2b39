# A `paasd up` for benchmarks: release build, its own data dir, bridge, subnet and ports.
# Sourced after common.sh. Sets BENCH_DATA, BENCH_API, BENCH_RUNNER and puts `paas` on PATH.
# BENCH_CONFIGURATION=debug measures the debug binaries instead (no release build: quicker on a
# busy machine; the platform's own work is a small part of a push). BENCH_STACKS=DIR takes the
# stacks from DIR (built there if missing), e.g. the tests' /var/tmp/paas-stacks-test.
# To compare with another build (say, before a change): BENCH_BIN=DIR runs the paasd and paas
# in DIR without building, BENCH_SOURCE=CHECKOUT takes buildpacks/ and slug-runner/ from there.

now_ms() { date +%s%3N; }

# The median of the numbers in "$@".
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

start_bench_platform() {
  install_missing_packages "${PAAS_DEBIAN_PACKAGES[@]}"
  require_swift
  local configuration=${BENCH_CONFIGURATION:-release} bin stacks source=${BENCH_SOURCE:-$(pwd)}
  if [ -n "${BENCH_BIN:-}" ]; then
    bin=$BENCH_BIN
  else
    say "-----> Building $configuration binaries"
    swift build -c "$configuration" --product paasd >&2
    swift build -c "$configuration" --product paas >&2
    bin=$(swift build -c "$configuration" --show-bin-path)
  fi
  export PATH="$bin:$PATH"
  stacks=${BENCH_STACKS:-/var/tmp/paas-bench-stacks}
  mkdir -p "$stacks"
  local run_stack build_stack
  run_stack=$(stacks/build-stack run "$stacks")
  build_stack=$(stacks/build-stack build "$stacks")
  BENCH_DATA=$(mktemp -d /var/tmp/paas-bench-data.XXXXXX)
  BENCH_API=127.0.0.1:5191
  BENCH_RUNNER=127.0.0.1:5291
  "$bin/paasd" up --data-dir "$BENCH_DATA" --api-listen "$BENCH_API" --runner-listen "$BENCH_RUNNER" \
    --bridge pbench0 --subnet 10.214.77.0/24 --http-port 8091 \
    --build-stack "$build_stack" --buildpacks "$source/buildpacks" \
    --run-stack "$run_stack" --slug-runner "$source/slug-runner/slug-runner" >"$BENCH_DATA/paasd.log" 2>&1 &
  BENCH_PID=$!
  for _ in $(seq 300); do
    curl -fsS -m 1 "http://$BENCH_API/healthz" >/dev/null 2>&1 && break
    kill -0 "$BENCH_PID" 2>/dev/null || { tail -20 "$BENCH_DATA/paasd.log" >&2; die "paasd did not start"; }
    sleep 0.1
  done
  export PAAS_API_URL="http://$BENCH_API" PAAS_TOKEN
  PAAS_TOKEN=$(cat "$BENCH_DATA/admin-token")
}

stop_bench_platform() {
  [ -n "${BENCH_PID:-}" ] || return 0
  kill -TERM "$BENCH_PID" 2>/dev/null || true
  wait "$BENCH_PID" 2>/dev/null || true
  # paasd keeps its bridge for a restart; a benchmark's is removed with it.
  nft delete table ip pbench0 2>/dev/null || true
  ip link delete pbench0 2>/dev/null || true
  rm -rf "$BENCH_DATA"
}
