# Sourced by the end-to-end benches: `scenario NAME TRAFFIC` writes $out/NAME.toml, a 30-second
# drill of the ledger's baseline -> expand (code-only, decided after 28 s) at $rate requests per
# second with the given traffic tables; `measure NAME` drills it under /usr/bin/time and prints
# "peak_rss_kb user_s sys_s requests acknowledged_writes". Needs $root, $out, $rate and $bin.
scenario() { # name, traffic tables
    cat >"$out/$1.toml" <<TOML
name = "$1"
description = "workload overhead benchmark"

[database]
image = "rollcage/postgres:15"

[app]
env = { DATABASE_URL = "{db.url}" }

[releases.baseline]
image = "rollcage/ledger:baseline"
migrations = "$root/fixtures/ledger/migrations/baseline"

[releases.expand]
image = "rollcage/ledger:expand"
migrations = "$root/fixtures/ledger/migrations/expand"

[deploy]
from = "baseline"
to = "expand"
warmup = "0s"

[traffic]
rate = $rate
concurrency = 64
observe-after = "0s"
seed = 7
$2

[traffic.read-back]
path = "/entries/{key}"
fields = ["/account", "/amount", "/memo"]

[rollback]
strategy = "code-only"
budget = "60s"

[rollback.trigger]
kind = "manual"
after = "28s"
TOML
}

measure() { # name -> prints "rss_kb user_s sys_s requests acknowledged"
    /usr/bin/time -v "$bin" drill "$out/$1.toml" --quiet --no-sweep --json "$out/$1.json" \
        >"$out/$1.log" 2>"$out/$1.time" || true
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/$1.time")
    user=$(sed -n 's/.*User time (seconds): //p' "$out/$1.time")
    sys=$(sed -n 's/.*System time (seconds): //p' "$out/$1.time")
    figures=$(python3 -c "
import json, sys
r = json.load(open('$out/$1.json'))
runs = [run for d in r['drills'] for run in d['runs']] if 'drills' in r else r['runs']
f = runs[0]['outcome']['figures'] if 'outcome' in runs[0] else runs[0]['figures']
acked = runs[0]['outcome']['writes']['acknowledged'] if 'outcome' in runs[0] else 0
print(sum(f[w]['requests'] for w in ('before_deploy', 'deploying', 'deployed', 'rollback')), acked)
" 2>/dev/null || echo 0 0)
    echo "$rss $user $sys $figures"
}

