//! Benefit proofs: JPEG scans or photos of the documents that prove a benefit (the seed's
//! step 4 asks for «jpeg форматындағы құжаттар»). Checked by what the bytes are, not by the
//! file's name: a renamed PDF or PNG is refused and named for what it is.

use serde::{Deserialize, Serialize};

/// What the desk accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProofPolicy {
    /// Largest file accepted, in bytes. A phone photo is 2–5 MB; a scan at 300 dpi ~1–3 MB.
    pub max_bytes: u64,
    /// Most proofs one application may carry.
    pub max_count: usize,
}

impl Default for ProofPolicy {
    fn default() -> Self {
        ProofPolicy { max_bytes: 10 * 1024 * 1024, max_count: 5 }
    }
}

/// What a refused file really is, so the message can say "this is a PDF".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Pdf,
    Png,
    Gif,
    Webp,
    Heic,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "proof", rename_all = "snake_case")]
pub enum ProofError {
    #[error("the file is not a JPEG image but {kind:?}")]
    NotJpeg { kind: FileKind },
    #[error("the file is {size} bytes; at most {max} are accepted")]
    TooLarge { size: u64, max: u64 },
    #[error("the file is empty")]
    Empty,
    #[error("at most {max} proofs")]
    TooMany { max: usize },
}

/// Checks a proof by its size and its first bytes. `head` needs at most 12 bytes; `size` is
/// the whole file's, so a 20 MB file is refused before it is read.
pub fn check(size: u64, head: &[u8], policy: &ProofPolicy) -> Result<(), ProofError> {
    if size == 0 || head.is_empty() {
        return Err(ProofError::Empty);
    }
    if size > policy.max_bytes {
        return Err(ProofError::TooLarge { size, max: policy.max_bytes });
    }
    // Every JPEG (JFIF, Exif, raw) starts with SOI followed by another marker.
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(());
    }
    Err(ProofError::NotJpeg { kind: sniff(head) })
}

/// One more proof for a claim that already has `count`.
pub fn check_count(count: usize, policy: &ProofPolicy) -> Result<(), ProofError> {
    if count >= policy.max_count {
        return Err(ProofError::TooMany { max: policy.max_count });
    }
    Ok(())
}

fn sniff(head: &[u8]) -> FileKind {
    if head.starts_with(b"%PDF") {
        FileKind::Pdf
    } else if head.starts_with(&[0x89, b'P', b'N', b'G']) {
        FileKind::Png
    } else if head.starts_with(b"GIF8") {
        FileKind::Gif
    } else if head.len() >= 12 && &head[0..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        FileKind::Webp
    } else if head.len() >= 12 && &head[4..8] == b"ftyp" && matches!(&head[8..12], b"heic" | b"heix" | b"mif1") {
        FileKind::Heic
    } else {
        FileKind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0, 1];

    #[test]
    fn a_jpeg_passes_and_renamed_files_are_named_for_what_they_are() {
        let p = ProofPolicy::default();
        assert_eq!(check(50_000, JPEG, &p), Ok(()));
        assert_eq!(check(50_000, b"%PDF-1.7\n%\xe2\xe3", &p), Err(ProofError::NotJpeg { kind: FileKind::Pdf }));
        assert_eq!(check(50_000, b"\x89PNG\r\n\x1a\n\0\0\0\x0d", &p), Err(ProofError::NotJpeg { kind: FileKind::Png }));
        assert_eq!(check(50_000, b"\0\0\0\x18ftypheic", &p), Err(ProofError::NotJpeg { kind: FileKind::Heic }));
        assert_eq!(check(50_000, b"hello world!", &p), Err(ProofError::NotJpeg { kind: FileKind::Other }));
        assert_eq!(check(0, &[], &p), Err(ProofError::Empty));
    }

    #[test]
    fn size_is_checked_before_content() {
        let p = ProofPolicy::default();
        let twenty_mb = 20 * 1024 * 1024;
        assert_eq!(check(twenty_mb, JPEG, &p), Err(ProofError::TooLarge { size: twenty_mb, max: p.max_bytes }));
        assert_eq!(check(p.max_bytes, JPEG, &p), Ok(()));
    }

    #[test]
    fn count_is_limited() {
        let p = ProofPolicy::default();
        assert_eq!(check_count(4, &p), Ok(()));
        assert_eq!(check_count(5, &p), Err(ProofError::TooMany { max: 5 }));
    }
}
