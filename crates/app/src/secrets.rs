//! Gateway passwords and tokens (SMTP, the SMS operator, the person registry, the region's
//! refresh token) are kept out of the database — which is copied, backed up and synced. On
//! Windows they live in the account's Credential Manager (`keyring`), one credential per
//! secret and installation; a value an older build sealed with DPAPI into `keys/secrets.json`
//! is still read, and moved to the Credential Manager when it is read. Elsewhere (a Linux desk
//! is a developer's) they stay in `keys/secrets.json`, a file only the account running the
//! app may read. A password typed into a setting by hand is moved here at its first use and
//! removed from the setting.

use crate::Office;
use base64::Engine;
use std::collections::BTreeMap;
use std::path::Path;

const FILE: &str = "secrets.json";

impl Office {
    /// A secret by its name (`smtp_password`, `sms_password`, `person_registry_token`,
    /// `refresh_token`).
    pub fn secret(&self, name: &str) -> Option<String> {
        secret_in(&self.inner.keys, name)
    }

    /// Keeps a secret; an empty value forgets it.
    pub fn set_secret(&self, name: &str, value: &str) -> std::io::Result<()> {
        set_secret_in(&self.inner.keys, name, value)
    }
}

/// A secret of the installation whose keys are in `keys`.
pub fn secret_in(keys: &Path, name: &str) -> Option<String> {
    #[cfg(windows)]
    match vault::read(keys, name) {
        Ok(Some(v)) => return Some(v),
        Ok(None) => {}
        Err(e) => tracing::error!("secret {name} cannot be read from the Credential Manager: {e}"),
    }
    let sealed = match read(&keys.join(FILE)) {
        Ok(mut all) => all.remove(name)?,
        Err(e) => {
            tracing::error!("secret {name} cannot be read: {e}");
            return None;
        }
    };
    match unseal(&sealed) {
        Ok(v) => {
            // Kept by an older build in the file: into the Credential Manager now.
            #[cfg(windows)]
            if let Err(e) = set_secret_in(keys, name, &v) {
                tracing::warn!("secret {name} stays in the secrets file: {e}");
            }
            Some(v)
        }
        Err(e) => {
            tracing::error!("secret {name} cannot be read: {e}");
            None
        }
    }
}

/// Keeps a secret of the installation whose keys are in `keys`; an empty value forgets it.
pub fn set_secret_in(keys: &Path, name: &str, value: &str) -> std::io::Result<()> {
    #[cfg(windows)]
    {
        vault::write(keys, name, value)?;
        // Whatever an older build left in the file goes; the secret is kept either way.
        if let Err(e) = forget_in_file(keys, name) {
            tracing::warn!("secret {name} is kept, but its older copy stays in the secrets file: {e}");
        }
        return Ok(());
    }
    #[cfg(not(windows))]
    {
        let path = keys.join(FILE);
        let mut all = read(&path)?;
        if value.is_empty() {
            all.remove(name);
        } else {
            all.insert(name.to_string(), format!("file:{}", B64.encode(value.as_bytes())));
        }
        write(&path, &all)
    }
}

#[cfg(windows)]
fn forget_in_file(keys: &Path, name: &str) -> std::io::Result<()> {
    let path = keys.join(FILE);
    let mut all = read(&path)?;
    if all.remove(name).is_some() {
        write(&path, &all)?;
    }
    Ok(())
}

fn write(path: &Path, all: &BTreeMap<String, String>) -> std::io::Result<()> {
    let text = serde_json::to_vec_pretty(all).map_err(std::io::Error::other)?;
    crate::files::replace_private(path, &text)
}

impl Office {
    /// A secret typed into a setting by hand: kept as a secret, and the setting rewritten
    /// without it. If it cannot be kept the setting is left as it was.
    pub(crate) async fn move_secret<T: serde::Serialize>(&self, store: &baqsha_store::Store, setting: &str, name: &str, value: &str, without: &T) {
        if let Err(e) = self.set_secret(name, value) {
            tracing::error!("keeping {name} as a secret: {e}; it stays in the setting");
            return;
        }
        match serde_json::to_string(without) {
            Ok(text) => match store.set_setting(setting, &text).await {
                Ok(()) => tracing::info!("{name} moved from the {setting} setting to the secrets"),
                Err(e) => tracing::error!("rewriting the {setting} setting: {e}"),
            },
            Err(e) => tracing::error!("rewriting the {setting} setting: {e}"),
        }
    }
}

/// The secrets file; none yet is empty. One that cannot be read or understood is an error:
/// writing over it would lose every secret it holds.
fn read(path: &Path) -> std::io::Result<BTreeMap<String, String>> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => return Err(std::io::Error::new(e.kind(), format!("{}: {e}", path.display()))),
    };
    serde_json::from_slice(&bytes).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{} is not a secrets file: {e}", path.display())))
}

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

fn unseal(sealed: &str) -> Result<String, String> {
    let (kind, data) = sealed.split_once(':').ok_or("not a sealed value")?;
    let bytes = B64.decode(data).map_err(|e| e.to_string())?;
    let plain = match kind {
        #[cfg(windows)]
        "dpapi" => dpapi::unprotect(&bytes).map_err(|e| e.to_string())?,
        "file" => bytes,
        other => return Err(format!("sealed as {other}, which this computer cannot open")),
    };
    String::from_utf8(plain).map_err(|e| e.to_string())
}

/// What older builds sealed with DPAPI for the account, opened to move it.
#[cfg(windows)]
mod dpapi {
    use windows_sys::Win32::Foundation::LocalFree;
    use windows_sys::Win32::Security::Cryptography::{CryptUnprotectData, CRYPTPROTECT_UI_FORBIDDEN, CRYPT_INTEGER_BLOB};

    pub fn unprotect(sealed: &[u8]) -> std::io::Result<Vec<u8>> {
        let blob_in = CRYPT_INTEGER_BLOB { cbData: sealed.len() as u32, pbData: sealed.as_ptr() as *mut u8 };
        let mut out = CRYPT_INTEGER_BLOB { cbData: 0, pbData: std::ptr::null_mut() };
        // SAFETY: the input blob points at `sealed` for the call's duration; the output is
        // allocated by the system, copied out, and released with LocalFree.
        unsafe {
            let ok = CryptUnprotectData(&blob_in, std::ptr::null_mut(), std::ptr::null(), std::ptr::null(), std::ptr::null(), CRYPTPROTECT_UI_FORBIDDEN, &mut out);
            if ok == 0 || out.pbData.is_null() {
                return Err(std::io::Error::last_os_error());
            }
            let bytes = std::slice::from_raw_parts(out.pbData, out.cbData as usize).to_vec();
            LocalFree(out.pbData.cast());
            Ok(bytes)
        }
    }
}

/// The Windows Credential Manager: a generic credential per secret, named for the
/// installation (its keys folder), so that two installations on one computer keep theirs apart.
#[cfg(windows)]
mod vault {
    use std::path::Path;

    fn entry(keys: &Path, name: &str) -> std::io::Result<keyring::Entry> {
        keyring::Entry::new(&format!("Baqsha {}", keys.display()), name).map_err(std::io::Error::other)
    }

    pub fn read(keys: &Path, name: &str) -> std::io::Result<Option<String>> {
        match entry(keys, name)?.get_password() {
            Ok(v) => Ok(Some(v)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(std::io::Error::other(e)),
        }
    }

    pub fn write(keys: &Path, name: &str, value: &str) -> std::io::Result<()> {
        let e = entry(keys, name)?;
        let done = if value.is_empty() { e.delete_credential() } else { e.set_password(value) };
        match done {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(std::io::Error::other(e)),
        }
    }
}

#[cfg(all(test, not(windows)))]
mod tests {
    use super::*;

    #[test]
    fn a_secrets_file_that_cannot_be_understood_is_never_written_over() {
        let dir = tempfile::tempdir().unwrap();
        let keys = dir.path();
        set_secret_in(keys, "refresh_token", "rt-1").unwrap();
        set_secret_in(keys, "sms_password", "pw").unwrap();
        assert_eq!(secret_in(keys, "refresh_token").as_deref(), Some("rt-1"));
        // Damaged (a half-written copy from a backup tool, say): kept as it is, and said so.
        let damaged = b"{\"refresh_token\": \"file:cnQtMQ==\", \"sms_pass";
        std::fs::write(keys.join(FILE), damaged).unwrap();
        let e = set_secret_in(keys, "smtp_password", "new").unwrap_err();
        assert!(e.to_string().contains("is not a secrets file"), "{e}");
        assert_eq!(std::fs::read(keys.join(FILE)).unwrap(), damaged, "the file is left for someone to mend");
        assert_eq!(secret_in(keys, "sms_password"), None);
    }
}
