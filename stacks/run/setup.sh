#!/bin/bash
# Runs inside the run stack's chroot after its packages are installed (as root).
# The build stack is a copy of the run stack, so everything here holds there too.
set -euo pipefail

# The unprivileged user every app process runs as (stacks/README.md); HOME is the slug mount.
if ! getent group app >/dev/null; then groupadd --gid 10000 app; fi
if ! getent passwd app >/dev/null; then
  useradd --uid 10000 --gid 10000 --home-dir /app --no-create-home --shell /bin/bash app
fi
mkdir -p /app
chown 10000:10000 /app
chmod 0755 /app
