//! «Пайдаланушылар»: the regional administrator's accounts — create, role, kindergarten,
//! switch off, reset a password (its owner sets a new one at the next sign-in). Each change
//! is a command in the history, so who did what is kept; a password never is.

use crate::{Office, OrApi};
use baqsha_api::*;
use baqsha_core::command::{self, CommandKind};
use baqsha_core::roles::Operator;
use baqsha_core::OperatorId;

impl Office {
    /// Every account of this desk: the administrator's only.
    pub async fn accounts(&self, op: &Operator) -> Result<Vec<Account>, ApiError> {
        if !op.role.may_change_settings() {
            return Err(ApiError::Denied);
        }
        let list = self.store().operators().await.or_api("accounts")?;
        Ok(list.into_iter().map(|(operator, active, must_change)| Account { operator, active, must_change }).collect())
    }

    /// Creates or changes an account; a new one needs a temporary password.
    pub async fn save_account(&self, op: &Operator, form: &AccountForm) -> Result<Vec<Account>, ApiError> {
        if !op.role.may_change_settings() {
            return Err(ApiError::Denied);
        }
        let login = form.login.trim().to_lowercase();
        let target = Operator {
            id: form.id.unwrap_or_else(|| OperatorId(self.inner.ids.id())),
            login: login.clone(),
            full_name: form.full_name.trim().to_string(),
            role: form.role,
            kindergarten: form.kindergarten.filter(|_| form.role == baqsha_core::roles::Role::KindergartenStaff),
        };
        command::check_operator_change(op, &target, form.active).map_err(|rule| ApiError::Rule { rule })?;
        let password = form.password.as_deref().filter(|p| !p.is_empty());
        match password {
            Some(p) if !command::password_acceptable(&login, p) => return Err(ApiError::InvalidInput { field: "password".into() }),
            None if form.id.is_none() => return Err(ApiError::InvalidInput { field: "password".into() }),
            _ => {}
        }
        let cmd = self.command(op, CommandKind::SaveOperator { operator: target.clone(), active: form.active });
        self.store().apply_account(op, &cmd, password).await.or_api("account")?;
        tracing::info!("account {} saved by {} ({}, {})", target.login, op.login, target.role.code(), if form.active { "on" } else { "off" });
        self.accounts(op).await
    }

    /// A new temporary password for an account; its owner must change it at sign-in.
    pub async fn reset_password(&self, op: &Operator, id: OperatorId, password: &str) -> Result<Vec<Account>, ApiError> {
        if !op.role.may_change_settings() {
            return Err(ApiError::Denied);
        }
        let accounts = self.accounts(op).await?;
        let target = accounts.iter().find(|a| a.operator.id == id).ok_or(ApiError::NotFound)?;
        if !command::password_acceptable(&target.operator.login, password) {
            return Err(ApiError::InvalidInput { field: "password".into() });
        }
        let cmd = self.command(op, CommandKind::ResetPassword { operator: id });
        self.store().apply_account(op, &cmd, Some(password)).await.or_api("password reset")?;
        tracing::info!("password of {} reset by {}", target.operator.login, op.login);
        self.accounts(op).await
    }

    /// The owner's own password, instead of the one an administrator gave: signs in.
    pub async fn change_password(&self, login: &str, old: &str, new: &str) -> Result<Session, ApiError> {
        if !command::password_acceptable(login, new) || old == new {
            return Err(ApiError::InvalidInput { field: "password".into() });
        }
        let operator = match self.store().change_password(login, old, new, self.now()).await {
            Ok(op) => op,
            Err(e) => return Err(crate::session::sign_in_error(e)),
        };
        tracing::info!("password changed by {}", operator.login);
        self.session(operator).await
    }
}
