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

# The platform's reserved directory in the slug: each built-in buildpack keeps
# the files it ships (servers, programs) in .paas/<buildpack>/, which it clears
# and owns, so that nothing in the app's tree can collide with them.
reserved_dir_name=.paas

# own_dir BUILD_DIR NAME: makes BUILD_DIR/.paas/NAME an empty directory of
# this buildpack's. A .paas that is not a directory (a file, a symlink) and an
# earlier .paas/NAME are replaced; the rest of an app's .paas/ is left alone.
own_dir() {
  local reserved=$1/$reserved_dir_name
  if [ -L "$reserved" ] || { [ -e "$reserved" ] && [ ! -d "$reserved" ]; }; then
    info "Replacing the $reserved_dir_name file found in the app's source" \
      "($reserved_dir_name/ is reserved for the buildpacks' own files)"
    rm -f -- "$reserved"
  fi
  mkdir -p -- "$reserved"
  rm -rf -- "${reserved:?}/$2"
  mkdir -- "$reserved/$2"
}

# write_profile_script BUILD_DIR NAME: adds stdin (POSIX sh) to
# BUILD_DIR/.profile.d/NAME.sh as this buildpack's block. .profile.d is
# shared: the app's own scripts stay, a script of the same name keeps its
# lines and gets the block appended, and a block from an earlier compile is
# replaced. A .profile.d that is not a real directory becomes one (a symlinked
# directory's scripts are copied into it).
write_profile_script() {
  local dir=$1/.profile.d file=$1/.profile.d/$2.sh
  local begin="# >>> written by the $2 buildpack" end="# <<< written by the $2 buildpack"
  local fresh kind=file
  if [ -L "$dir" ] || { [ -e "$dir" ] && [ ! -d "$dir" ]; }; then
    [ -L "$dir" ] && kind=symlink
    info "Replacing the .profile.d $kind found in the app's source with a directory"
    fresh=$1/.profile.d.paas-new
    rm -rf -- "$fresh"
    mkdir -- "$fresh"
    if [ -L "$dir" ] && [ -d "$dir" ]; then
      cp -RL -- "$dir/." "$fresh/" 2>/dev/null || true
    fi
    rm -f -- "$dir"
    mv -- "$fresh" "$dir"
  fi
  mkdir -p -- "$dir"
  if [ -L "$file" ] || { [ -e "$file" ] && [ ! -f "$file" ]; }; then
    rm -rf -- "$file"
  fi
  if [ -f "$file" ]; then
    awk -v b="$begin" -v e="$end" '$0 == b { skip = 1; next } $0 == e { skip = 0; next } !skip' \
      "$file" >"$file.paas-new"
    mv -f -- "$file.paas-new" "$file"
    if [ -s "$file" ] && [ -n "$(tail -c 1 -- "$file")" ]; then
      echo >>"$file"
    fi
  fi
  { echo "$begin"; cat; echo "$end"; } >>"$file"
}

# --- interpreter versions and stacks -----------------------------------------
# The slugbuilder gives builds STACK (this stack's name) and PAAS_STACKS, every
# stack of the platform as space-separated NAME:python=X.Y.Z,go=X.Y.Z,node=X.Y.Z
# entries, so that a buildpack can say which stack has what an app asks for.

# stack_tool_version STACK TOOL: TOOL's version (python, go, node) on STACK,
# from PAAS_STACKS; status 1 when unknown.
stack_tool_version() {
  local entry pair
  local -a pairs
  for entry in ${PAAS_STACKS:-}; do
    if [[ $entry != *:* ]] || [ "${entry%%:*}" != "$1" ]; then
      continue
    fi
    IFS=, read -r -a pairs <<<"${entry#*:}"
    for pair in "${pairs[@]}"; do
      if [ "${pair%%=*}" = "$2" ] && [[ ${pair#*=} =~ ^[0-9][0-9A-Za-z.+-]*$ ]]; then
        printf '%s\n' "${pair#*=}"
        return 0
      fi
    done
  done
  return 1
}

# version_at_least A B: whether version A >= version B (dotted numbers).
version_at_least() {
  [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n 1)" = "$2" ]
}

# fail_version SOURCE ASKED LABEL TOOL HAVE MATCH HINT...: fails because the
# app (SOURCE: the file that asks) asks for ASKED (as the app writes it, e.g.
# "Go 1.22" or "python-3.12.4") and this stack has LABEL HAVE. MATCH is a command that succeeds for a version that would do; the
# first other stack in PAAS_STACKS whose TOOL matches is named with the
# command that moves the app there, else HINT says what to change in the app.
fail_version() {
  local source=$1 asked=$2 label=$3 tool=$4 have=$5 match=$6
  shift 6
  local here="this stack" entry name version others=()
  [ -n "${STACK:-}" ] && here="the $STACK stack"
  local first="$source asks for $asked, but $here has $label $have."
  for entry in ${PAAS_STACKS:-}; do
    name=${entry%%:*}
    if [ -z "$name" ] || [ "$name" = "${STACK:-}" ]; then
      continue
    fi
    version=$(stack_tool_version "$name" "$tool") || continue
    if "$match" "$version"; then
      fail "$first" "The $name stack has $label $version: run 'paas stack:set $name' and push again."
    fi
    others+=("$name has $label $version")
  done
  if [ "${#others[@]}" -gt 0 ]; then
    local IFS=';'
    local listed=${others[*]}
    fail "$first" "No other stack has it either (${listed//;/, })." "$@"
  fi
  fail "$first" "$@"
}
