/// The bash program that runs the buildpacks inside the build container, as the user `app`.
///
/// Usage: `driver detect|explicit DIR LABEL [DIR LABEL]...`. With `detect` it uses the first
/// buildpack whose `bin/detect` succeeds; with `explicit` it uses them all, in order, taking
/// each one's name from `bin/detect` when it prints one, else from LABEL. For each buildpack
/// it prints `-----> <Name> app detected`, sources the export file of the buildpacks before,
/// runs `bin/compile /app /cache /env` (stderr into stdout), adds the classic `export` file a
/// buildpack may write into its own directory to the export file, and saves `bin/release /app`
/// in the output directory (a buildpack without `bin/release` has no default process types; one
/// whose `bin/release` fails fails the build). It reports to the host through files in that
/// directory:
/// - `used`: one `<index>\t<name>` line per buildpack run;
/// - `release.<index>`: the buildpack's `bin/release` output, absent when it has none;
/// - `failed`: `detect` when nothing detected, else `<compile|release>\t<index>\t<status>`;
/// - `timings`: `start\t<time>` when it starts, `compile\t<index>\t<from>\t<to>` per compile
///   (`$EPOCHREALTIME` stamps, for the build's stage timings).
enum BuildDriverScript {
    /// Where the script is mounted in the container.
    static let containerPath = "/run/paas/driver"
    /// Where the output directory is mounted in the container.
    static let outputPath = "/run/paas/output"

    static let text = #"""
        #!/bin/bash
        # The paas build driver (written by PaasBuild; see BuildDriverScript.swift).
        set -uo pipefail
        exec 2>&1

        out=/run/paas/output
        export BUILDPACK_EXPORT_FILE=$out/export
        : >"$BUILDPACK_EXPORT_FILE"
        printf 'start\t%s\n' "$EPOCHREALTIME" >"$out/timings"

        mode=$1
        shift
        dirs=()
        labels=()
        while [ "$#" -ge 2 ]; do
          dirs+=("$1")
          labels+=("$2")
          shift 2
        done

        cd /app || exit 1
        selected=()
        names=()
        for i in "${!dirs[@]}"; do
          if name=$("${dirs[$i]}/bin/detect" /app 2>/dev/null </dev/null); then
            selected+=("$i")
            names+=("${name%%$'\n'*}")
            [ "$mode" = detect ] && break
          elif [ "$mode" = explicit ]; then
            selected+=("$i")
            names+=("")
          fi
        done
        if [ "${#selected[@]}" -eq 0 ]; then
          printf 'detect\n' >"$out/failed"
          exit 1
        fi

        : >"$out/used"
        for k in "${!selected[@]}"; do
          i=${selected[$k]}
          dir=${dirs[$i]}
          name=${names[$k]:-${labels[$i]}}
          printf -- '-----> %s app detected\n' "$name"
          printf '%s\t%s\n' "$i" "$name" >>"$out/used"
          compile_started=$EPOCHREALTIME
          (
            # shellcheck disable=SC1090
            . "$BUILDPACK_EXPORT_FILE"
            exec "$dir/bin/compile" /app /cache /env
          ) </dev/null 2>&1
          status=$?
          printf 'compile\t%s\t%s\t%s\n' "$i" "$compile_started" "$EPOCHREALTIME" >>"$out/timings"
          if [ "$status" -ne 0 ]; then
            printf 'compile\t%s\t%s\n' "$i" "$status" >"$out/failed"
            exit 1
          fi
          # Classic multi-buildpack convention: the next buildpacks see what this one exported.
          if [ -f "$dir/export" ]; then cat "$dir/export" >>"$BUILDPACK_EXPORT_FILE"; fi
          # bin/release is optional (herokuish and Heroku run buildpacks that ship only
          # detect and compile): without one the buildpack gives no default process types.
          if [ ! -e "$dir/bin/release" ] && [ ! -L "$dir/bin/release" ]; then
            continue
          fi
          "$dir/bin/release" /app </dev/null 2>&1 >"$out/release.$i"
          status=$?
          if [ "$status" -ne 0 ]; then
            rm -f "$out/release.$i"
            if [ "$status" -eq 126 ] && [ ! -x "$dir/bin/release" ]; then
              printf ' !     bin/release of %s is not executable. Make it executable (chmod +x bin/release)\n' "${labels[$i]}"
              printf ' !     in the buildpack, or delete it if the buildpack has no default process types.\n'
            else
              printf ' !     bin/release of %s failed with status %s (its output is above).\n' "${labels[$i]}" "$status"
              printf ' !     Fix the buildpack, or choose another one with BUILDPACK_URL or .buildpacks.\n'
            fi
            printf 'release\t%s\t%s\n' "$i" "$status" >"$out/failed"
            exit 1
          fi
        done
        """#
}
