#!/bin/sh
# Peak memory against rate: the 30-second write-only drill of benches/ledger_scenario.sh at
# RATES requests per second (default "50 500 5000"), each write with generated values and read
# back by the write observer. Prints per rate: peak RSS of rollcage, requests sent, writes
# acknowledged, and the RSS per thousand acknowledged writes. Release binary; needs the images
# (./setup.sh).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
rates=${RATES:-50 500 5000}
(cd "$root" && cargo build -q --release --bin rollcage)
bin="$root/target/release/rollcage"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
. "$root/benches/ledger_scenario.sh"

echo "peak RSS by rate, 30 s drills, $(nproc) cores:"
printf '  %8s  %10s  %9s  %12s\n' "req/s" "peak RSS" "requests" "acknowledged"
for rate in $rates; do
    scenario "rate-$rate" '
[traffic.write]
path = "/entries"
json = '"'"'{"account": "acct-{uuid}", "amount": {int -1000000..1000000}, "memo": "{text 0..40}"}'"'"'
ack-status = [201]
key = "response:/id"'
    set -- $(measure "rate-$rate")
    printf '  %8s  %7.1f MB  %9s  %12s\n' "$rate" "$(python3 -c "print($1 / 1024)")" "$4" "$5"
done
