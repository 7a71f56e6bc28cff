#!/bin/sh
# Builds every image rollcage's bundled scenarios and tests need, offline:
#   rollcage/postgres:15 and :17  (debootstrap rootfs + initialised data directory)
#   rollcage/ledger:<release>     (FROM scratch: the release's binary and its libraries)
#   rollcage/notes:<release>      (Debian's python3, Flask, psycopg2 and Alembic; the app and
#                                  the release's Alembic revisions under /app)
# Idempotent: an image whose recorded source hash matches is skipped.
# Digests (image IDs) are written to target/rollcage-images.json.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
work="$root/target/images"
export DOCKER_BUILDKIT=0
mkdir -p "$work"

log() { printf '[images] %s\n' "$*" >&2; }

# The Debian mirror apt is already configured with (deb822 or one-line format).
debian_mirror() {
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk '/^URIs:/ {u=$2} /^Suites:/ { for (i=2;i<=NF;i++) if ($i !~ /-security$/ && u !~ /security/) { print u; exit } }' "$f"
    done | head -n1 | grep . && return 0
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
        awk '$1=="deb" && $0 !~ /security/ { for (i=2;i<=NF;i++) if ($i ~ /^(https?|file):/) { print $i; exit } }' | head -n1 | grep .
}

# The classic builder's deprecation notice is noise here (BuildKit would need a frontend image).
quiet() { grep -v -e DEPRECATED -e BuildKit -e environment-variable -e '^$' >&2 || true; }

label_of() { docker image inspect -f "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null || true; }

ensure_debootstrap() {
    command -v debootstrap >/dev/null 2>&1 && return 0
    log "installing debootstrap from the configured Debian mirror"
    apt-get install -y -q debootstrap >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q debootstrap >/dev/null; }
}

# rootfs_image SUITE PACKAGES TAG: a debootstrap root filesystem imported as an image.
rootfs_image() {
    rf_suite=$1 rf_packages=$2 rf_tag=$3
    if docker image inspect "$rf_tag" >/dev/null 2>&1; then return 0; fi
    ensure_debootstrap
    mirror=$(debian_mirror) || { log "no Debian mirror found in apt's sources"; exit 1; }
    rf_dir="$work/rootfs-$rf_suite"
    rm -rf "$rf_dir"
    log "debootstrap $rf_suite ($rf_packages) from $mirror"
    debootstrap --variant=minbase --include="$rf_packages" "$rf_suite" "$rf_dir" "$mirror" >"$work/debootstrap-$rf_suite.log" 2>&1 ||
        { tail -n 20 "$work/debootstrap-$rf_suite.log" >&2; exit 1; }
    rm -rf "$rf_dir/var/cache/apt/archives"/*.deb "$rf_dir/var/lib/apt/lists"/*
    tar -C "$rf_dir" -c . | docker import \
        -c 'LABEL org.rollcage.image=rootfs' -c "LABEL org.rollcage.suite=$rf_suite" - "$rf_tag" >/dev/null
    rm -rf "$rf_dir"
}

postgres_image() {
    major=$1 suite=$2
    tag="rollcage/postgres:$major"
    hash=$(cat "$here/postgres/Dockerfile" "$here/postgres/entrypoint.sh" | sha256sum | cut -c1-16)
    if [ "$(label_of "$tag" org.rollcage.source-hash)" = "$hash" ]; then log "$tag up to date"; return 0; fi
    rootfs_image "$suite" "postgresql-$major" "rollcage/rootfs:$suite-pg$major"
    log "building $tag"
    docker build -q --build-arg "BASE=rollcage/rootfs:$suite-pg$major" --build-arg "PG_MAJOR=$major" \
        --label org.rollcage.image=postgres --label "org.rollcage.pg-major=$major" \
        --label "org.rollcage.source-hash=$hash" -t "$tag" "$here/postgres" 2>&1 >/dev/null | quiet
    docker image inspect "$tag" >/dev/null
}

ledger_images() {
    src="$root/fixtures/ledger"
    hash=$( (cd "$src" && find . -type f -o -type l | LC_ALL=C sort | xargs cat; cat "$root/Cargo.lock") | sha256sum | cut -c1-16)
    for dir in "$src"/migrations/*/; do
        release=$(basename "$dir")
        tag="rollcage/ledger:$release"
        if [ "$(label_of "$tag" org.rollcage.source-hash)" = "$hash" ]; then continue; fi
        log "building $tag"
        (cd "$root" && LEDGER_RELEASE="$release" cargo build -q --release -p ledger)
        ctx="$work/ledger-$release"
        rm -rf "$ctx" && mkdir -p "$ctx/rootfs/tmp" "$ctx/rootfs/etc"
        cp "${CARGO_TARGET_DIR:-$root/target}/release/ledger" "$ctx/rootfs/ledger"
        # The binary's shared libraries, at the paths the loader expects.
        ldd "$ctx/rootfs/ledger" | awk '/=> \// {print $3} /^\t\/.*ld-linux/ {print $1}' | while read -r lib; do
            mkdir -p "$ctx/rootfs$(dirname "$lib")" && cp -L "$lib" "$ctx/rootfs$lib"
        done
        echo "hosts: files dns" > "$ctx/rootfs/etc/nsswitch.conf"
        cat > "$ctx/Dockerfile" <<DOCKERFILE
FROM scratch
COPY rootfs/ /
ENV LISTEN_ADDR=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["/ledger"]
DOCKERFILE
        docker build -q --label org.rollcage.image=ledger --label "org.rollcage.release=$release" \
            --label "org.rollcage.source-hash=$hash" -t "$tag" "$ctx" 2>&1 >/dev/null | quiet
        docker image inspect "$tag" >/dev/null
        rm -rf "$ctx"
    done
}

notes_images() {
    src="$root/fixtures/notes"
    hash=$( (cd "$src" && find . -type f -o -type l | LC_ALL=C sort | while read -r f; do echo "$f"; cat "$f"; done
        sed -n '/^notes_images()/,/^}/p' "$here/build.sh") | sha256sum | cut -c1-16)
    base="rollcage/rootfs:bookworm-notes"
    for dir in "$src"/releases/*/; do
        release=$(basename "$dir")
        tag="rollcage/notes:$release"
        if [ "$(label_of "$tag" org.rollcage.source-hash)" = "$hash" ]; then continue; fi
        rootfs_image bookworm "python3,python3-flask,python3-psycopg2,alembic" "$base"
        log "building $tag"
        ctx="$work/notes-$release"
        rm -rf "$ctx" && mkdir -p "$ctx/app/alembic/versions"
        cp "$src/app.py" "$src/alembic.ini" "$ctx/app/"
        cp "$src/alembic/env.py" "$ctx/app/alembic/"
        # The release's revisions only: `alembic upgrade head` in its image stops at its own head.
        cp -L "$dir"*.py "$ctx/app/alembic/versions/"
        cat > "$ctx/Dockerfile" <<DOCKERFILE
FROM $base
COPY app/ /app/
ENV NOTES_RELEASE=$release LISTEN_ADDR=0.0.0.0:8080 PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /app
EXPOSE 8080
CMD ["python3", "/app/app.py"]
DOCKERFILE
        docker build -q --label org.rollcage.image=notes --label "org.rollcage.release=$release" \
            --label "org.rollcage.source-hash=$hash" -t "$tag" "$ctx" 2>&1 >/dev/null | quiet
        docker image inspect "$tag" >/dev/null
        rm -rf "$ctx"
    done
}

record_digests() {
    out="$root/target/rollcage-images.json"
    # Rebuilt images leave their predecessors dangling; only rollcage-labelled ones are pruned.
    docker image prune -f --filter label=org.rollcage.image >/dev/null
    docker images --no-trunc --filter label=org.rollcage.image --filter dangling=false --format '{{.Repository}}:{{.Tag}} {{.ID}}' | sort |
        awk 'BEGIN {print "{"} { printf "%s  \"%s\": \"%s\"", (NR>1 ? ",\n" : ""), $1, $2 } END {print "\n}"}' >"$out.tmp"
    mv "$out.tmp" "$out"
}

what=${1:-all}
case $what in
    postgres|all)
        postgres_image 15 bookworm
        postgres_image 17 trixie
        ;;
esac
case $what in
    ledger|all) ledger_images ;;
esac
case $what in
    notes|all) notes_images ;;
esac
record_digests
log "images ready ($(docker images --filter label=org.rollcage.image -q | wc -l) labelled images)"
