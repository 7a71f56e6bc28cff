#!/bin/sh
# rollcage PostgreSQL entrypoint: the cluster was initialised at image build time
# (user/password/db "postgres"), so start-up only adapts it to the requested
# POSTGRES_* values, in single-user mode, before the server starts listening.
# (-j: a statement ends at a semicolon followed by a blank line; CREATE DATABASE
# must be a statement of its own.)
set -eu
user="${POSTGRES_USER:-postgres}"
password="${POSTGRES_PASSWORD:-postgres}"
db="${POSTGRES_DB:-$user}"
if [ "$user" != postgres ] || [ "$password" != postgres ] || [ "$db" != postgres ]; then
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
fi
exec postgres -D "$PGDATA" "$@"
