#!/bin/sh
# How often the natural, generated workload reaches a hazard only one input value reaches:
# `scenarios/zero-amount-generated.toml` (amounts drawn from 0..1000; only 0 takes the new code
# path) drilled with seeds 1..RUNS (default 10), and its constant twin once. Prints how many
# seeded runs reached the expected verdict. Needs the images (./setup.sh).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-10}
(cd "$root" && cargo build -q --release --bin rollcage)
bin="$root/target/release/rollcage"
hit=0
for seed in $(seq 1 "$runs"); do
    if "$bin" drill "$root/scenarios/zero-amount-generated.toml" --seed "$seed" --quiet >/dev/null 2>&1; then
        hit=$((hit + 1))
    fi
done
echo "zero-amount-generated: $hit of $runs seeded runs restored-bad-state, as expected"
if "$bin" drill "$root/scenarios/zero-amount-constant.toml" --quiet >/dev/null 2>&1; then
    echo "zero-amount-constant: pass, as expected (no zero sent, no hazard reached)"
else
    echo "zero-amount-constant: did not pass"
fi
