//! Local operator accounts and sign-in. Passwords are kept only as argon2id hashes.

use crate::codec::{code, uuid};
use crate::{Store, StoreError};
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use baqsha_core::roles::{Operator, Role};
use baqsha_core::{KindergartenId, OperatorId};
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
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Store {
    /// Creates an account (administration, not a domain command: a password hash never goes
    /// into the history or the outbox).
    pub async fn create_operator(&self, n: &NewOperator) -> Result<Operator, StoreError> {
        let salt = SaltString::generate(&mut OsRng);
        let hash = Argon2::default().hash_password(n.password.as_bytes(), &salt).map_err(|e| StoreError::Decode { what: "password", detail: e.to_string() })?.to_string();
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

    pub async fn sign_in(&self, login: &str, password: &str) -> Result<Operator, SignInError> {
        let row = sqlx::query("SELECT * FROM operators WHERE login = ?").bind(login.trim()).fetch_optional(&self.pool).await.map_err(StoreError::from)?;
        let Some(r) = row else {
            return Err(SignInError::BadCredentials);
        };
        let stored: String = r.try_get("password_hash").map_err(StoreError::from)?;
        // argon2 is CPU-heavy: keep it off the async executor's threads.
        let pw = password.to_string();
        let ok = tokio::task::spawn_blocking(move || PasswordHash::new(&stored).is_ok_and(|h| Argon2::default().verify_password(pw.as_bytes(), &h).is_ok())).await.unwrap_or(false);
        if !ok {
            return Err(SignInError::BadCredentials);
        }
        if r.try_get::<i64, _>("active").map_err(StoreError::from)? == 0 {
            return Err(SignInError::Disabled);
        }
        Ok(operator(&r)?)
    }

    pub async fn operator_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM operators").fetch_one(&self.pool).await?)
    }
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
