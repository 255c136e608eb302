//! Pages rendered with `pdftoppm` and compared loosely with the reference renders kept in
//! `tests/reference/`, so a layout break (a block on the wrong page, a lost table header, a
//! QR code that moved) fails while a changed digit does not.
//! After an intended layout change: `BAQSHA_UPDATE_REFERENCE=1 cargo test -p baqsha-documents`.

use std::path::PathBuf;
use std::process::Command;

mod fixtures;

/// Grey page 1 at a low resolution: (width, height, pixels).
fn render(pdf: &[u8]) -> (usize, usize, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d.pdf"), pdf).unwrap();
    let status =
        Command::new("pdftoppm").args(["-gray", "-r", "24", "-f", "1", "-l", "1", "-singlefile"]).arg(dir.path().join("d.pdf")).arg(dir.path().join("p")).status().unwrap();
    assert!(status.success());
    parse_pgm(&std::fs::read(dir.path().join("p.pgm")).unwrap())
}

fn parse_pgm(bytes: &[u8]) -> (usize, usize, Vec<u8>) {
    // "P5\n<w> <h>\n255\n" then the pixels.
    let mut fields = vec![];
    let mut at = 0;
    while fields.len() < 4 {
        while bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..at]).to_string());
    }
    assert_eq!(fields[0], "P5");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (w, h, bytes[at + 1..].to_vec())
}

fn compare(name: &str, pdf: &[u8]) {
    check(name, pdf, std::env::var_os("BAQSHA_UPDATE_REFERENCE").is_some())
}

fn check(name: &str, pdf: &[u8], update: bool) {
    let (w, h, pixels) = render(pdf);
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reference").join(format!("{name}.pgm"));
    if update {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let mut out = format!("P5\n{w} {h}\n255\n").into_bytes();
        out.extend(&pixels);
        std::fs::write(&path, out).unwrap();
    }
    let (rw, rh, reference) = parse_pgm(&std::fs::read(&path).unwrap_or_else(|_| panic!("no reference render {path:?}")));
    assert_eq!((w, h), (rw, rh), "{name}: page size changed");
    // Ink per band of 8 pixel rows: where the blocks of the page are.
    let band = |px: &[u8], y0: usize| -> f64 { px[y0 * w..((y0 + 8).min(h)) * w].iter().map(|&p| f64::from(255 - p)).sum::<f64>() / (8 * w) as f64 };
    for y0 in (0..h).step_by(8) {
        let (now, then) = (band(&pixels, y0), band(&reference, y0));
        assert!((now - then).abs() < 12.0, "{name}: the band at {}% of the page changed: ink {then:.1} → {now:.1}", y0 * 100 / h);
    }
    let mean = pixels.iter().zip(&reference).map(|(a, b)| f64::from(a.abs_diff(*b))).sum::<f64>() / pixels.len() as f64;
    assert!(mean < 6.0, "{name}: the page differs from its reference by {mean:.1}/255 per pixel");
}

#[test]
fn the_referral_certificate_looks_as_it_did() {
    compare("referral-kk", &baqsha_documents::referral_certificate(&fixtures::referral(), baqsha_i18n::Lang::Kk).unwrap());
}

#[test]
fn the_application_certificate_looks_as_it_did() {
    compare("application-kk", &baqsha_documents::application_certificate(&fixtures::certificate(3), baqsha_i18n::Lang::Kk).unwrap());
}

#[test]
fn a_queue_list_looks_as_it_did() {
    compare("queue-ru", &fixtures::queue_pdf(baqsha_i18n::Lang::Ru));
}

#[test]
fn a_moved_block_is_caught() {
    // The comparison must be able to fail: a certificate without its QR code is not the reference.
    let mut r = fixtures::referral();
    r.seal = "x".into();
    let pdf = baqsha_documents::referral_certificate(&r, baqsha_i18n::Lang::Kk).unwrap();
    assert!(std::panic::catch_unwind(|| check("referral-kk", &pdf, false)).is_err());
}
