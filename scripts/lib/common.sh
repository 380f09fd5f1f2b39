# Shared by scripts/up and scripts/test: finding the repo, installing what is missing, building.
# Sourced, not run.

repo_root() { cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd; }

say() { printf '%s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# The Debian packages the platform itself needs to build and run: PostgreSQL for the controller,
# git for the git server, libarchive for slugs, runc for containers, debootstrap for stacks,
# iproute2 and nftables for the containers' network, bind9-dnsutils (dig) for the discovery tests,
# MariaDB and Redis for the managed add-on servers (PostgreSQL add-ons reuse postgresql-15).
PAAS_DEBIAN_PACKAGES=(postgresql-15 git ca-certificates curl pkg-config libarchive-dev runc debootstrap iproute2 nftables
  bind9-dnsutils mariadb-server mariadb-client redis-server)

# Installs the packages in "$@" that are not installed yet. Refuses loudly when it cannot.
install_missing_packages() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || die "missing Debian packages: ${missing[*]}; install them as root (apt-get install ${missing[*]})"
  say "-----> Installing ${missing[*]}"
  # Packages like postgresql-15, mariadb-server and redis-server start a system-wide server from their install script; the platform
  # runs its own clusters, so keep services from starting during the install (policy-rc.d, exit 101).
  local policy=/usr/sbin/policy-rc.d created_policy=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && created_policy=1
  fi
  local status=0
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
    >/tmp/paas-apt.log 2>&1 || status=$?
  [ -n "$created_policy" ] && rm -f "$policy"
  [ $status -eq 0 ] || { tail -20 /tmp/paas-apt.log >&2; die "apt-get install ${missing[*]} failed (log: /tmp/paas-apt.log)"; }
}

# Swift must be on PATH (the toolchain is not a Debian package).
require_swift() {
  command -v swift >/dev/null || [ ! -x /opt/swift/usr/bin/swift ] || export PATH=/opt/swift/usr/bin:$PATH
  command -v swift >/dev/null || die "swift is not on PATH: install the Swift 6 toolchain (https://www.swift.org/install/linux/)"
}
