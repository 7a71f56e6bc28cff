//! A scenario file's bytes as text. A folder, or bytes that are not UTF-8, are errors that
//! say so (the first bad byte at its line:column and byte offset), not a bare I/O error.

use std::fs;
use std::path::Path;

use super::diagnostics::{Diagnostic, ScenarioError, Source};

/// The text of the scenario file at `path`.
pub(crate) fn text(path: &Path) -> Result<String, ScenarioError> {
    if path.is_dir() {
        return Err(ScenarioError::NotAFile {
            path: path.to_path_buf(),
        });
    }
    let bytes = fs::read(path).map_err(|io| ScenarioError::Read {
        path: path.to_path_buf(),
        io,
    })?;
    String::from_utf8(bytes).map_err(|e| ScenarioError::Invalid {
        diagnostics: vec![not_utf8(path, e.as_bytes(), e.utf8_error().valid_up_to())],
    })
}

/// The first byte of `bytes` that does not begin a UTF-8 character, at `offset`.
fn not_utf8(path: &Path, bytes: &[u8], offset: usize) -> Diagnostic {
    // Everything before the offset is valid, so its lines and characters count as usual.
    let valid = std::str::from_utf8(&bytes[..offset.min(bytes.len())]).unwrap_or_default();
    let src = Source {
        file: path,
        text: valid,
    };
    let byte = bytes.get(offset).copied().unwrap_or_default();
    let message = format!(
        "the file is not UTF-8: byte 0x{byte:02x} at byte offset {offset} does not begin a \
         character; save the file as UTF-8"
    );
    src.diagnostic(offset..offset, "", message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("rollcage-read-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        dir.join(name)
    }

    #[test]
    fn the_first_bad_byte_is_placed_at_its_line_and_column() {
        let path = temp("latin1.toml");
        fs::write(&path, b"name = \"a\"\ndescription = \"caf\xe9\"\n").unwrap();
        let Err(ScenarioError::Invalid { diagnostics }) = text(&path) else {
            panic!("read as text")
        };
        let d = &diagnostics[0];
        assert_eq!((d.line, d.column, d.key.as_str()), (2, 19, ""));
        assert_eq!(
            d.message,
            "the file is not UTF-8: byte 0xe9 at byte offset 29 does not begin a character; \
             save the file as UTF-8"
        );
        // Characters before the bad byte count once each, however many bytes they take.
        fs::write(
            &path,
            "é = 1\nx = \"\u{1F600}"
                .bytes()
                .chain([0xff])
                .collect::<Vec<_>>(),
        )
        .unwrap();
        let Err(ScenarioError::Invalid { diagnostics }) = text(&path) else {
            panic!("read as text")
        };
        assert_eq!((diagnostics[0].line, diagnostics[0].column), (2, 7));
    }

    #[test]
    fn a_folder_is_not_read_as_a_file() {
        let dir = temp("sub");
        fs::create_dir_all(&dir).unwrap();
        let err = text(&dir).unwrap_err();
        assert!(matches!(err, ScenarioError::NotAFile { .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            format!("{} is a folder, not a scenario file", dir.display())
        );
    }
}
