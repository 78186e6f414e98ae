//! Roles and what each may do. Checked on every route through [`AuthUser`](super::AuthUser).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Manager,
    Rep,
    Viewer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Rep => "rep",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        [Role::Admin, Role::Manager, Role::Rep, Role::Viewer]
            .into_iter()
            .find(|r| r.as_str() == s)
    }

    /// Create, edit, delete and sync leads; send events.
    pub fn can_write(self) -> bool {
        !matches!(self, Role::Viewer)
    }

    /// Tenant-wide management (webhooks, exports, erasure).
    pub fn can_manage(self) -> bool {
        matches!(self, Role::Admin | Role::Manager)
    }

    /// Add teammates.
    pub fn is_admin(self) -> bool {
        matches!(self, Role::Admin)
    }
}
