//! Local operator accounts and sign-in. Passwords are kept only as argon2id hashes.

use crate::codec::{code, time, ts, uuid};
use crate::{ApplyError, Store, StoreError};
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use baqsha_core::command::{Command, CommandKind};
use baqsha_core::roles::{Operator, Role};
use baqsha_core::signin::ThrottlePolicy;
use baqsha_core::{KindergartenId, OperatorId};
use chrono::{DateTime, Utc};
use sqlx::Row;

#[derive(Debug, Clone)]
pub struct NewOperator {
    pub login: String,
    pub full_name: String,
    pub role: Role,
    pub kindergarten: Option<KindergartenId>,
    pub password: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// Unknown login or wrong password: deliberately the same answer for both.
    #[error("wrong login or password")]
    BadCredentials,
    #[error("this account is switched off")]
    Disabled,
    /// The password is right but was given by an administrator: its owner sets a new one
    /// (`change_password`) before signing in.
    #[error("the password must be changed")]
    MustChange,
    /// Too many failed tries (of this login, or on this desk): the password was not checked.
    #[error("too many failed sign-ins: wait {seconds} s")]
    Wait { seconds: i64 },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An argon2id hash with the default parameters (those every account's hash is made with;
/// a test keeps them equal) of no password anyone can type: its salt and digest are
/// constants, not the hash of a chosen secret.
const NO_ACCOUNT_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$bm8tYWNjb3VudC1zYWx0IQ$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

impl Store {
    /// Creates an account (administration, not a domain command: a password hash never goes
    /// into the history or the outbox).
    pub async fn create_operator(&self, n: &NewOperator) -> Result<Operator, StoreError> {
        let hash = hash_password(&n.password)?;
        let id = OperatorId(uuid::Uuid::now_v7());
        sqlx::query("INSERT INTO operators (id, login, full_name, role, kindergarten, password_hash) VALUES (?, ?, ?, ?, ?, ?)")
            .bind(id.to_string())
            .bind(n.login.trim())
            .bind(&n.full_name)
            .bind(n.role.code())
            .bind(n.kindergarten.map(|k| k.to_string()))
            .bind(hash)
            .execute(&self.pool)
            .await?;
        Ok(Operator { id, login: n.login.trim().to_string(), full_name: n.full_name.clone(), role: n.role, kindergarten: n.kindergarten })
    }

    /// Checks a login and password at `now`, after too many failures refusing to check at
    /// all for a while (`core::signin`); failures are kept per login as typed, known or not.
    async fn check_password(&self, login: &str, password: &str, now: DateTime<Utc>, new_password: Option<&str>) -> Result<Operator, SignInError> {
        let policy = ThrottlePolicy::default();
        let key = login.trim().to_lowercase();
        let _one_at_a_time = self.signing_in.lock().await;
        let since = ts(now - policy.window);
        let of_login = self.failures_since(&since, Some(&key)).await?;
        let of_desk = self.failures_since(&since, None).await?;
        if let Some(seconds) = baqsha_core::signin::wait(&of_login, &of_desk, now, &policy) {
            return Err(SignInError::Wait { seconds });
        }
        let row = sqlx::query("SELECT * FROM operators WHERE login = ?").bind(login.trim()).fetch_optional(&self.pool).await.map_err(StoreError::from)?;
        // An unknown login is checked against a hash no password matches, so it takes as
        // long as a wrong password: the answer's time does not tell which logins exist.
        let stored: String = match &row {
            Some(r) => r.try_get("password_hash").map_err(StoreError::from)?,
            None => NO_ACCOUNT_HASH.to_string(),
        };
        // argon2 is CPU-heavy: keep it off the async executor's threads.
        let pw = password.to_string();
        let ok = tokio::task::spawn_blocking(move || PasswordHash::new(&stored).is_ok_and(|h| Argon2::default().verify_password(pw.as_bytes(), &h).is_ok())).await.unwrap_or(false);
        let (Some(r), true) = (row, ok) else {
            sqlx::query("DELETE FROM sign_in_failures WHERE at <= ?").bind(&since).execute(&self.pool).await.map_err(StoreError::from)?;
            sqlx::query("INSERT INTO sign_in_failures (login, at) VALUES (?, ?)").bind(&key).bind(ts(now)).execute(&self.pool).await.map_err(StoreError::from)?;
            return Err(SignInError::BadCredentials);
        };
        if r.try_get::<i64, _>("active").map_err(StoreError::from)? == 0 {
            return Err(SignInError::Disabled);
        }
        sqlx::query("DELETE FROM sign_in_failures WHERE login = ?").bind(&key).execute(&self.pool).await.map_err(StoreError::from)?;
        if r.try_get::<i64, _>("must_change").map_err(StoreError::from)? != 0 && new_password.is_none() {
            return Err(SignInError::MustChange);
        }
        let op = operator(&r)?;
        if let Some(new) = new_password {
            set_password(&self.pool, op.id, new, false).await?;
        }
        Ok(op)
    }

    /// An account with a password its owner must change, or one they chose, signs in.
    pub async fn sign_in(&self, login: &str, password: &str, now: DateTime<Utc>) -> Result<Operator, SignInError> {
        self.check_password(login, password, now, None).await
    }

    /// The owner's new password, given with the one they were handed (throttled like a
    /// sign-in); the account is signed in with it.
    pub async fn change_password(&self, login: &str, old: &str, new: &str, now: DateTime<Utc>) -> Result<Operator, SignInError> {
        self.check_password(login, old, now, Some(new)).await
    }

    /// Every account, for «Пайдаланушылар»: the person, switched on, and whether their
    /// password waits to be changed.
    pub async fn operators(&self) -> Result<Vec<(Operator, bool, bool)>, StoreError> {
        let rows = sqlx::query("SELECT * FROM operators ORDER BY role, full_name COLLATE kazakh").fetch_all(&self.pool).await?;
        rows.iter().map(|r| Ok((operator(r)?, r.try_get::<i64, _>("active")? != 0, r.try_get::<i64, _>("must_change")? != 0))).collect()
    }

    /// Applies an administrator's account command (`SaveOperator`, `ResetPassword`) and, in
    /// the same transaction, the temporary password it comes with (hashed here, never in
    /// the command), which its owner must change.
    pub async fn apply_account(&self, author: &Operator, cmd: &Command, password: Option<&str>) -> Result<(), ApplyError> {
        baqsha_core::roles::authorize(author, &cmd.kind)?;
        let target = match &cmd.kind {
            CommandKind::SaveOperator { operator, .. } => operator.id,
            CommandKind::ResetPassword { operator } => *operator,
            _ => return Err(ApplyError::NotFound("account command")),
        };
        let hash = password.map(hash_password).transpose()?;
        let _writer = self.writer.lock().await;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        crate::apply::apply_in(&mut tx, cmd, &mut None).await?;
        if let Some(hash) = hash {
            sqlx::query("UPDATE operators SET password_hash = ?, must_change = 1 WHERE id = ?").bind(hash).bind(target.to_string()).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        self.wrote_outbox();
        Ok(())
    }

    /// Failed sign-ins after `since`: of one login, or of the whole desk.
    async fn failures_since(&self, since: &str, login: Option<&str>) -> Result<Vec<DateTime<Utc>>, StoreError> {
        let times: Vec<String> =
            sqlx::query_scalar("SELECT at FROM sign_in_failures WHERE at > ?1 AND (?2 IS NULL OR login = ?2)").bind(since).bind(login).fetch_all(&self.pool).await?;
        times.iter().map(|t| time(t)).collect()
    }

    /// Keeps an account of the region (as its server named it, with the password just
    /// accepted there) so its owner can sign in at this desk offline. Its id is the region's:
    /// what they do here is theirs there. A local account of the same login gives way.
    pub async fn keep_region_account(&self, op: &Operator, password: &str) -> Result<(), StoreError> {
        let hash = hash_password(password)?;
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE operators SET login = login || '~' || substr(id, 1, 8), active = 0 WHERE login = ? AND id != ?")
            .bind(op.login.trim())
            .bind(op.id.to_string())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO operators (id, login, full_name, role, kindergarten, password_hash) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT(id) DO UPDATE SET login = excluded.login, full_name = excluded.full_name, role = excluded.role,
                kindergarten = excluded.kindergarten, password_hash = excluded.password_hash, active = 1, must_change = 0",
        )
        .bind(op.id.to_string())
        .bind(op.login.trim())
        .bind(&op.full_name)
        .bind(op.role.code())
        .bind(op.kindergarten.map(|k| k.to_string()))
        .bind(hash)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn operator_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM operators").fetch_one(&self.pool).await?)
    }
}

/// What a new account's row holds until its first password is set: no PHC string, so no
/// password matches it.
const NO_PASSWORD: &str = "!";

fn hash_password(password: &str) -> Result<String, StoreError> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default().hash_password(password.as_bytes(), &salt).map_err(|e| StoreError::Decode { what: "password", detail: e.to_string() })?.to_string())
}

async fn set_password(pool: &sqlx::SqlitePool, id: OperatorId, password: &str, must_change: bool) -> Result<(), StoreError> {
    let hash = hash_password(password)?;
    sqlx::query("UPDATE operators SET password_hash = ?, must_change = ? WHERE id = ?").bind(hash).bind(must_change).bind(id.to_string()).execute(pool).await?;
    Ok(())
}

/// `SaveOperator`'s effect: the account as the administrator set it; a login taken by
/// another account is refused.
pub(crate) async fn save_in(tx: &mut sqlx::SqliteConnection, o: &Operator, active: bool) -> Result<(), ApplyError> {
    let login = o.login.trim().to_lowercase();
    let taken: Option<String> = sqlx::query_scalar("SELECT id FROM operators WHERE login = ? AND id != ?").bind(&login).bind(o.id.to_string()).fetch_optional(&mut *tx).await?;
    if taken.is_some() {
        return Err(ApplyError::Rule(baqsha_core::command::RuleError::BadLogin));
    }
    sqlx::query(
        "INSERT INTO operators (id, login, full_name, role, kindergarten, password_hash, active) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET login = excluded.login, full_name = excluded.full_name, role = excluded.role,
             kindergarten = excluded.kindergarten, active = excluded.active",
    )
    .bind(o.id.to_string())
    .bind(&login)
    .bind(o.full_name.trim())
    .bind(o.role.code())
    .bind(o.kindergarten.map(|k| k.to_string()))
    .bind(NO_PASSWORD)
    .bind(active)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

fn operator(r: &sqlx::sqlite::SqliteRow) -> Result<Operator, StoreError> {
    let k: Option<String> = r.try_get("kindergarten")?;
    Ok(Operator {
        id: OperatorId(uuid(&r.try_get::<String, _>("id")?)?),
        login: r.try_get("login")?,
        full_name: r.try_get("full_name")?,
        role: code("role", &r.try_get::<String, _>("role")?, Role::from_code)?,
        kindergarten: k.as_deref().map(uuid).transpose()?.map(KindergartenId),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_no_account_hash_costs_what_an_account_hash_costs() {
        let h = PasswordHash::new(NO_ACCOUNT_HASH).unwrap();
        let params = argon2::Params::try_from(&h).unwrap();
        let default = argon2::Params::default();
        assert_eq!((h.algorithm.as_str(), params.m_cost(), params.t_cost(), params.p_cost()), ("argon2id", default.m_cost(), default.t_cost(), default.p_cost()));
        assert!(Argon2::default().verify_password(b"", &h).is_err());
    }
}
