//! The person registry port. «ТАӘ толтыру» asks the state person registry for the names of
//! an IIN; birth date and sex never need it (they are in the IIN). Two adapters: `Http`, the
//! regional integration gateway's REST facade, and `Memory`, a fixed list (the demo region's
//! people, so the demo works offline). Blocking: callers run it off their async runtime.

use baqsha_core::Iin;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
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

pub trait PersonRegistry: Send + Sync {
    /// `Ok(None)`: the registry answered and does not know this IIN.
    fn find(&self, iin: &Iin) -> Result<Option<Names>, LookupError>;
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
    agent: ureq::Agent,
}

impl Http {
    pub fn new(config: HttpConfig) -> Http {
        let agent = ureq::Agent::config_builder().timeout_global(Some(Duration::from_secs(config.timeout_secs))).http_status_as_error(false).build().into();
        Http { config, agent }
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
    fn find(&self, iin: &Iin) -> Result<Option<Names>, LookupError> {
        let url = format!("{}/persons/{}", self.config.url.trim_end_matches('/'), iin.as_str());
        let mut answer = self
            .agent
            .get(&url)
            .header("Authorization", &format!("Bearer {}", self.config.token))
            .header("Accept", "application/json")
            .call()
            .map_err(|e| LookupError::Unreachable(hide(e.to_string(), iin)))?;
        let status = answer.status().as_u16();
        if status == 404 {
            return Ok(None);
        }
        if status >= 500 {
            return Err(LookupError::Unreachable(format!("HTTP {status}")));
        }
        let body = answer.body_mut().read_to_string().map_err(|e| LookupError::Unreachable(hide(e.to_string(), iin)))?;
        if status != 200 {
            let said: String = body.chars().take(200).collect();
            return Err(LookupError::Refused(hide(format!("HTTP {status}: {said}"), iin)));
        }
        let a: Answer = serde_json::from_str(&body).map_err(|e| LookupError::Refused(format!("unreadable answer: {e}")))?;
        Ok(Some(Names { surname: a.last_name, given_name: a.first_name, patronymic: a.middle_name.filter(|m| !m.trim().is_empty()) }))
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
    fn find(&self, iin: &Iin) -> Result<Option<Names>, LookupError> {
        Ok(self.people.get(iin.as_str()).cloned())
    }
}

/// No registry configured: every lookup says so, and names are typed by hand.
pub struct Offline;

impl PersonRegistry for Offline {
    fn find(&self, _: &Iin) -> Result<Option<Names>, LookupError> {
        Err(LookupError::Unreachable("no person registry is configured".into()))
    }
}

#[cfg(test)]
mod tests;
