//! Files the office writes where a person will find them: printed documents and its keys.
//!
//! A document's name is built from what was asked (a number, a district code, dates), so it
//! goes through [`document_name`], which keeps it one plain file name: no folder separator,
//! no `..`, no name Windows reserves. [`save_document`] writes it whole or not at all and
//! never over a file another program holds open (a PDF viewer on Windows): that print gets
//! the next free name instead, and no `.part` is left behind.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// Longest stem kept: Windows paths stay well inside 260 characters under Documents.
const MAX_STEM: usize = 80;

/// `parts` joined by dashes as one safe PDF file name: letters (any script) and digits are
/// kept, everything else becomes a dash, runs of dashes are one; never empty, never hidden,
/// never a device name (`CON`, `NUL`, `COM1`…).
pub fn document_name(parts: &[&str]) -> String {
    let mut stem = String::new();
    for c in parts.join("-").chars() {
        let c = if c.is_alphanumeric() { c } else { '-' };
        if !(c == '-' && (stem.is_empty() || stem.ends_with('-'))) {
            stem.push(c);
        }
        if stem.chars().count() >= MAX_STEM {
            break;
        }
    }
    let stem = stem.trim_end_matches('-');
    let stem = if stem.is_empty() { "baqsha" } else { stem };
    // `get`, not slicing: a four-byte stem may end inside a two-byte letter («abӘ»).
    let device = ["CON", "PRN", "AUX", "NUL"].iter().any(|d| stem.eq_ignore_ascii_case(d))
        || match (stem.get(..3), stem.get(3..)) {
            (Some(head), Some(tail)) if stem.len() == 4 => ["COM", "LPT"].iter().any(|d| head.eq_ignore_ascii_case(d)) && tail.chars().all(|c| c.is_ascii_digit()),
            _ => false,
        };
    if device {
        format!("baqsha-{stem}.pdf")
    } else {
        format!("{stem}.pdf")
    }
}

/// `name` inside `dir`, or None when it is not one plain file name (a path, `..`, a drive).
pub fn inside(dir: &Path, name: &str) -> Option<PathBuf> {
    let mut components = Path::new(name).components();
    match (components.next(), components.next()) {
        (Some(Component::Normal(n)), None) if n == name && !name.contains(['/', '\\', ':']) => Some(dir.join(name)),
        _ => None,
    }
}

/// What an operator can do about a write that failed: another folder (denied), room on
/// the disk (full), or, for anything else, the system's own words.
pub fn save_problem(e: &std::io::Error) -> baqsha_api::SaveProblem {
    use std::io::ErrorKind::*;
    match e.kind() {
        PermissionDenied | ReadOnlyFilesystem => baqsha_api::SaveProblem::Denied,
        StorageFull | QuotaExceeded => baqsha_api::SaveProblem::DiskFull,
        _ => baqsha_api::SaveProblem::Other,
    }
}

/// Writes `bytes` to `path` whole or not at all: a temporary file beside it, flushed to the
/// disk, then renamed. When `path` cannot be replaced (open in a viewer on Windows), the
/// same folder's `name (2).pdf`, `(3)`, … is used. Answers where the file went.
pub fn save_document(path: &Path, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let temp = write_temp(dir, bytes)?;
    let mut last = None;
    for n in 1..=50 {
        let target = if n == 1 { path.to_path_buf() } else { numbered(path, n) };
        if n > 1 && target.exists() {
            continue;
        }
        match std::fs::rename(&temp, &target) {
            Ok(()) => return Ok(target),
            Err(e) => last = Some(e),
        }
    }
    let _ = std::fs::remove_file(&temp);
    Err(last.unwrap_or_else(|| std::io::Error::other("no free file name")))
}

/// A new file that only this account may read, written atomically: `Ok(false)` when another
/// process made it first (its key is the one to use).
pub fn create_private(path: &Path, bytes: &[u8]) -> std::io::Result<bool> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let temp = write_temp(dir, bytes)?;
    // A hard link never replaces: two desks starting at once cannot each keep their own key.
    let linked = std::fs::hard_link(&temp, path);
    let _ = std::fs::remove_file(&temp);
    match linked {
        Ok(()) => {
            sync_dir(dir);
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    }
}

/// Replaces `path` whole with an owner-only file holding `bytes` (a temporary file beside
/// it, flushed, renamed over it).
pub fn replace_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let temp = write_temp(dir, bytes)?;
    if let Err(e) = std::fs::rename(&temp, path) {
        let _ = std::fs::remove_file(&temp);
        return Err(e);
    }
    sync_dir(dir);
    Ok(())
}

fn numbered(path: &Path, n: u32) -> PathBuf {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let ext = path.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
    path.with_file_name(format!("{stem} ({n}){ext}"))
}

/// A fresh owner-only file in `dir` holding `bytes`, flushed to the disk.
fn write_temp(dir: &Path, bytes: &[u8]) -> std::io::Result<PathBuf> {
    for attempt in 0..100u32 {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or_default();
        let temp = dir.join(format!(".baqsha-{}-{nanos}-{attempt}.part", std::process::id()));
        match open_private(&temp) {
            Ok(mut f) => {
                let written = f.write_all(bytes).and_then(|()| f.sync_all());
                if let Err(e) = written {
                    drop(f);
                    let _ = std::fs::remove_file(&temp);
                    return Err(e);
                }
                return Ok(temp);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("no temporary file name"))
}

#[cfg(unix)]
fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)
}

#[cfg(not(unix))]
fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    let f = std::fs::OpenOptions::new().write(true).create_new(true).open(path)?;
    crate::owner_only::restrict(path)?;
    Ok(f)
}

/// Makes a rename durable (the folder's entry flushed); best effort where the system has no
/// such call for folders.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_is_told_by_what_the_operator_can_do() {
        use baqsha_api::SaveProblem;
        use std::io::{Error, ErrorKind};
        assert_eq!(save_problem(&Error::from(ErrorKind::PermissionDenied)), SaveProblem::Denied);
        assert_eq!(save_problem(&Error::from(ErrorKind::ReadOnlyFilesystem)), SaveProblem::Denied);
        assert_eq!(save_problem(&Error::from(ErrorKind::NotFound)), SaveProblem::Other);
        // A full disk as Linux reports it (ENOSPC).
        #[cfg(target_os = "linux")]
        assert_eq!(save_problem(&Error::from_raw_os_error(28)), SaveProblem::DiskFull);
    }

    #[test]
    fn a_name_built_from_input_stays_one_file_in_the_folder() {
        let dir = Path::new("/documents");
        for hostile in ["../../x", "..\\..\\x", "C:\\Windows\\x", "/etc/passwd", "a/../../b", ".", "..", "", "NUL", "com1", "x\u{0}y", "Өскемен қ."] {
            let name = document_name(&["kezek", "2022", hostile]);
            let path = inside(dir, &name).unwrap_or_else(|| panic!("«{hostile}» gave «{name}», not a plain name"));
            assert_eq!(path.parent(), Some(dir), "{hostile}");
            assert!(name.ends_with(".pdf") && !name.starts_with('.') && !name.contains(".."), "{name}");
        }
        assert_eq!(document_name(&["kezek", "2022", "../../x"]), "kezek-2022-x.pdf");
        assert_eq!(document_name(&["zholdama", "VKO-ZH-2026-000045"]), "zholdama-VKO-ZH-2026-000045.pdf");
        assert_eq!(document_name(&["kezek", "Өскемен қ."]), "kezek-Өскемен-қ.pdf");
        assert_eq!(document_name(&["NUL"]), "baqsha-NUL.pdf");
        assert_eq!(document_name(&["COM1"]), "baqsha-COM1.pdf");
        assert_eq!(document_name(&["abӘ"]), "abӘ.pdf", "a letter across the fourth byte is not a crash");
        assert_eq!(document_name(&["", "/"]), "baqsha.pdf");
        assert!(document_name(&[&"я".repeat(500)]).chars().count() <= MAX_STEM + 4);
    }

    #[test]
    fn only_a_plain_name_is_inside() {
        let dir = Path::new("docs");
        assert_eq!(inside(dir, "a.pdf"), Some(dir.join("a.pdf")));
        for bad in ["../a.pdf", "x/a.pdf", "x\\a.pdf", "/a.pdf", "C:a.pdf", "..", ".", ""] {
            assert_eq!(inside(dir, bad), None, "{bad}");
        }
    }

    #[test]
    fn a_taken_name_gets_the_next_and_leaves_no_part_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("zholdama-1.pdf");
        assert_eq!(save_document(&path, b"first").unwrap(), path);
        // Printed again: the same file, replaced whole.
        assert_eq!(save_document(&path, b"second").unwrap(), path);
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        // A name that cannot be replaced (here a folder; on Windows a file open in a viewer).
        let held = dir.path().join("otinish-1.pdf");
        std::fs::create_dir(&held).unwrap();
        let went = save_document(&held, b"third").unwrap();
        assert_eq!(went, dir.path().join("otinish-1 (2).pdf"));
        assert_eq!(std::fs::read(&went).unwrap(), b"third");
        let names: Vec<String> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        assert!(names.iter().all(|n| !n.ends_with(".part")), "{names:?}");
    }

    #[test]
    fn a_private_file_is_made_once_and_readable_by_its_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys").join("seal.key");
        assert!(create_private(&path, b"one").unwrap());
        assert!(!create_private(&path, b"two").unwrap(), "a second writer keeps the first key");
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let left: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file is left");
    }
}
