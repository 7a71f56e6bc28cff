#!/bin/sh
# Exploration throughput: generated cases per minute over the ledger space
# (scenarios/explore/ledger.toml), every case a full drill with every oracle, shrinking off so
# only generated cases are counted. Two ways, in the same run:
#   warm   one sandbox and PostgreSQL server reused across cases, a fresh database per case
#          (cases that fault the database container still get fresh containers);
#   fresh  the naive way: fresh network and containers for every case (--fresh).
# Each with the full fault mix (up to 2 faults per case) and without faults.
# CASES (default 20) and SEED (default 1) can be set. Needs the images (./setup.sh).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cases=${CASES:-20}
seed=${SEED:-1}
(cd "$root" && cargo build -q --release --bin rollcage)
bin="$root/target/release/rollcage"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

rate() { # label, extra args...
    label=$1
    shift
    "$bin" explore "$root/scenarios/explore/ledger.toml" --cases "$cases" --seed "$seed" \
        --max-shrink-runs 0 --quiet --out "$out/cases" "$@" >"$out/log" 2>&1 || true
    line=$(grep '^explored' "$out/log" || { cat "$out/log" >&2; echo "explored ? (? drills, ? per minute)"; })
    per_minute=$(echo "$line" | sed -n 's/.*drills, \([0-9.]*\) per minute.*/\1/p')
    printf '  %-34s %6s cases/min   (%s)\n' "$label" "$per_minute" "$(echo "$line" | cut -d' ' -f2-9)"
}

echo "exploration rate, $cases cases, seed $seed, $(nproc) cores:"
rate "warm, fault mix (max 2 faults)" --max-faults 2
rate "fresh containers, fault mix" --max-faults 2 --fresh
rate "warm, no faults" --max-faults 0
rate "fresh containers, no faults" --max-faults 0 --fresh
