//! Coders: named local user profiles with a role that decides what the app lets them do.

use crate::error::{Error, Result};
use crate::project::Project;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use vocwb_types::Role;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coder {
    pub name: String,
    pub role: Role,
}

impl Project {
    /// Creates or updates a coder profile.
    pub fn set_coder(&mut self, name: &str, role: Role) -> Result<()> {
        if name.trim().is_empty() {
            return Err(Error::Forbidden("a coder needs a name".into()));
        }
        self.conn.execute(
            "INSERT INTO coder (name, role) VALUES (?1, ?2) ON CONFLICT(name) DO UPDATE SET role = excluded.role",
            params![name, role.as_str()],
        )?;
        Ok(())
    }

    pub fn coders(&self) -> Result<Vec<Coder>> {
        let mut st = self.conn.prepare("SELECT name, role FROM coder ORDER BY name")?;
        let rows = st.query_map([], |r| {
            let role: String = r.get(1)?;
            Ok(Coder { name: r.get(0)?, role: role.parse().unwrap_or_default() })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Refuses `name` unless it has `role`. The first person to need a role nobody has yet
    /// (say, the first publish in a new project) takes it, so a fresh project is usable at once.
    pub fn require_role(&mut self, name: &str, role: Role) -> Result<()> {
        let current: Option<String> =
            self.conn.query_row("SELECT role FROM coder WHERE name = ?1", [name], |r| r.get(0)).optional()?;
        if current.as_deref() == Some(role.as_str()) {
            return Ok(());
        }
        let anyone: i64 = self.conn.query_row("SELECT COUNT(*) FROM coder WHERE role = ?1", [role.as_str()], |r| r.get(0))?;
        if anyone == 0 && current.is_none() {
            return self.set_coder(name, role);
        }
        Err(Error::Forbidden(format!(
            "{name} is {}; only {} may do this",
            current.map(|r| format!("a {r}")).unwrap_or_else(|| "not a known coder".into()),
            match role {
                Role::Owner => "a code-frame owner",
                Role::Reviewer => "a QA reviewer",
                Role::Researcher => "a researcher",
            }
        )))
    }
}
