#!/bin/sh
# How close the time-to-healthy figure comes to a known delay: the `slowstart` release answers
# healthy exactly 1500 ms after its process starts. Drills scenarios/slowstart-time-to-healthy.toml
# RUNS times (default 10) and prints each run's error and the median. Needs the images (./setup.sh).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-10}
(cd "$root" && cargo build -q --release --bin rollcage)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$root/target/release/rollcage" drill "$root/scenarios/slowstart-time-to-healthy.toml" \
    --repeat "$runs" --quiet --json "$out/report.json" >/dev/null
python3 - "$out/report.json" <<'PY'
import json, statistics, sys
report = json.load(open(sys.argv[1]))
found = []
def walk(node):
    if isinstance(node, dict):
        v = node.get("time_to_healthy")
        if isinstance(v, (int, float)) and "recovered" in node:
            found.append(v)
        for child in node.values():
            walk(child)
    elif isinstance(node, list):
        for child in node:
            walk(child)
walk(report)
errors = sorted(v - 1500 for v in found)
print("time to healthy, error against the configured 1500 ms (ms):",
      " ".join(f"{e:+.1f}" for e in errors))
print(f"runs {len(errors)}, median {statistics.median(errors):+.1f} ms, worst {max(errors, key=abs):+.1f} ms")
PY
