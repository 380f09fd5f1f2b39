# The S3-compatible server the blob store tests run against: moto_server, from moto[server] in a
# virtualenv of its own (Debian's PEP 668 forbids pip installs into the system Python).
# Sourced, not run:   source scripts/lib/s3-test-server.sh && ensure_s3_test_server
# Afterwards PAAS_TEST_MOTO_SERVER names the moto_server executable; PaasBlobsTests read it.

PAAS_MOTO_VENV=${PAAS_MOTO_VENV:-/var/tmp/paas-moto-venv}

# Installs moto[server] into $PAAS_MOTO_VENV unless that was done before, then exports
# PAAS_TEST_MOTO_SERVER. Idempotent; when already done it only checks two files.
ensure_s3_test_server() {
  local venv=$PAAS_MOTO_VENV
  local server=$venv/bin/moto_server
  # Written last, so that an interrupted install is redone rather than trusted.
  local ready=$venv/.paas-ready
  if [ ! -f "$ready" ] || [ ! -x "$server" ]; then
    # The Debian interpreter, which python3-venv belongs to; else whatever python3 there is.
    local python=/usr/bin/python3
    [ -x "$python" ] || python=$(command -v python3) || {
      printf 'error: no python3; install it as root (apt-get install python3)\n' >&2; return 1; }
    if ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
      [ "$(id -u)" = 0 ] || {
        printf 'error: python3-venv is missing; install it as root (apt-get install python3-venv)\n' >&2; return 1; }
      printf '%s\n' "-----> Installing python3-venv" >&2
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv; } \
        >/tmp/paas-apt-venv.log 2>&1 || {
        tail -20 /tmp/paas-apt-venv.log >&2
        printf 'error: apt-get install python3-venv failed (log: /tmp/paas-apt-venv.log)\n' >&2; return 1; }
    fi
    printf '%s\n' "-----> Installing moto[server] into $venv" >&2
    rm -rf "$venv"
    { "$python" -m venv "$venv" && "$venv/bin/pip" install -q 'moto[server]' \
        && "$venv/bin/python" -c 'import moto.server'; } >/tmp/paas-moto-install.log 2>&1 || {
      tail -20 /tmp/paas-moto-install.log >&2; rm -rf "$venv"
      printf 'error: installing moto[server] failed (log: /tmp/paas-moto-install.log)\n' >&2; return 1; }
    touch "$ready"
  fi
  export PAAS_TEST_MOTO_SERVER=$server
}
