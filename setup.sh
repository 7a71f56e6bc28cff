#!/bin/sh
# Prepares a machine for rollcage, idempotently: the host packages the build needs, then
# every image (images/build.sh). Nothing is pulled from a container registry.
#   debootstrap                              root filesystems for the PostgreSQL images
#   libclang1-14, libclang-common-14-dev     bindgen, for pg_query's embedded PostgreSQL parser
#   chromium                                 the browser check of the HTML report (headless --dump-dom)
set -eu
cd "$(dirname "$0")"
missing=""
for pkg in debootstrap libclang1-14 libclang-common-14-dev chromium; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
    echo "[setup] installing:$missing" >&2
    apt-get install -y -q --no-install-recommends $missing >/dev/null 2>&1 ||
        { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $missing >/dev/null; }
fi
exec ./images/build.sh "$@"
