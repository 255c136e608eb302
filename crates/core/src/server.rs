//! The region's server address, as IT gives it to the installer or an administrator types
//! it: an `http://` or `https://` address with a host, nothing else. Parsed once, here, so the
//! installer's value, the settings page and the future sync client agree on what is valid.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ServerAddress(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ServerAddressError {
    #[error("the address must start with https:// or http://")]
    Scheme,
    #[error("the address has no server name")]
    NoHost,
    #[error("the address has a space or a character an address cannot have")]
    BadCharacter,
    #[error("the port is not a number from 1 to 65535")]
    Port,
}

impl ServerAddress {
    pub fn parse(text: &str) -> Result<ServerAddress, ServerAddressError> {
        let text = text.trim();
        let lower = text.to_ascii_lowercase();
        let rest_at = if lower.starts_with("https://") {
            8
        } else if lower.starts_with("http://") {
            7
        } else {
            return Err(ServerAddressError::Scheme);
        };
        if text.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\' | '`' | '{' | '}' | '|' | '^')) {
            return Err(ServerAddressError::BadCharacter);
        }
        let rest = &text[rest_at..];
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        if authority.contains('@') {
            // Credentials never belong in an address that is shown on screen.
            return Err(ServerAddressError::BadCharacter);
        }
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => (h, Some(p)),
            _ => (authority, None),
        };
        if host.is_empty() || host.starts_with('.') || host.ends_with('.') || host.contains("..") {
            return Err(ServerAddressError::NoHost);
        }
        if !host.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '[' | ']' | ':')) {
            return Err(ServerAddressError::BadCharacter);
        }
        if let Some(p) = port {
            match p.parse::<u32>() {
                Ok(1..=65535) => {}
                _ => return Err(ServerAddressError::Port),
            }
        }
        // One spelling: a lower-case scheme and host, no trailing slash.
        let path = &rest[authority.len()..];
        let path = path.trim_end_matches('/');
        Ok(ServerAddress(format!("{}{}{}", &lower[..rest_at], authority.to_lowercase(), path)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_https(&self) -> bool {
        self.0.starts_with("https://")
    }
}

impl fmt::Display for ServerAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for ServerAddress {
    type Error = ServerAddressError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        ServerAddress::parse(&s)
    }
}

impl From<ServerAddress> for String {
    fn from(a: ServerAddress) -> String {
        a.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_it_gives_are_kept_in_one_spelling() {
        for (given, kept) in [
            ("https://baqsha.vko.kz", "https://baqsha.vko.kz"),
            ("  HTTPS://Baqsha.VKO.kz/  ", "https://baqsha.vko.kz"),
            ("http://10.0.0.5:8080/api/", "http://10.0.0.5:8080/api"),
            ("https://сервер.қаз", "https://сервер.қаз"),
            ("http://localhost:3000", "http://localhost:3000"),
        ] {
            assert_eq!(ServerAddress::parse(given).map(|a| a.to_string()), Ok(kept.to_string()), "{given}");
        }
        assert!(ServerAddress::parse("https://a.kz").unwrap().is_https());
        assert!(!ServerAddress::parse("http://a.kz").unwrap().is_https());
    }

    #[test]
    fn what_is_not_an_address_is_named() {
        use ServerAddressError::*;
        for (given, why) in [
            ("baqsha.vko.kz", Scheme),
            ("ftp://baqsha.vko.kz", Scheme),
            ("", Scheme),
            ("https://", NoHost),
            ("https:///path", NoHost),
            ("https://.kz", NoHost),
            ("https://bad host.kz", BadCharacter),
            ("https://a.kz/\"x", BadCharacter),
            ("https://user:pw@a.kz", BadCharacter),
            ("https://a.kz:0", Port),
            ("https://a.kz:99999", Port),
            ("https://a.kz:http", Port),
        ] {
            assert_eq!(ServerAddress::parse(given), Err(why), "{given}");
        }
    }
}
