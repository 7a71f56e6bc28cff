//! `DOCKER_HOST` and the TLS variables read as the docker CLI reads them, and every value
//! rollcage cannot speak refused with the variable named.

use std::path::PathBuf;

use super::*;

fn vars(host: Option<&str>) -> HostVars {
    HostVars {
        host: host.map(String::from),
        home: Some("/home/u".into()),
        ..HostVars::default()
    }
}

fn read(vars: &HostVars) -> Result<Endpoint, String> {
    Endpoint::from_vars(vars).map_err(|e| e.to_string())
}

#[test]
fn no_value_is_the_local_socket_and_unix_names_another() {
    let local = Endpoint::Unix(PathBuf::from("/var/run/docker.sock"));
    assert_eq!(read(&vars(None)), Ok(local.clone()));
    assert_eq!(read(&vars(Some(""))), Ok(local.clone()));
    assert_eq!(read(&vars(Some("unix://"))), Ok(local));
    let other = read(&vars(Some("unix:///run/user/1000/docker.sock"))).unwrap();
    assert_eq!(other.to_string(), "unix:///run/user/1000/docker.sock");
}

#[test]
fn tcp_and_http_are_plain_http_with_the_cli_defaults() {
    let http = |addr: &str| Ok(Endpoint::Http(addr.into()));
    assert_eq!(
        read(&vars(Some("tcp://10.0.0.5:2375"))),
        http("10.0.0.5:2375")
    );
    assert_eq!(
        read(&vars(Some(" tcp://docker:2375/ "))),
        http("docker:2375")
    );
    assert_eq!(read(&vars(Some("http://docker:8080"))), http("docker:8080"));
    assert_eq!(read(&vars(Some("tcp://docker"))), http("docker:2375"));
    assert_eq!(read(&vars(Some("tcp://:2375"))), http("localhost:2375"));
    assert_eq!(read(&vars(Some("docker:2375"))), http("docker:2375"));
    assert_eq!(read(&vars(Some("tcp://[::1]:2375"))), http("[::1]:2375"));
}

#[test]
fn tls_verify_or_https_means_tls_with_the_cert_folder() {
    let mut v = vars(Some("tcp://docker:2376"));
    v.tls_verify = Some("1".into());
    let tls = |certs: &str| {
        Ok(Endpoint::Tls {
            addr: "docker:2376".into(),
            certs: certs.into(),
        })
    };
    assert_eq!(read(&v), tls("/home/u/.docker"));
    v.cert_path = Some("/certs/client".into());
    assert_eq!(read(&v), tls("/certs/client"));
    let https = vars(Some("https://docker:2376"));
    assert_eq!(read(&https), tls("/home/u/.docker"));
    // An empty DOCKER_TLS_VERIFY is unset, as for the docker CLI.
    let mut empty = vars(Some("tcp://docker:2376"));
    empty.tls_verify = Some(String::new());
    assert_eq!(read(&empty), Ok(Endpoint::Http("docker:2376".into())));
    // TLS without a host is the CLI's localhost:2376.
    let mut bare = vars(None);
    bare.tls_verify = Some("1".into());
    let ep = read(&bare).unwrap();
    assert_eq!(ep.to_string(), "tcp://localhost:2376 (TLS)");
}

#[test]
fn what_rollcage_cannot_speak_is_refused_by_name() {
    let refused = |host: &str| read(&vars(Some(host))).unwrap_err();
    let ssh = refused("ssh://me@build-host");
    assert!(
        ssh.starts_with("DOCKER_HOST=ssh://me@build-host cannot be used: "),
        "{ssh}"
    );
    assert!(ssh.contains("unix:///tmp/docker.sock"), "{ssh}");
    assert!(refused("npipe:////./pipe/docker_engine").contains("Windows"));
    assert!(refused("fd://").contains("daemon's own"));
    assert!(refused("garbage://x").contains("unknown scheme garbage://"));
    assert!(refused("/var/run/docker.sock").contains("unix:///var/run/docker.sock"));
    assert!(refused("tcp://docker:2375/v1").contains("path"));
    assert!(refused("tcp://docker:http").contains("port http"));
    assert!(refused("tcp://docker:0").contains("port 0"));
    assert!(refused("tcp://us er@docker:1").contains("not a host name"));
    assert!(refused("tcp://[::1:2375").contains("closing ]"));
}

#[test]
fn contradictory_tls_settings_are_refused() {
    let mut http = vars(Some("http://docker:2375"));
    http.tls_verify = Some("1".into());
    assert!(read(&http)
        .unwrap_err()
        .contains("DOCKER_TLS_VERIFY asks for TLS"));
    let mut unchecked = vars(Some("tcp://docker:2376"));
    unchecked.tls = Some("1".into());
    assert!(read(&unchecked)
        .unwrap_err()
        .contains("DOCKER_TLS asks for TLS without"));
    let mut homeless = vars(Some("https://docker:2376"));
    homeless.home = None;
    assert!(read(&homeless).unwrap_err().contains("DOCKER_CERT_PATH"));
}

#[test]
fn missing_tls_files_are_named_before_any_connection() {
    let ep = Endpoint::Tls {
        addr: "docker:2376".into(),
        certs: "/nonexistent/rollcage-certs".into(),
    };
    let err = ep.client(Duration::from_secs(5)).unwrap_err();
    assert!(matches!(err, RuntimeError::TlsFile { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "cannot read /nonexistent/rollcage-certs/ca.pem for TLS to the Docker Engine \
         (DOCKER_CERT_PATH)"
    );
}
