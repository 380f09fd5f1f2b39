# shellcheck shell=bash
# Helpers shared by the built-in buildpacks, which ship together: each finds
# this file as ../lib/common.sh from its own directory (the slugbuilder mounts
# the whole buildpacks/ directory).

# topic TEXT: a "-----> " heading on stdout.
topic() {
  printf -- '-----> %s\n' "$*"
}

# info TEXT...: one 7-space indented detail line per argument on stdout.
info() {
  printf '       %s\n' "$@"
}

# indent: indents a command's output as detail lines, line by line.
indent() {
  sed -u 's/^/       /'
}

# warn TEXT...: a warning block on stderr.
warn() {
  printf ' !     %s\n' "$@" >&2
}

# fail TEXT...: an error block on stderr, then exit 1. Say what to do.
fail() {
  printf ' !     %s\n' "$@" >&2
  exit 1
}

# export_env_dir ENV_DIR: exports the app's config vars (one file per
# variable) into this process so that tools honour them (PIP_INDEX_URL,
# NPM_CONFIG_REGISTRY, GOPROXY, ...). Variables that would change how the
# build itself runs are left out. Values are never printed.
export_env_dir() {
  local env_dir=${1:-}
  local blocklist='^(PATH|HOME|SHELL|IFS|ENV|BASH_ENV|PWD|OLDPWD|GIT_DIR|CPATH|CPPATH|LD_PRELOAD|LD_LIBRARY_PATH|LIBRARY_PATH|PYTHONHOME|PYTHONPATH|VIRTUAL_ENV|GOROOT|BUILD_DIR|CACHE_DIR|ENV_DIR|BUILDPACK_.*|STACK)$'
  local file name
  [ -n "$env_dir" ] && [ -d "$env_dir" ] || return 0
  for file in "$env_dir"/*; do
    [ -f "$file" ] || continue
    name=${file##*/}
    [[ $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || continue
    [[ $name =~ $blocklist ]] && continue
    export "$name=$(cat -- "$file")"
  done
}

# add_export LINE: records a shell line (normally "export NAME=value") for the
# buildpacks that run after this one, in the file named by
# BUILDPACK_EXPORT_FILE. Without that variable it does nothing.
add_export() {
  [ -n "${BUILDPACK_EXPORT_FILE:-}" ] || return 0
  printf '%s\n' "$1" >>"$BUILDPACK_EXPORT_FILE"
}

# export_path_line DIR: an export line that puts DIR first on PATH.
export_path_line() {
  # shellcheck disable=SC2016 # $PATH is for the shell that sources the line.
  printf 'export PATH=%q:"$PATH"' "$1"
}

# absolute_dir DIR: prints DIR as an absolute path (it must exist).
absolute_dir() {
  (cd -- "$1" && pwd -P)
}

# usage_check COUNT "USAGE" ARGS...: exits 2 with USAGE unless at least COUNT
# arguments were given.
usage_check() {
  local want=$1 usage=$2
  shift 2
  if [ "$#" -lt "$want" ]; then
    printf 'usage: %s\n' "$usage" >&2
    exit 2
  fi
}
