//! The person registry port. «ТАӘ толтыру» asks the state person registry for the names of
//! an IIN; birth date and sex never need it (they are in the IIN). Two adapters: `Http`, the
//! regional integration gateway's REST facade, and `Memory`, a fixed list (the demo region's
//! people, so the demo works offline). Async: `Http` speaks through reqwest, the client the
//! desk's sync with the region already uses.

use baqsha_core::Iin;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// Names as the registry holds them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Names {
    pub surname: String,
    pub given_name: String,
    pub patronymic: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    /// No answer (offline, timeout, 5xx): type the names by hand, try again later.
    #[error("the person registry cannot be reached: {0}")]
    Unreachable(String),
    /// An answer that refuses us (bad token, 4xx other than 404) or cannot be read.
    #[error("the person registry refused the request: {0}")]
    Refused(String),
}

/// What a lookup answers, later. Boxed so that the registry can be held as `dyn PersonRegistry`.
pub type Lookup<'a> = Pin<Box<dyn Future<Output = Result<Option<Names>, LookupError>> + Send + 'a>>;

pub trait PersonRegistry: Send + Sync {
    /// `Ok(None)`: the registry answered and does not know this IIN.
    fn find<'a>(&'a self, iin: &'a Iin) -> Lookup<'a>;
}

/// Where the gateway is: `GET {url}/persons/{iin}` with `Authorization: Bearer {token}`,
/// answering `{"lastName", "firstName", "middleName"}` or 404.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpConfig {
    pub url: String,
    pub token: String,
    #[serde(default = "default_timeout")]
    pub timeout_secs: u64,
}

fn default_timeout() -> u64 {
    8
}

pub struct Http {
    config: HttpConfig,
    /// Built once: its connections are kept between lookups.
    client: Result<reqwest::Client, String>,
}

impl Http {
    pub fn new(config: HttpConfig) -> Http {
        // reqwest is built without a provider of its own: ring, once per process.
        let _ = rustls::crypto::ring::default_provider().install_default();
        // A redirect would carry the IIN (in the path) and the token to another host.
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(config.timeout_secs))
            .user_agent(concat!("baqsha-desk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("the HTTP client cannot be built: {}", baqsha_core::text::with_causes(&e)));
        Http { config, client }
    }

    async fn lookup(&self, iin: &Iin) -> Result<Option<Names>, LookupError> {
        // A client that could not be built (no TLS roots, say) is a registry out of reach.
        let client = self.client.as_ref().map_err(|e| LookupError::Unreachable(e.clone()))?;
        let url = format!("{}/persons/{}", self.config.url.trim_end_matches('/'), iin.as_str());
        let unreachable = |e: reqwest::Error| {
            let why = if e.is_timeout() { format!("no answer in {} s", self.config.timeout_secs) } else { baqsha_core::text::with_causes(&e) };
            LookupError::Unreachable(hide(why, iin))
        };
        let answer = client.get(&url).bearer_auth(&self.config.token).header(reqwest::header::ACCEPT, "application/json").send().await.map_err(unreachable)?;
        let status = answer.status().as_u16();
        if status == 404 {
            return Ok(None);
        }
        if status >= 500 {
            return Err(LookupError::Unreachable(format!("HTTP {status}")));
        }
        let body = answer.text().await.map_err(unreachable)?;
        if status != 200 {
            let said: String = body.chars().take(200).collect();
            return Err(LookupError::Refused(hide(format!("HTTP {status}: {said}"), iin)));
        }
        let a: Answer = serde_json::from_str(&body).map_err(|e| LookupError::Refused(hide(format!("unreadable answer: {e}"), iin)))?;
        Ok(Some(Names { surname: a.last_name, given_name: a.first_name, patronymic: a.middle_name.filter(|m| !m.trim().is_empty()) }))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Answer {
    last_name: String,
    first_name: String,
    #[serde(default)]
    middle_name: Option<String>,
}

impl PersonRegistry for Http {
    fn find<'a>(&'a self, iin: &'a Iin) -> Lookup<'a> {
        Box::pin(self.lookup(iin))
    }
}

/// A lookup's error text is logged: the IIN (in the URL an HTTP error names, or echoed by a
/// gateway) is masked in it.
fn hide(text: String, iin: &Iin) -> String {
    text.replace(iin.as_str(), &iin.masked())
}

/// A fixed registry held in memory.
#[derive(Debug, Default)]
pub struct Memory {
    people: HashMap<String, Names>,
}

impl Memory {
    pub fn new(people: impl IntoIterator<Item = (Iin, Names)>) -> Memory {
        Memory { people: people.into_iter().map(|(iin, n)| (iin.as_str().to_string(), n)).collect() }
    }
    pub fn len(&self) -> usize {
        self.people.len()
    }
    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }
}

impl PersonRegistry for Memory {
    fn find<'a>(&'a self, iin: &'a Iin) -> Lookup<'a> {
        let found = self.people.get(iin.as_str()).cloned();
        Box::pin(std::future::ready(Ok(found)))
    }
}

/// No registry configured: every lookup says so, and names are typed by hand.
pub struct Offline;

impl PersonRegistry for Offline {
    fn find<'a>(&'a self, _: &'a Iin) -> Lookup<'a> {
        Box::pin(std::future::ready(Err(LookupError::Unreachable("no person registry is configured".into()))))
    }
}

#[cfg(test)]
mod tests;
