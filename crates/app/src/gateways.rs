//! The gateways the office talks to (SMTP, the SMS operator, the person registry) carry
//! codes and personal data: they are used over TLS only, unless the office's
//! `allow_local_gateway` setting is `1` and the gateway runs on this computer (a test
//! gateway, a local relay).

use baqsha_store::Store;

/// Whether the office allows a gateway on this computer without TLS.
pub(crate) async fn local_allowed(store: &Store) -> bool {
    store.setting("allow_local_gateway").await.ok().flatten().is_some_and(|v| v.trim() == "1")
}

/// A host is this computer: `localhost`, `127.0.0.0/8`, `::1`.
fn is_loopback(host: &str) -> bool {
    let host = host.trim().trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// A host spoken to with or without TLS.
pub(crate) fn secure_enough(host: &str, tls: bool, local_allowed: bool) -> bool {
    tls || (local_allowed && is_loopback(host))
}

/// A gateway's URL: `https://`, or `http://` to this computer when allowed.
pub(crate) fn url_secure_enough(url: &str, local_allowed: bool) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    if lower.starts_with("https://") {
        return true;
    }
    let Some(rest) = lower.strip_prefix("http://") else { return false };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = match authority.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => authority,
    };
    secure_enough(host, false, local_allowed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tls_or_an_allowed_gateway_on_this_computer() {
        assert!(url_secure_enough("https://smsc.kz/sys/send.php", false));
        assert!(!url_secure_enough("http://smsc.kz/sys/send.php", true), "plain http to the internet, never");
        assert!(!url_secure_enough("http://127.0.0.1:8080/send", false), "a local gateway only when the office allows it");
        assert!(url_secure_enough("http://127.0.0.1:8080/send", true));
        assert!(url_secure_enough("http://localhost/send", true));
        assert!(url_secure_enough("http://[::1]:9000/x", true));
        assert!(!url_secure_enough("http://127.0.0.1.evil.kz/x", true));
        assert!(!url_secure_enough("ftp://127.0.0.1/x", true));
        assert!(secure_enough("smtp.mail.kz", true, false));
        assert!(!secure_enough("smtp.mail.kz", false, true));
        assert!(secure_enough("127.0.0.1", false, true) && !secure_enough("127.0.0.1", false, false));
    }
}
