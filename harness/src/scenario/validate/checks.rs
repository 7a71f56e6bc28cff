//! Checks for `[[check]]`: a point among the three a check may run at, names unique, a saved
//! value named and read from a JSON pointer, and every `{saved NAME}` naming a check that runs
//! earlier (in the file, at the same point or before) and saves something.

use super::super::model::*;
use super::super::raw::*;
use super::super::template::IN_CHECKS;
use super::Checker;

impl Checker<'_> {
    /// Every `[[check]]`, in file order.
    pub(super) fn checks(&mut self, raw: &[S<RawPointCheck>]) -> Vec<Check> {
        let mut checks: Vec<Check> = Vec::new();
        for (i, entry) in raw.iter().enumerate() {
            let (c, key) = (entry.get_ref(), format!("check[{i}]"));
            let name = match &c.name {
                Some(n) => {
                    let name = self.non_empty(n, &format!("{key}.name"));
                    if checks.iter().any(|x| x.name == name) {
                        let message = format!("a check named `{name}` comes earlier");
                        self.error(n.span(), &format!("{key}.name"), message);
                    }
                    name
                }
                None => key.clone(),
            };
            let points: Vec<(&str, Phase)> =
                CHECK_POINTS.iter().map(|p| (p.as_str(), *p)).collect();
            let at =
                c.at.as_ref()
                    .and_then(|a| self.choose(a, &format!("{key}.at"), &points))
                    .unwrap_or(Phase::DuringVerification);
            let save = c.save.as_ref().map(|s| {
                if c.name.is_none() {
                    let message = "a check that saves a value needs a name to be read back by";
                    self.error(s.span(), &format!("{key}.save"), message);
                }
                self.pointer(s, &format!("{key}.save"))
            });
            let check = Check {
                name,
                at,
                method: self.method(c.method.as_ref(), &format!("{key}.method"), "GET"),
                path: self.template_path(&c.path, &format!("{key}.path"), IN_CHECKS),
                body: self.body(c.json.as_ref(), c.form.as_ref(), &key, IN_CHECKS),
                expect_status: self.statuses(
                    c.expect_status.as_ref(),
                    &format!("{key}.expect-status"),
                    &[200],
                ),
                save,
            };
            let order = |p: Phase| CHECK_POINTS.iter().position(|x| *x == p);
            for used in check.uses() {
                let source = checks.iter().find(|x| x.name == used);
                let problem = match source {
                    None => Some(format!("no earlier check is named `{used}`")),
                    Some(x) if x.save.is_none() => Some(format!("check `{used}` saves nothing")),
                    Some(x) if order(x.at) > order(at) => Some(format!(
                        "check `{used}` runs {}, after this one",
                        x.at.as_str()
                    )),
                    Some(_) => None,
                };
                if let Some(message) = problem {
                    self.error(c.path.span(), &format!("{key}.path"), message);
                }
            }
            checks.push(check);
        }
        checks
    }
}
