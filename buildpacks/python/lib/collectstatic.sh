# shellcheck shell=bash
# Django's static files, prepared at build time as Heroku's python buildpack
# does: `python manage.py collectstatic --noinput` when the app has a
# manage.py, Django is installed in the virtualenv and the app has not set
# DISABLE_COLLECTSTATIC. An app that does not configure collectstatic (no
# STATIC_ROOT, or no django.contrib.staticfiles) is skipped with a message;
# any other failure fails the build with collectstatic's output.

# find_manage_py BUILD_DIR: the app's manage.py relative to BUILD_DIR, the
# shallowest within three levels (as Heroku looks for it); nothing if none.
find_manage_py() {
  (cd -- "$1" && find . -maxdepth 3 \( -name .venv -o -name node_modules -o -name .paas -o -name .git \) -prune \
    -o -type f -name manage.py -printf '%d\t%P\n' | sort -n -k1,1 | cut -f2 | head -n 1)
}

# collectstatic BUILD_DIR VENV: runs collectstatic when it applies.
collectstatic() {
  local build_dir=$1 venv=$2 manage log status
  manage=$(find_manage_py "$build_dir")
  [ -n "$manage" ] || return 0
  "$venv/bin/python" -c 'import django' 2>/dev/null || return 0
  if [ -n "${DISABLE_COLLECTSTATIC:-}" ] && [ "$DISABLE_COLLECTSTATIC" != 0 ]; then
    topic "Skipping Django's collectstatic: DISABLE_COLLECTSTATIC is set"
    return 0
  fi

  topic "\$ python $manage collectstatic --noinput"
  log=$(mktemp)
  if (cd -- "$build_dir" && VIRTUAL_ENV=$venv PATH=$venv/bin:$PATH \
    "$venv/bin/python" "$manage" collectstatic --noinput) >"$log" 2>&1; then
    status=0
  else
    status=$?
  fi
  if [ "$status" -eq 0 ]; then
    indent <"$log"
    rm -f -- "$log"
    return 0
  fi
  if grep -q "ImproperlyConfigured" "$log" && grep -q "STATIC_ROOT" "$log"; then
    info "Skipped: the app's settings have no STATIC_ROOT, so there is nowhere to collect" \
      "static files to. Set STATIC_ROOT (e.g. BASE_DIR / \"staticfiles\") to collect them at" \
      "build time, or set DISABLE_COLLECTSTATIC=1 to silence this."
    rm -f -- "$log"
    return 0
  fi
  if grep -q "Unknown command: 'collectstatic'" "$log"; then
    info "Skipped: collectstatic is not available (django.contrib.staticfiles is not in INSTALLED_APPS)"
    rm -f -- "$log"
    return 0
  fi
  indent <"$log"
  rm -f -- "$log"
  fail "Error while running '\$ python $manage collectstatic --noinput' (status $status; see the output above)." \
    "Fix the app's static files or settings (a file that a stylesheet refers to may be" \
    "missing), or disable collectstatic for this app:" \
    "  paas config:set DISABLE_COLLECTSTATIC=1" \
    "See https://devcenter.heroku.com/articles/django-assets"
}
