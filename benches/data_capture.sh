#!/bin/sh
# The data oracle against real PostgreSQL 15: how fast one table of ROWS rows (default
# 200000, five columns) is read and hashed, how fast two such snapshots are compared, and how
# much the peak resident memory grows while holding one. Needs the images (./setup.sh).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
ROWS=${ROWS:-200000} cargo test -q --release --test data_oracle capture_rate -- --ignored --nocapture 2>&1 |
    grep '^capture:'
