//! Where a desk keeps its secrets, tried on the computer it runs on (CI runs the Windows
//! build under Wine): a refresh token kept, read back, replaced and forgotten, and never
//! written to the secrets file. Prints `ok` or why not, and exits 1 on a failure.

use baqsha_app::secrets::{secret_in, set_secret_in};
use std::process::ExitCode;

fn check() -> Result<(), String> {
    let keys = std::env::temp_dir().join(format!("baqsha-credentials-{}", std::process::id())).join("keys");
    std::fs::create_dir_all(&keys).map_err(|e| format!("{}: {e}", keys.display()))?;
    let token = "rt-Өскемен-0123456789abcdef";
    set_secret_in(&keys, "refresh_token", token).map_err(|e| format!("keeping the token: {e}"))?;
    let read = secret_in(&keys, "refresh_token");
    if read.as_deref() != Some(token) {
        return Err(format!("read back {read:?}"));
    }
    let file = std::fs::read_to_string(keys.join("secrets.json")).unwrap_or_default();
    if cfg!(windows) && file.contains("refresh_token") {
        return Err(format!("the token is in the secrets file: {file}"));
    }
    set_secret_in(&keys, "refresh_token", "rt-next").map_err(|e| format!("replacing the token: {e}"))?;
    if secret_in(&keys, "refresh_token").as_deref() != Some("rt-next") {
        return Err("the new token did not replace the old".into());
    }
    // Another installation on the same computer keeps its own.
    let other = keys.with_file_name("other-keys");
    std::fs::create_dir_all(&other).map_err(|e| e.to_string())?;
    if secret_in(&other, "refresh_token").is_some() {
        return Err("another installation sees this one's token".into());
    }
    set_secret_in(&keys, "refresh_token", "").map_err(|e| format!("forgetting the token: {e}"))?;
    if let Some(v) = secret_in(&keys, "refresh_token") {
        return Err(format!("a forgotten token is still read: {v}"));
    }
    let _ = std::fs::remove_dir_all(keys.parent().unwrap_or(&keys));
    Ok(())
}

fn main() -> ExitCode {
    match check() {
        Ok(()) => {
            println!("ok: secrets kept by {}", if cfg!(windows) { "the Credential Manager" } else { "the owner-only secrets file" });
            ExitCode::SUCCESS
        }
        Err(e) => {
            println!("FAIL: {e}");
            ExitCode::FAILURE
        }
    }
}
