#!/bin/sh
# Interrupted drills of the release binary (SIGINT, SIGTERM, panics, SIGKILL then the next
# drill's sweep), N of them (200 by default), asserting nothing labelled with a stopped
# process is left. Prints "N interrupted, M left". Needs the Docker Engine and the images.
set -eu
cd "$(dirname "$0")/.."
n="${1:-200}"
cargo build --release --bin rollcage
ROLLCAGE_BIN="$PWD/target/release/rollcage" ROLLCAGE_INTERRUPTS="$n" \
    cargo test --test interrupt_loop -- --ignored --nocapture \
    interrupted_drills_leave_nothing_loop 2>&1 | grep -E 'interrupted, [0-9]+ left|left \[|seed|panicked'
