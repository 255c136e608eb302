//! The referral seal: a signed text printed as a QR code on every referral certificate, so a
//! kindergarten can tell a real referral from an edited or invented one offline.
//!
//! The text carries the referral number, kindergarten, group, issue and expiry dates and a
//! salted hash of the child's IIN (never the IIN: anyone with a phone can read a QR code).
//! Ids travel as base64url and dates as YYYYMMDD: a shorter text makes larger QR modules,
//! which an office scanner at 150 dpi still reads. It is signed with ed25519 by the issuing installation; a checker knows issuers by their
//! public keys. Pure: the caller passes the key and the salt in.

use crate::{GroupId, Iin, KindergartenId};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use chrono::NaiveDate;
use ed25519_dalek::{Signature, Signer, Verifier};
pub use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

const PREFIX: &str = "BAQSHA-REF/1";
const SIG: &str = ";sig=";

/// What the seal says about a referral.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seal {
    pub number: String,
    pub kindergarten: KindergartenId,
    pub group: GroupId,
    pub issued_on: NaiveDate,
    pub valid_until: NaiveDate,
    /// Random per referral, so equal IINs do not give equal hashes across referrals.
    pub salt: [u8; 8],
    pub child_hash: [u8; 16],
    pub key_id: String,
}

impl Seal {
    // Exactly what a referral's seal signs, in the order it is printed.
    #[allow(clippy::too_many_arguments)]
    pub fn new(number: &str, kindergarten: KindergartenId, group: GroupId, issued_on: NaiveDate, valid_until: NaiveDate, child: &Iin, salt: [u8; 8], key: &VerifyingKey) -> Seal {
        Seal { number: number.to_string(), kindergarten, group, issued_on, valid_until, salt, child_hash: child_hash(&salt, child), key_id: key_id(key) }
    }

    /// Whether the referral was issued for this child.
    pub fn is_for(&self, child: &Iin) -> bool {
        child_hash(&self.salt, child) == self.child_hash
    }

    fn body(&self) -> String {
        format!(
            "{PREFIX};n={};kg={};g={};i={};e={};s={};h={};k={}",
            self.number,
            B64.encode(self.kindergarten.0.as_bytes()),
            B64.encode(self.group.0.as_bytes()),
            self.issued_on.format("%Y%m%d"),
            self.valid_until.format("%Y%m%d"),
            B64.encode(self.salt),
            B64.encode(self.child_hash),
            self.key_id
        )
    }
}

fn child_hash(salt: &[u8; 8], child: &Iin) -> [u8; 16] {
    let digest = Sha256::new().chain_update(salt).chain_update(child.as_str().as_bytes()).finalize();
    let mut out = [0u8; 16];
    out.copy_from_slice(&digest[..16]);
    out
}

/// A short, stable name of a public key: the first 8 bytes of its SHA-256, in hex.
pub fn key_id(key: &VerifyingKey) -> String {
    Sha256::digest(key.as_bytes())[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// The signing key of an installation, from its 32 secret bytes.
pub fn signing_key(secret: &[u8; 32]) -> SigningKey {
    SigningKey::from_bytes(secret)
}

/// The seal key of demo data. Public by design (made from a fixed phrase): anyone may sign
/// with it, so a seal made with it proves nothing, and every installation names such a
/// certificate a demo instead of taking it for an office's.
pub fn demo_key() -> SigningKey {
    signing_key(&Sha256::digest(b"Baqsha demo region: printed from made-up data, issued by no office").into())
}

/// A public key as text (base64url), for settings files and the server.
pub fn public_key_text(key: &VerifyingKey) -> String {
    B64.encode(key.as_bytes())
}

pub fn parse_public_key(text: &str) -> Option<VerifyingKey> {
    let bytes: [u8; 32] = B64.decode(text.trim()).ok()?.try_into().ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

/// The text to print as a QR code.
pub fn sign(seal: &Seal, key: &SigningKey) -> String {
    let body = seal.body();
    let signature = key.sign(body.as_bytes());
    format!("{body}{SIG}{}", B64.encode(signature.to_bytes()))
}

/// Any text signed with an installation's key (the history's head), the signature as text.
pub fn sign_text(text: &str, key: &SigningKey) -> String {
    B64.encode(key.sign(text.as_bytes()).to_bytes())
}

/// Whether `signature` is `key`'s over `text`.
pub fn verify_text(text: &str, signature: &str, key: &VerifyingKey) -> bool {
    let Some(bytes) = B64.decode(signature.trim()).ok().and_then(|b| <[u8; 64]>::try_from(b).ok()) else {
        return false;
    };
    key.verify(text.as_bytes(), &Signature::from_bytes(&bytes)).is_ok()
}

/// An issuer the checker trusts.
#[derive(Debug, Clone)]
pub struct Issuer {
    pub name: String,
    pub key: VerifyingKey,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    /// Signed by a known issuer and unchanged.
    Valid { seal: Seal, issuer: String },
    /// Looks like a referral seal but was changed after signing (or is damaged).
    Tampered,
    /// Well-formed and signed, but by a key this installation does not know.
    UnknownIssuer { key_id: String },
    /// Not a referral seal at all (another QR code, or random text).
    NotASeal,
    /// Signed with the demo key: printed from demo data, issued by no office.
    Demo { seal: Seal },
}

/// Checks a scanned or pasted seal against the issuers this installation knows.
pub fn verify(text: &str, issuers: &[Issuer]) -> Verdict {
    let text = text.trim();
    if !text.starts_with(PREFIX) {
        return Verdict::NotASeal;
    }
    let Some((body, sig)) = text.rsplit_once(SIG) else { return Verdict::Tampered };
    let Some(seal) = parse_body(body) else { return Verdict::Tampered };
    let demo = demo_key().verifying_key();
    if seal.key_id == key_id(&demo) {
        // Whoever trusts what: a demo seal is never an issuer's.
        return match B64.decode(sig).ok().and_then(|b| Signature::from_slice(&b).ok()).map(|s| demo.verify(body.as_bytes(), &s)) {
            Some(Ok(())) => Verdict::Demo { seal },
            _ => Verdict::Tampered,
        };
    }
    let Some(issuer) = issuers.iter().find(|i| key_id(&i.key) == seal.key_id) else {
        return Verdict::UnknownIssuer { key_id: seal.key_id };
    };
    let Some(signature) = B64.decode(sig).ok().and_then(|b| Signature::from_slice(&b).ok()) else {
        return Verdict::Tampered;
    };
    match issuer.key.verify(body.as_bytes(), &signature) {
        Ok(()) => Verdict::Valid { seal, issuer: issuer.name.clone() },
        Err(_) => Verdict::Tampered,
    }
}

fn parse_body(body: &str) -> Option<Seal> {
    let mut parts = body.split(';');
    if parts.next()? != PREFIX {
        return None;
    }
    let mut field = |name: &str| -> Option<String> {
        let part = parts.next()?;
        part.strip_prefix(name)?.strip_prefix('=').map(str::to_string)
    };
    let number = field("n")?;
    let id = |text: String| -> Option<uuid::Uuid> { Some(uuid::Uuid::from_bytes(B64.decode(text).ok()?.try_into().ok()?)) };
    let date = |text: String| NaiveDate::parse_from_str(&text, "%Y%m%d").ok();
    let kindergarten = KindergartenId(id(field("kg")?)?);
    let group = GroupId(id(field("g")?)?);
    let issued_on = date(field("i")?)?;
    let valid_until = date(field("e")?)?;
    let salt = B64.decode(field("s")?).ok()?.try_into().ok()?;
    let child_hash = B64.decode(field("h")?).ok()?.try_into().ok()?;
    let key_id = field("k")?;
    if parts.next().is_some() || number.is_empty() {
        return None;
    }
    Some(Seal { number, kindergarten, group, issued_on, valid_until, salt, child_hash, key_id })
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn seal(key: &SigningKey) -> Seal {
        Seal::new(
            "2026-000123",
            KindergartenId(Uuid::from_u128(1)),
            GroupId(Uuid::from_u128(2)),
            NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
            &child(0),
            [7; 8],
            &key.verifying_key(),
        )
    }

    /// A valid IIN of a girl born 14.03.2023; `n` picks another one.
    fn child(n: u16) -> Iin {
        let birth = NaiveDate::from_ymd_opt(2023, 3, 14).unwrap();
        (100..).filter_map(|s| Iin::from_parts(birth, crate::Sex::Female, s)).nth(n as usize).unwrap()
    }

    fn office(key: &SigningKey) -> Vec<Issuer> {
        vec![Issuer { name: "Өскемен".into(), key: key.verifying_key() }]
    }

    #[test]
    fn a_signed_seal_verifies_and_keeps_every_field() {
        let key = signing_key(&[1; 32]);
        let s = seal(&key);
        let text = sign(&s, &key);
        assert!(!text.contains(child(0).as_str()), "the IIN never appears: {text}");
        assert_eq!(verify(&text, &office(&key)), Verdict::Valid { seal: s.clone(), issuer: "Өскемен".into() });
        assert_eq!(verify(&format!("  {text}\n"), &office(&key)), Verdict::Valid { seal: s, issuer: "Өскемен".into() });
    }

    #[test]
    fn any_changed_field_is_tampering() {
        let key = signing_key(&[1; 32]);
        let text = sign(&seal(&key), &key);
        for (from, to) in [("2026-000123", "2026-000124"), ("e=20261202", "e=20261209"), ("i=20261125", "i=20261126")] {
            let forged = text.replacen(from, to, 1);
            assert_ne!(forged, text);
            assert_eq!(verify(&forged, &office(&key)), Verdict::Tampered, "{from} → {to}");
        }
        let cut = &text[..text.len() - 3];
        assert_eq!(verify(cut, &office(&key)), Verdict::Tampered);
        assert_eq!(verify(&text.replace(";g=", ";x="), &office(&key)), Verdict::Tampered);
    }

    #[test]
    fn another_installations_key_is_an_unknown_issuer() {
        let ours = signing_key(&[1; 32]);
        let theirs = signing_key(&[2; 32]);
        let text = sign(&seal(&theirs), &theirs);
        assert_eq!(verify(&text, &office(&ours)), Verdict::UnknownIssuer { key_id: key_id(&theirs.verifying_key()) });
        // A forger who re-labels the key id as ours still fails the signature.
        let relabelled = text.replace(&key_id(&theirs.verifying_key()), &key_id(&ours.verifying_key()));
        assert_eq!(verify(&relabelled, &office(&ours)), Verdict::Tampered);
    }

    #[test]
    fn a_demo_seal_is_a_demo_even_to_an_installation_that_trusts_the_demo_key() {
        let demo = demo_key();
        let s = seal(&demo);
        let text = sign(&s, &demo);
        assert_eq!(verify(&text, &office(&signing_key(&[1; 32]))), Verdict::Demo { seal: s.clone() });
        assert_eq!(verify(&text, &office(&demo)), Verdict::Demo { seal: s }, "listing the demo key as an office's changes nothing");
        assert_eq!(verify(&text.replacen("2026-000123", "2026-000124", 1), &[]), Verdict::Tampered);
        assert_eq!(key_id(&demo_key().verifying_key()), key_id(&demo.verifying_key()), "the same key on every installation");
    }

    #[test]
    fn other_text_is_not_a_seal() {
        assert_eq!(verify("https://example.kz", &[]), Verdict::NotASeal);
        assert_eq!(verify("", &[]), Verdict::NotASeal);
    }

    #[test]
    fn the_child_is_recognised_by_iin_only() {
        let key = signing_key(&[1; 32]);
        let s = seal(&key);
        assert!(s.is_for(&child(0)));
        assert!(!s.is_for(&child(1)));
        // The same child under another salt hashes differently: referrals cannot be linked.
        let again = Seal::new(&s.number, s.kindergarten, s.group, s.issued_on, s.valid_until, &child(0), [8; 8], &key.verifying_key());
        assert_ne!(again.child_hash, s.child_hash);
    }

    #[test]
    fn public_keys_round_trip_as_text() {
        let key = signing_key(&[9; 32]).verifying_key();
        assert_eq!(parse_public_key(&public_key_text(&key)), Some(key));
        assert_eq!(parse_public_key("not a key"), None);
    }
}
