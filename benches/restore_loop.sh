#!/bin/sh
# The bundled restore-snapshot drill N times back to back (100 by default) with the release
# binary, asserting every run passes. Prints "restore-snapshot: P of N passed". Needs the
# Docker Engine and the images (./setup.sh).
set -eu
cd "$(dirname "$0")/.."
n="${1:-100}"
cargo build -q --release --bin rollcage
ROLLCAGE_BIN="$PWD/target/release/rollcage" ROLLCAGE_RESTORES="$n" \
    cargo test -q --test restore_loop -- --ignored --nocapture restore_snapshot_loop 2>&1 |
    grep -E 'passed|panicked|left:|right:'
