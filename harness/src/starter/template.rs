//! The starter scenario's text, `{placeholders}` filled by `Starter::render`: a code-only
//! rollback of the release candidate under a write/read workload on `/items`, every section
//! commented for the edits it most likely needs. `scenarios/reference.toml` explains every key.

/// The starter; each `{name}` is replaced with a TOML value or a line (or nothing).
pub const TEMPLATE: &str = r#"# A rollcage drill: deploy the release candidate over the release running now, roll it back,
# and prove the rollback works. Written by `rollcage init`; edit it, then
#   rollcage plan THIS_FILE     # the steps a drill would take, starting nothing
#   rollcage drill THIS_FILE    # run it (needs Docker)
# Every key is explained in rollcage's scenarios/reference.toml. Durations read like "2s".

name = {name}
# The verdict the drill must reach: a rollback that completes and leaves a working app.
expect = "pass"

# A fresh PostgreSQL per drill. Use the major version production runs.
[database]
image = "postgres:16"

# How every release runs: the port it listens on in its container, and the path whose 2xx
# answer means healthy. {db.url} is the drill database's postgres:// URL; rename the variable
# to the one your app reads.
[app]
port = {port}
health = {health}
ready-timeout = "30s"
env = { DATABASE_URL = "{db.url}" }

# The release running now: the one the rollback returns to. Pin it by digest
# (repo@sha256:...) or by a tag that never moves.
[releases.current]
image = {from}
{from_migrations}
# The release candidate. Its sqlx migrations run when it is deployed.
[releases.candidate]
image = {to}
{to_migrations}
[deploy]
from = "current"
to = "candidate"
# Traffic against the current release before the deploy, as the baseline.
warmup = "2s"

# The workload, running through the whole drill: create items and read them back. Change the
# paths and bodies to a write and a read of your own API; `key` says where a created item's
# id is found in the answer.
[traffic]
rate = 20

[[traffic.request]]
kind = "write"
weight = 1
method = "POST"
path = "/items"
json = '{"name": "item {seq}", "quantity": {int 1..100}}'
ack-status = [200, 201]
key = "response:/id"

[[traffic.request]]
kind = "read"
weight = 3
path = "/items/{key}"
expect-status = [200]

# After the rollback, every acknowledged write is read back and these fields compared.
[traffic.read-back]
path = "/items/{key}"
fields = ["/name", "/quantity"]

# Run once the rolled-back release is healthy: a write must still work.
[[smoke]]
method = "POST"
path = "/items"
json = '{"name": "smoke", "quantity": 1}'
expect-status = [200, 201]

# Redeploy the current release's image and keep the candidate's schema: the rollback most
# teams run first. "code-and-schema" also runs the candidate's down migrations.
[rollback]
strategy = "code-only"
steps = ["switch-code"]
budget = "60s"

# Decide to roll back 2 s after the candidate is healthy. kind = "auto" decides from the
# traffic instead (error rate, p99); see the reference scenario.
[rollback.trigger]
kind = "manual"
after = "2s"
"#;
