#!/bin/sh
# rollcage PostgreSQL entrypoint: the cluster was initialised at image build time
# (user/password/db "postgres"), so start-up only adapts it to the requested
# POSTGRES_* values, in single-user mode, before the server starts listening.
# (-j: a statement ends at a semicolon followed by a blank line; CREATE DATABASE
# must be a statement of its own.)
set -eu
# Disk-full drills mount a small tmpfs here (owned by this user): the baked cluster (about
# 40 MB) is copied onto it and run from there. A tmpfs is emptied when the container stops, so
# a restarted container starts from the baked cluster again.
if [ -n "${ROLLCAGE_PGDATA_TMPFS:-}" ]; then
    [ -w "$ROLLCAGE_PGDATA_TMPFS" ] || {
        echo "rollcage: $ROLLCAGE_PGDATA_TMPFS is not writable by uid $(id -u) gid $(id -g)" >&2
        exit 1
    }
    onto="$ROLLCAGE_PGDATA_TMPFS/pgdata"
    if [ ! -f "$onto/PG_VERSION" ]; then
        rm -rf "$onto" "$onto.part"
        cp -a "$PGDATA" "$onto.part"
        mv "$onto.part" "$onto"
    fi
    PGDATA=$onto
    export PGDATA
fi
user="${POSTGRES_USER:-postgres}"
password="${POSTGRES_PASSWORD:-postgres}"
db="${POSTGRES_DB:-$user}"
# Adapted once per data directory: a container started again (a kill or restart fault)
# finds its role and database already there.
adapted="$PGDATA/rollcage-adapted"
if [ ! -f "$adapted" ] && { [ "$user" != postgres ] || [ "$password" != postgres ] || [ "$db" != postgres ]; }; then
    sql_pass=$(printf '%s' "$password" | sed "s/'/''/g")
    {
        if [ "$user" = postgres ]; then
            printf '%s\n\n' "ALTER ROLE postgres PASSWORD '$sql_pass';"
        else
            printf '%s\n\n' "CREATE ROLE \"$user\" SUPERUSER LOGIN PASSWORD '$sql_pass';"
        fi
        if [ "$db" != postgres ]; then
            printf '%s\n\n' "CREATE DATABASE \"$db\" OWNER \"$user\";"
        fi
    } | postgres --single -D "$PGDATA" -j postgres >/dev/null
    touch "$adapted"
fi
exec postgres -D "$PGDATA" "$@"
