# shellcheck shell=bash
# module_binary_name GO_MOD: the binary name for the module declared in
# GO_MOD, i.e. the last element of its module path, skipping a major version
# suffix ("example.com/tool/v2" -> "tool").
module_binary_name() {
  local path name
  path=$(sed -n -E 's/^[[:space:]]*module[[:space:]]+"?([^"[:space:]]+)"?.*$/\1/p' "$1" | head -n 1)
  name=${path##*/}
  if [[ $name =~ ^v[0-9]+$ ]] && [[ $path == */* ]]; then
    path=${path%/*}
    name=${path##*/}
  fi
  printf '%s' "$name"
}
