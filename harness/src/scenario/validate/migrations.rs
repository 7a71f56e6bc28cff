//! Checks for a release's `migrations`: a folder that exists, `"self"`, or a table of
//! migration commands (non-empty commands, known placeholders, a timeout, and never a folder
//! beside the commands).

use std::collections::BTreeMap;

use super::super::diagnostics::quote_key;
use super::super::model::*;
use super::super::raw::*;
use super::{secs, Checker, DB_PLACEHOLDERS};

impl Checker<'_> {
    /// The release's migrations; `key` is `releases.<name>`.
    pub(super) fn migrations(&mut self, raw: Option<&S<RawMigrations>>, key: &str) -> Migrations {
        let Some(raw) = raw else {
            return Migrations::None;
        };
        let key = format!("{key}.migrations");
        match raw.get_ref() {
            RawMigrations::Text(t) if t == "self" => Migrations::SelfManaged,
            RawMigrations::Text(t) => {
                let folder = self.dir.join(t);
                if !folder.is_dir() {
                    let what = if folder.exists() {
                        "is not a folder"
                    } else {
                        "does not exist"
                    };
                    self.error(raw.span(), &key, format!("{} {what}", folder.display()));
                }
                Migrations::Folder(folder)
            }
            RawMigrations::Commands(c) => Migrations::Commands(self.commands(c, &key)),
        }
    }

    /// `{target.version}` in the deployed release's `down` is what the release deployed from
    /// prints with its `version` command: without one there is nothing to fill it with.
    pub(super) fn target_version(
        &mut self,
        raw: &S<Ordered<S<RawRelease>>>,
        releases: &[Release],
        deploy: &Deploy,
    ) {
        let has_version =
            |r: &Release| matches!(&r.migrations, Migrations::Commands(c) if !c.version.is_empty());
        let Some(from) = releases.iter().find(|r| r.name == deploy.from) else {
            return;
        };
        let down = raw.get_ref().0.iter().find(|(name, _)| *name == deploy.to);
        let down = down.and_then(
            |(_, r)| match r.get_ref().migrations.as_ref().map(S::get_ref) {
                Some(RawMigrations::Commands(c)) => c.down.as_ref(),
                _ => None,
            },
        );
        let Some(down) = down else { return };
        if down
            .get_ref()
            .iter()
            .any(|w| w.contains("{target.version}"))
            && !has_version(from)
        {
            let key = format!("releases.{}.migrations.down", quote_key(&deploy.to));
            let message = format!(
                "{{target.version}} is what release `{}` (deploy.from) prints with its `version` \
                 command, and it has none",
                from.name
            );
            self.error(down.span(), &key, message);
        }
    }

    fn commands(&mut self, c: &RawCommands, key: &str) -> MigrationCommands {
        if let Some(folder) = &c.folder {
            let message = "a release's migrations are a folder or commands, not both: \
                give the folder as `migrations = \"...\"`, or drop it and keep the commands";
            self.error(folder.span(), &format!("{key}.folder"), message);
        }
        let allowed: Vec<&str> = DB_PLACEHOLDERS
            .iter()
            .chain(TARGET_PLACEHOLDERS.iter())
            .copied()
            .collect();
        let up = self.command(Some(&c.up), &format!("{key}.up"), &allowed, false);
        let down = self.command(c.down.as_ref(), &format!("{key}.down"), &allowed, true);
        let version = self.command(
            c.version.as_ref(),
            &format!("{key}.version"),
            &allowed,
            false,
        );
        let image = c
            .image
            .as_ref()
            .map(|i| self.non_empty(i, &format!("{key}.image")));
        let workdir = c.workdir.as_ref().map(|w| {
            if !w.get_ref().starts_with('/') {
                let message = "must be an absolute path inside the container";
                self.error(w.span(), &format!("{key}.workdir"), message);
            }
            w.get_ref().clone()
        });
        let env: BTreeMap<String, String> =
            self.env(&c.env, &format!("{key}.env"), &DB_PLACEHOLDERS);
        MigrationCommands {
            up,
            down,
            version,
            image,
            env,
            workdir,
            timeout: self.duration(
                c.timeout.as_ref(),
                &format!("{key}.timeout"),
                secs(DEFAULT_COMMAND_TIMEOUT.as_secs()),
                false,
            ),
        }
    }

    /// One command: words, the first of them the program; its placeholders must be known
    /// (`{target.*}` only where `targets` allows).
    fn command(
        &mut self,
        raw: Option<&S<Vec<String>>>,
        key: &str,
        allowed: &[&str],
        targets: bool,
    ) -> Vec<String> {
        let Some(raw) = raw else {
            return Vec::new();
        };
        let words = raw.get_ref();
        if words.first().is_none_or(|w| w.trim().is_empty()) {
            let message = "a command is a list of words, the program first (e.g. [\"alembic\", \"upgrade\", \"head\"])";
            self.error(raw.span(), key, message);
        }
        let allowed: Vec<&str> = allowed
            .iter()
            .copied()
            .filter(|p| targets || !p.starts_with("target."))
            .collect();
        for word in words {
            let spanned = S::new(raw.span(), word.clone());
            self.placeholders(&spanned, key, &allowed);
        }
        words.clone()
    }
}

#[cfg(test)]
mod tests;
