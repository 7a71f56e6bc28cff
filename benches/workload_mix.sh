#!/bin/sh
# Per-request overhead of a mixed workload against a single write: two 30-second drills of
# baseline -> expand (code-only, decided after 28 s) at RATE requests per second (default 500),
# one sending only writes, the other a mix of three kinds (writes 3, reads of earlier keys 2,
# lists 1) with generated values. For each: peak RSS of rollcage, its CPU time (user + sys)
# per request sent, and requests sent; then the mix's CPU per request against the write-only
# one. Release binary; needs the images (./setup.sh).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
rate=${RATE:-500}
(cd "$root" && cargo build -q --release --bin rollcage)
bin="$root/target/release/rollcage"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

. "$root/benches/ledger_scenario.sh"

write='path = "/entries"
json = '"'"'{"account": "acct-{uuid}", "amount": {int -1000000..1000000}, "memo": "{text 0..40}"}'"'"'
ack-status = [201]
key = "response:/id"'

scenario write-only "
[traffic.write]
$write"
scenario mixed "
[[traffic.request]]
kind = \"write\"
weight = 3
$write

[[traffic.request]]
kind = \"read\"
weight = 2
path = \"/entries/{key}\"

[[traffic.request]]
kind = \"plain\"
path = \"/entries?limit={int 1..20}\""

echo "workload overhead at $rate req/s, 30 s drills, $(nproc) cores:"
for name in write-only mixed; do
    set -- $(measure $name)
    cpu=$(python3 -c "print(round($2 + $3, 2))")
    per=$(python3 -c "print(round(($2 + $3) / max($4, 1) * 1e6, 1))")
    printf '  %-10s peak RSS %6.1f MB   CPU %6.2f s   %6s requests   %6s µs CPU per request\n' \
        "$name" "$(python3 -c "print($1 / 1024)")" "$cpu" "$4" "$per"
    eval "per_$(echo $name | tr - _)=$per"
done
python3 -c "print('  mixed / write-only CPU per request: %.2f' % ($per_mixed / max($per_write_only, 1e-9)))"
