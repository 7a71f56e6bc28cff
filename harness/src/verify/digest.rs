//! The `digest` oracle: the image running after the rollback is the one captured before the
//! deploy (a moved mutable tag, or a rebuilt "same" tag, fails here).

use super::OracleResult;
use crate::vocab::Oracle;

pub fn check_digest(captured: &str, running: &str) -> OracleResult {
    if captured == running {
        OracleResult::pass(
            Oracle::Digest,
            format!("running {running}, as before the deploy"),
        )
    } else {
        OracleResult::fail(Oracle::Digest,
            format!("running {running}, but {captured} ran before the deploy: the rollback redeployed a different image"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_image_passes_other_fails() {
        assert!(!check_digest("sha256:a", "sha256:a").failed());
        let r = check_digest("sha256:a", "sha256:b");
        assert!(r.failed() && r.message.contains("sha256:b"));
    }
}
