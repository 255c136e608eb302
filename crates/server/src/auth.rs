//! Accounts, devices and tokens. A desk registers once as a device of its account's office
//! and keeps a refresh token (only its hash is stored here); an access token lives minutes
//! and carries everything a request is authorised by: the account, its role, its office's
//! scope and the device. Scopes come from the token, never from the request.

use crate::{Server, ServerError};
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use baqsha_core::roles::{Operator, Role};
use baqsha_core::{DeviceId, KindergartenId, OperatorId};
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// What an office may see and touch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "scope", rename_all = "snake_case")]
pub enum Scope {
    Region,
    District { district: String },
    Kindergarten { kindergarten: KindergartenId },
}

impl Scope {
    /// Whether a row seen by `district` and by the named kindergartens is in this scope.
    pub fn reaches(&self, district: Option<&str>, kindergartens: &[Uuid]) -> bool {
        match self {
            Scope::Region => true,
            Scope::District { district: d } => district == Some(d.as_str()),
            Scope::Kindergarten { kindergarten } => kindergartens.contains(&kindergarten.0),
        }
    }

    /// The scope as SQL parameters: its kind, its district, its kindergarten.
    pub(crate) fn params(&self) -> (&'static str, Option<String>, Option<Uuid>) {
        match self {
            Scope::Region => ("region", None, None),
            Scope::District { district } => ("district", Some(district.clone()), None),
            Scope::Kindergarten { kindergarten } => ("kindergarten", None, Some(kindergarten.0)),
        }
    }
}

/// An access token's claims: the request is authorised from these alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    pub login: String,
    pub name: String,
    pub role: String,
    pub dev: Uuid,
    pub office: Uuid,
    #[serde(flatten)]
    pub scope: Scope,
    pub exp: i64,
}

impl Claims {
    pub fn operator(&self) -> Option<Operator> {
        let role = Role::from_code(&self.role)?;
        let kindergarten = match &self.scope {
            Scope::Kindergarten { kindergarten } => Some(*kindergarten),
            _ => None,
        };
        Some(Operator { id: OperatorId(self.sub), login: self.login.clone(), full_name: self.name.clone(), role, kindergarten })
    }

    pub fn device(&self) -> DeviceId {
        DeviceId(self.dev)
    }
}

/// Signs and checks access tokens (HMAC-SHA256 with the server's key).
pub struct Tokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    pub lifetime: Duration,
}

impl Tokens {
    pub fn new(key: &[u8], lifetime: Duration) -> Tokens {
        Tokens { encoding: EncodingKey::from_secret(key), decoding: DecodingKey::from_secret(key), lifetime }
    }

    pub fn issue(&self, claims: &Claims) -> Result<String, jsonwebtoken::errors::Error> {
        jsonwebtoken::encode(&Header::default(), claims, &self.encoding)
    }

    /// The claims of a token signed here and not expired at `now`.
    pub fn check(&self, token: &str, now: DateTime<Utc>) -> Option<Claims> {
        let mut v = Validation::default();
        // Expiry is checked against the server's clock below, not the library's.
        v.validate_exp = false;
        v.required_spec_claims.clear();
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &v).ok()?.claims;
        (claims.exp > now.timestamp()).then_some(claims)
    }
}

pub fn hash_password(password: &str) -> Result<String, ServerError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| ServerError::Hash(e.to_string()))
}

/// Same cost for an unknown login as for a wrong password: a hash is always checked.
const NO_ACCOUNT_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$bm8tYWNjb3VudC1zYWx0IQ$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[derive(sqlx::FromRow)]
struct AccountRow {
    id: Uuid,
    login: String,
    full_name: String,
    password_hash: String,
    role: String,
    office: Uuid,
    scope: String,
    district: Option<String>,
    kindergarten: Option<Uuid>,
}

/// An account as the office's scope sees it.
struct Account {
    id: Uuid,
    login: String,
    name: String,
    role: String,
    office: Uuid,
    scope: Scope,
}

impl Server {
    /// The account whose password this is (argon2id, off the async threads), if active.
    async fn account(&self, login: &str, password: &str) -> Result<Option<Account>, ServerError> {
        let row: Option<AccountRow> = sqlx::query_as(
            "SELECT a.id, a.login, a.full_name, a.password_hash, a.role, o.id AS office, o.scope, o.district, o.kindergarten
             FROM accounts a JOIN offices o ON o.id = a.office WHERE a.login = $1 AND a.active",
        )
        .bind(login.trim())
        .fetch_optional(&self.pool)
        .await?;
        let hash = row.as_ref().map(|r| r.password_hash.clone()).unwrap_or_else(|| NO_ACCOUNT_HASH.to_string());
        let password = password.to_string();
        let ok = tokio::task::spawn_blocking(move || verify(&password, &hash)).await.map_err(|e| ServerError::Hash(e.to_string()))?;
        let Some(r) = row.filter(|_| ok) else { return Ok(None) };
        let scope = match (r.scope.as_str(), r.district, r.kindergarten) {
            ("district", Some(district), _) => Scope::District { district },
            ("kindergarten", _, Some(k)) => Scope::Kindergarten { kindergarten: KindergartenId(k) },
            _ => Scope::Region,
        };
        Ok(Some(Account { id: r.id, login: r.login, name: r.full_name, role: r.role, office: r.office, scope }))
    }

    /// Registers a desk of the account's office; None when the login or password is wrong.
    pub async fn register_device(&self, login: &str, password: &str, name: &str) -> Result<Option<(DeviceId, String)>, ServerError> {
        let Some(account) = self.account(login, password).await? else { return Ok(None) };
        let device = Uuid::now_v7();
        let mut secret = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut secret);
        let refresh = hex::encode(secret);
        let mut tx = self.pool.begin().await?;
        let now = self.clock.now();
        sqlx::query("INSERT INTO devices (id, office, name, refresh_hash, registered_at, last_sync) VALUES ($1, $2, $3, $4, $5, $5)")
            .bind(device)
            .bind(account.office)
            .bind(name.trim())
            .bind(token_hash(&refresh))
            .bind(now)
            .execute(&mut *tx)
            .await?;
        // Whatever the desk numbers from now on was made after now.
        sqlx::query("INSERT INTO device_vouches (device, made, at) VALUES ($1, 0, $2)").bind(device).bind(now).execute(&mut *tx).await?;
        tx.commit().await?;
        tracing::info!("device {device} registered for office {} by {}", account.office, account.login);
        Ok(Some((DeviceId(device), refresh)))
    }

    /// An access token for an account signing in at one of its office's devices; None when
    /// the device, its refresh token, the login or the password is wrong, or the account
    /// belongs to another office.
    pub async fn access_token(&self, device: DeviceId, refresh: &str, login: &str, password: &str) -> Result<Option<(String, DateTime<Utc>)>, ServerError> {
        let known: Option<(Uuid, String)> = sqlx::query_as("SELECT office, refresh_hash FROM devices WHERE id = $1").bind(device.0).fetch_optional(&self.pool).await?;
        let account = self.account(login, password).await?;
        let (Some((office, hash)), Some(account)) = (known, account) else { return Ok(None) };
        if hash != token_hash(refresh) || office != account.office {
            return Ok(None);
        }
        let expires = self.clock.now() + self.tokens.lifetime;
        let claims =
            Claims { sub: account.id, login: account.login, name: account.name, role: account.role, dev: device.0, office, scope: account.scope, exp: expires.timestamp() };
        let token = self.tokens.issue(&claims).map_err(|e| ServerError::Hash(e.to_string()))?;
        Ok(Some((token, expires)))
    }
}
