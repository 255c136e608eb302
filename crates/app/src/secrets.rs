//! Gateway passwords and tokens (SMTP, the SMS operator, the person registry) are kept out
//! of the database — which is copied, backed up and synced — in `keys/secrets.json`, a file
//! only the account running the app may read, each value sealed by Windows DPAPI for that
//! account (elsewhere the owner-only file is the protection). A password typed into a
//! setting by hand is moved there at its first use and removed from the setting.

use crate::Office;
use base64::Engine;
use std::collections::BTreeMap;
use std::path::Path;

const FILE: &str = "secrets.json";

impl Office {
    /// A secret by its name (`smtp_password`, `sms_password`, `person_registry_token`).
    pub fn secret(&self, name: &str) -> Option<String> {
        let all = read(&self.inner.keys.join(FILE));
        let sealed = all.get(name)?;
        match unseal(sealed) {
            Ok(v) => Some(v),
            Err(e) => {
                tracing::error!("secret {name} cannot be read: {e}");
                None
            }
        }
    }

    /// Keeps a secret (replacing the file whole); an empty value forgets it.
    pub fn set_secret(&self, name: &str, value: &str) -> std::io::Result<()> {
        let path = self.inner.keys.join(FILE);
        let mut all = read(&path);
        if value.is_empty() {
            all.remove(name);
        } else {
            all.insert(name.to_string(), seal(value)?);
        }
        let text = serde_json::to_vec_pretty(&all).map_err(std::io::Error::other)?;
        crate::files::replace_private(&path, &text)
    }
}

impl Office {
    /// A secret typed into a setting by hand: kept in the secrets file, and the setting
    /// rewritten without it. If the file cannot be written the setting is left as it was.
    pub(crate) async fn move_secret<T: serde::Serialize>(&self, store: &baqsha_store::Store, setting: &str, name: &str, value: &str, without: &T) {
        if let Err(e) = self.set_secret(name, value) {
            tracing::error!("keeping {name} in the secrets file: {e}; it stays in the setting");
            return;
        }
        match serde_json::to_string(without) {
            Ok(text) => match store.set_setting(setting, &text).await {
                Ok(()) => tracing::info!("{name} moved from the {setting} setting to the secrets file"),
                Err(e) => tracing::error!("rewriting the {setting} setting: {e}"),
            },
            Err(e) => tracing::error!("rewriting the {setting} setting: {e}"),
        }
    }
}

fn read(path: &Path) -> BTreeMap<String, String> {
    std::fs::read(path).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
}

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

#[cfg(windows)]
fn seal(value: &str) -> std::io::Result<String> {
    Ok(format!("dpapi:{}", B64.encode(dpapi::protect(value.as_bytes())?)))
}

#[cfg(not(windows))]
fn seal(value: &str) -> std::io::Result<String> {
    Ok(format!("file:{}", B64.encode(value.as_bytes())))
}

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

#[cfg(windows)]
mod dpapi {
    use windows_sys::Win32::Foundation::LocalFree;
    use windows_sys::Win32::Security::Cryptography::{CryptProtectData, CryptUnprotectData, CRYPTPROTECT_UI_FORBIDDEN, CRYPT_INTEGER_BLOB};

    fn call(input: &[u8], protect: bool) -> std::io::Result<Vec<u8>> {
        let blob_in = CRYPT_INTEGER_BLOB { cbData: input.len() as u32, pbData: input.as_ptr() as *mut u8 };
        let mut out = CRYPT_INTEGER_BLOB { cbData: 0, pbData: std::ptr::null_mut() };
        // SAFETY: the input blob points at `input` for the call's duration; the output is
        // allocated by the system, copied out, and released with LocalFree.
        unsafe {
            let ok = if protect {
                CryptProtectData(&blob_in, std::ptr::null(), std::ptr::null(), std::ptr::null(), std::ptr::null(), CRYPTPROTECT_UI_FORBIDDEN, &mut out)
            } else {
                CryptUnprotectData(&blob_in, std::ptr::null_mut(), std::ptr::null(), std::ptr::null(), std::ptr::null(), CRYPTPROTECT_UI_FORBIDDEN, &mut out)
            };
            if ok == 0 || out.pbData.is_null() {
                return Err(std::io::Error::last_os_error());
            }
            let bytes = std::slice::from_raw_parts(out.pbData, out.cbData as usize).to_vec();
            LocalFree(out.pbData.cast());
            Ok(bytes)
        }
    }

    pub fn protect(plain: &[u8]) -> std::io::Result<Vec<u8>> {
        call(plain, true)
    }

    pub fn unprotect(sealed: &[u8]) -> std::io::Result<Vec<u8>> {
        call(sealed, false)
    }
}
