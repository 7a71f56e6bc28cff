//! `Endpoint`: where the Docker Engine is, read from `DOCKER_HOST` as the docker CLI reads it —
//! a unix socket, plain TCP, or TCP with TLS (`DOCKER_TLS_VERIFY`, `DOCKER_CERT_PATH`) — and
//! the bollard client for it. What rollcage cannot speak is refused by name: falling back to
//! the local socket could drill against another engine than the one asked for.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use bollard::{Docker, API_DEFAULT_VERSION};

use super::RuntimeError;

/// The socket used when `DOCKER_HOST` is unset or empty.
pub const DEFAULT_SOCKET: &str = "/var/run/docker.sock";

/// The docker CLI's port for `tcp://host` without one, TLS or not.
const DEFAULT_PORT: u16 = 2375;

/// The docker CLI's engine when `DOCKER_HOST` is unset but TLS is asked for.
const DEFAULT_TLS_ADDR: &str = "localhost:2376";

/// The environment variables that say where the engine is, read once.
#[derive(Debug, Clone, Default)]
pub(crate) struct HostVars {
    /// `DOCKER_HOST`.
    pub host: Option<String>,
    /// `DOCKER_TLS_VERIFY`: TLS with the engine's certificate checked, when non-empty.
    pub tls_verify: Option<String>,
    /// `DOCKER_TLS`: TLS without that check, which rollcage refuses.
    pub tls: Option<String>,
    /// `DOCKER_CERT_PATH`: the folder of `ca.pem`, `cert.pem` and `key.pem`.
    pub cert_path: Option<String>,
    /// `HOME`, for the default `~/.docker`.
    pub home: Option<String>,
}

impl HostVars {
    /// The variables of this process.
    pub fn from_env() -> HostVars {
        let var = |name| std::env::var(name).ok();
        HostVars {
            host: var("DOCKER_HOST"),
            tls_verify: var("DOCKER_TLS_VERIFY"),
            tls: var("DOCKER_TLS"),
            cert_path: var("DOCKER_CERT_PATH"),
            home: var("HOME"),
        }
    }
}

/// Where the engine is and how to speak to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Endpoint {
    /// A unix socket.
    Unix(PathBuf),
    /// Plain HTTP over TCP to `host:port`.
    Http(String),
    /// HTTPS to `host:port`, the engine checked against `ca.pem` and rollcage presenting
    /// `cert.pem` and `key.pem`, all from `certs`.
    Tls {
        /// `host:port`.
        addr: String,
        /// The folder of the three files.
        certs: PathBuf,
    },
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Endpoint::Unix(path) => write!(f, "unix://{}", path.display()),
            Endpoint::Http(addr) => write!(f, "tcp://{addr}"),
            Endpoint::Tls { addr, .. } => write!(f, "tcp://{addr} (TLS)"),
        }
    }
}

impl Endpoint {
    /// Reads the variables as the docker CLI does: no value is the local socket (or
    /// `localhost:2376` when TLS is asked for), a value without a scheme is `tcp://`.
    pub fn from_vars(vars: &HostVars) -> Result<Endpoint, RuntimeError> {
        let set = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.is_empty());
        let verify = set(&vars.tls_verify);
        let value = vars.host.as_deref().unwrap_or("").trim();
        let unusable = |why: String| RuntimeError::UnusableDockerHost {
            value: value.to_string(),
            why,
        };
        if value.is_empty() && !verify {
            return Ok(Endpoint::Unix(DEFAULT_SOCKET.into()));
        }
        let (scheme, rest) = match value.split_once("://") {
            Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest),
            None if value.starts_with('/') => {
                return Err(unusable(format!(
                    "a socket needs the unix:// scheme (unix://{value})"
                )))
            }
            None => ("tcp".to_string(), value),
        };
        let tls = match scheme.as_str() {
            "unix" => {
                let path = if rest.is_empty() {
                    DEFAULT_SOCKET
                } else {
                    rest
                };
                return Ok(Endpoint::Unix(path.into()));
            }
            "tcp" => verify,
            "https" => true,
            "http" if verify => {
                return Err(unusable(
                    "http:// is plain HTTP, but DOCKER_TLS_VERIFY asks for TLS; \
                     use tcp:// or https://"
                        .into(),
                ))
            }
            "http" => false,
            other => return Err(unusable(unsupported(other))),
        };
        if !verify && set(&vars.tls) {
            return Err(unusable(
                "DOCKER_TLS asks for TLS without checking the engine's certificate, which \
                 rollcage does not do; set DOCKER_TLS_VERIFY=1 with the engine's CA in \
                 DOCKER_CERT_PATH"
                    .into(),
            ));
        }
        let addr = if value.is_empty() {
            DEFAULT_TLS_ADDR.to_string()
        } else {
            tcp_addr(rest).map_err(unusable)?
        };
        if !tls {
            return Ok(Endpoint::Http(addr));
        }
        let certs = match (&vars.cert_path, &vars.home) {
            (Some(path), _) if !path.is_empty() => PathBuf::from(path),
            (_, Some(home)) if !home.is_empty() => PathBuf::from(home).join(".docker"),
            _ => {
                return Err(unusable(
                    "TLS needs DOCKER_CERT_PATH (or HOME, for ~/.docker)".into(),
                ))
            }
        };
        Ok(Endpoint::Tls { addr, certs })
    }

    /// A client for this endpoint whose requests each wait at most `limit`. The TLS files
    /// are checked here, since bollard reads the key only during the first handshake and
    /// would report a missing one as a failed connection.
    pub fn client(&self, limit: Duration) -> Result<Docker, RuntimeError> {
        let secs = limit.as_secs().max(1);
        let client = match self {
            Endpoint::Unix(path) => {
                Docker::connect_with_unix(&path.to_string_lossy(), secs, API_DEFAULT_VERSION)
            }
            Endpoint::Http(addr) => Docker::connect_with_http(addr, secs, API_DEFAULT_VERSION),
            Endpoint::Tls { addr, certs } => {
                let [ca, cert, key] = ["ca.pem", "cert.pem", "key.pem"].map(|f| certs.join(f));
                for path in [&ca, &cert, &key] {
                    std::fs::File::open(path).map_err(|source| RuntimeError::TlsFile {
                        path: path.clone(),
                        source,
                    })?;
                }
                Docker::connect_with_ssl(addr, &key, &cert, &ca, secs, API_DEFAULT_VERSION)
            }
        };
        client.map_err(|source| RuntimeError::Unreachable {
            host: self.to_string(),
            source,
        })
    }
}

/// Why a scheme rollcage does not speak is refused, with what to do instead.
fn unsupported(scheme: &str) -> String {
    match scheme {
        "ssh" => "rollcage does not tunnel over ssh; forward the engine's socket \
                  (ssh -nNT -L /tmp/docker.sock:/var/run/docker.sock USER@HOST) and set \
                  DOCKER_HOST=unix:///tmp/docker.sock"
            .into(),
        "npipe" => "named pipes are the Windows engine's; rollcage runs on Linux".into(),
        "fd" => "fd:// is the daemon's own listener, not an address a client can use".into(),
        other => format!(
            "unknown scheme {other}://; use unix:///path, tcp://host:port, http:// or https://"
        ),
    }
}

/// `host:port` from what follows `tcp://`: an empty host is `localhost`, a missing port the
/// docker CLI's 2375; a path after it is refused, since requests are sent to the root.
fn tcp_addr(rest: &str) -> Result<String, String> {
    let (hostport, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if !path.is_empty() && path != "/" {
        return Err(format!(
            "a path after the address ({path}) is not supported"
        ));
    }
    let (host, port) = match hostport.strip_prefix('[') {
        Some(v6) => {
            let (ip, after) = v6
                .split_once(']')
                .ok_or_else(|| format!("the IPv6 address in {hostport} has no closing ]"))?;
            match after.strip_prefix(':') {
                Some(port) => (format!("[{ip}]"), port),
                None if after.is_empty() => (format!("[{ip}]"), ""),
                None => return Err(format!("{after} after the IPv6 address is not a port")),
            }
        }
        None => match hostport.rsplit_once(':') {
            Some((host, port)) => (host.to_string(), port),
            None => (hostport.to_string(), ""),
        },
    };
    let host = if host.is_empty() { "localhost" } else { &host };
    let name_like = |c: char| c.is_ascii_alphanumeric() || "-._".contains(c);
    if !(host.starts_with('[') || host.chars().all(name_like)) {
        return Err(format!("{host} is not a host name or an address"));
    }
    let port = match port {
        "" => DEFAULT_PORT,
        p => p
            .parse::<u16>()
            .ok()
            .filter(|&p| p != 0)
            .ok_or_else(|| format!("port {p} is not a number from 1 to 65535"))?,
    };
    Ok(format!("{host}:{port}"))
}

#[cfg(test)]
#[path = "connect/tests.rs"]
mod tests;
