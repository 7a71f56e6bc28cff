#!/bin/sh
# Times the same code-only rollback drill (ledger baseline -> expand -> baseline) two ways on
# this machine, in the same run:
#   rollcage  `rollcage drill benches/code-only.toml`, with traffic and every oracle;
#   runbook   the steps a person does by hand with the docker CLI, psql and curl: start the
#             database, migrate, start the old release, deploy the new one, stop it, start the
#             old one again, poll health — and nothing else.
# Also the floor: the raw time for the previous release's container to start and answer health.
# Prints each median over ROUNDS runs (default 5) and the ratio. Needs the images (images/build.sh).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${ROUNDS:-5}
migrations="$root/fixtures/ledger/migrations"
bin="$root/target/release/rollcage"
(cd "$root" && cargo build -q --release --bin rollcage)

now_ms() { date +%s%3N; }
ip_of() { docker inspect -f "{{(index .NetworkSettings.Networks \"$2\").IPAddress}}" "$1"; }
wait_health() { until curl -fsS -o /dev/null "http://$1:8080/health" 2>/dev/null; do sleep 0.005; done; }
run_app() { # name network image
    docker run -d --name "$1" --network "$2" --label "org.rollcage.run=$2" \
        -e DATABASE_URL=postgres://postgres:postgres@db:5432/postgres "$3" >/dev/null
}

start_db() { # network: a network, PostgreSQL on it as `db`, migrated to baseline; sets $db
    docker network create --label "org.rollcage.run=$1" "$1" >/dev/null
    docker run -d --name "$1-db" --network "$1" --network-alias db --label "org.rollcage.run=$1" \
        rollcage/postgres:15 >/dev/null
    db=$(ip_of "$1-db" "$1")
    until PGPASSWORD=postgres psql -qAt -h "$db" -U postgres -c 'select 1' >/dev/null 2>&1; do sleep 0.01; done
    PGPASSWORD=postgres psql -q -h "$db" -U postgres -f "$migrations/baseline/0001_baseline.up.sql" >/dev/null
}

runbook() {
    net="rcbench-$$-$1"
    start_db "$net"
    run_app "$net-old" "$net" rollcage/ledger:baseline
    wait_health "$(ip_of "$net-old" "$net")"
    PGPASSWORD=postgres psql -q -h "$db" -U postgres -f "$migrations/expand/0002_add_note.up.sql" >/dev/null
    docker rm -f "$net-old" >/dev/null
    run_app "$net-new" "$net" rollcage/ledger:expand
    wait_health "$(ip_of "$net-new" "$net")"
    docker rm -f "$net-new" >/dev/null
    run_app "$net-old2" "$net" rollcage/ledger:baseline
    wait_health "$(ip_of "$net-old2" "$net")"
    docker rm -f "$net-db" "$net-old2" >/dev/null
    docker network rm "$net" >/dev/null
}

floor() { # an already running database; time start + first healthy answer of the old release
    net="rcbench-floor-$$"
    start_db "$net"
    for i in $(seq "$rounds"); do
        t0=$(now_ms)
        run_app "$net-app$i" "$net" rollcage/ledger:baseline
        wait_health "$(ip_of "$net-app$i" "$net")"
        echo $(( $(now_ms) - t0 ))
        docker rm -f "$net-app$i" >/dev/null
    done
    docker rm -f "$net-db" >/dev/null
    docker network rm "$net" >/dev/null
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
timed() { t0=$(now_ms); "$@" >/dev/null; echo $(( $(now_ms) - t0 )); }

rollcage_ms=$(for i in $(seq "$rounds"); do timed "$bin" drill "$root/benches/code-only.toml" --quiet; done | median)
runbook_ms=$(for i in $(seq "$rounds"); do timed runbook "$i"; done | median)
floor_ms=$(floor | median)
recovery_ms=$("$bin" drill "$root/benches/code-only.toml" --quiet --json /tmp/rcbench-$$.json >/dev/null &&
    python3 -c "import json,sys; print(round(json.load(open(sys.argv[1]))['drills'][0]['runs'][0]['outcome']['figures']['recovery_time']))" /tmp/rcbench-$$.json)
rm -f /tmp/rcbench-$$.json
echo "code-only rollback drill, median of $rounds runs on $(nproc) cores:"
echo "  rollcage drill (traffic + all oracles): ${rollcage_ms} ms"
echo "  shell runbook (docker, psql, curl):     ${runbook_ms} ms"
awk -v a="$rollcage_ms" -v b="$runbook_ms" 'BEGIN { printf "  ratio rollcage / runbook:               %.2f\n", a / b }'
echo "  floor (old release start -> healthy):    ${floor_ms} ms"
echo "  rollcage recovery time (decision -> verified): ${recovery_ms} ms, overhead over the floor: $((recovery_ms - floor_ms)) ms"
