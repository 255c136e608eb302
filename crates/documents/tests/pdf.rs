//! Real PDFs read back with poppler (`pdftotext`, `pdffonts`, `pdfinfo`), as a person
//! checking the printout would.

use baqsha_core::*;
use baqsha_documents::*;
use baqsha_i18n::Lang;

use std::process::Command;

mod fixtures;
use fixtures::*;

fn text_of(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext").arg("-layout").arg(&path).arg("-").output().expect("pdftotext (poppler-utils)");
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn tool(name: &str, pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new(name).arg(&path).output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_kazakh_certificate_reads_back_with_every_letter() {
    let pdf = application_certificate(&certificate(3), Lang::Kk).unwrap();
    let text = text_of(&pdf);
    for c in KAZAKH_LETTERS.chars() {
        assert!(text.contains(c), "{c} lost in:\n{text}");
    }
    for needle in [
        "КЕЗЕККЕ ҚОЮ ТУРАЛЫ АНЫҚТАМА",
        "VKO-2026-004217",
        "02.03.2026 10:15",
        "Әбдіғаппарова Ұлжан Серікқызы",
        "№ 12 «Ақбота» бөбекжайы",
        "Көп балалы отбасының баласы — расталған",
        "Алда 12 бала: 2 кезектен тыс, 3 бірінші кезектегі, 7 жалпы кезектегі.",
        "Шығыс Қазақстан облысы",
    ] {
        assert!(text.contains(needle), "{needle} missing in:\n{text}");
    }
    assert!(text.replace(' ', "").contains("1/1"), "no page number");
    assert!(!text.contains("None") && !text.contains("null"));
    // The font is embedded as a subset, not whole.
    let fonts = tool("pdffonts", &pdf);
    assert!(fonts.lines().skip(2).all(|l| l.contains(" yes yes ")), "{fonts}");
    assert!(pdf.len() < 100_000, "{} bytes", pdf.len());
}

#[test]
fn the_russian_certificate_reads_back() {
    let text = text_of(&application_certificate(&certificate(3), Lang::Ru).unwrap());
    for needle in ["СПРАВКА О ПОСТАНОВКЕ В ОЧЕРЕДЬ", "Номер в очереди", "Ребёнок из многодетной семьи — подтверждена", "ИИН"]
    {
        assert!(text.contains(needle), "{needle} missing in:\n{text}");
    }
}

#[test]
fn a_long_history_paginates_and_repeats_its_header() {
    let pdf = application_certificate(&certificate(120), Lang::Kk).unwrap();
    let info = tool("pdfinfo", &pdf);
    let pages: usize = info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
    assert!(pages >= 3, "{info}");
    let text = text_of(&pdf);
    let per_page: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    assert_eq!(per_page.len(), pages);
    for (i, page) in per_page.iter().enumerate() {
        // pdftotext drops the spaces around the slash; the page reads "1 / 6".
        assert!(page.replace(' ', "").contains(&format!("{}/{pages}", i + 1)), "page {} has no number:\n{page}", i + 1);
        if i > 0 {
            assert!(page.contains("Оқиға"), "page {} has no table header", i + 1);
        }
    }
    assert!(text.contains("Өзгерту №119"));
}

#[test]
fn a_name_too_long_for_its_box_wraps_and_is_kept_whole() {
    let mut c = certificate(1);
    c.child = person("Әбдіғаппарова-Сейітқасымова-Нұрмұхамбетова", "Ұлжан-Айсұлу-Гүлнұр", Some("Серікқызы"));
    c.preferences = vec!["Балабақша".repeat(12)];
    let text = text_of(&application_certificate(&c, Lang::Kk).unwrap());
    let flat: String = text.split_whitespace().collect();
    assert!(flat.contains("Әбдіғаппарова-Сейітқасымова-Нұрмұхамбетова"), "{text}");
    assert!(flat.contains(&"Балабақша".repeat(12)), "{text}");
}

/// Page 1 as a PNG at `dpi`, as a scanner would see it.
fn render_png(pdf: &[u8], dpi: u32) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("doc.pdf"), pdf).unwrap();
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", &dpi.to_string(), "-f", "1", "-l", "1", "-singlefile"])
        .arg(dir.path().join("doc.pdf"))
        .arg(dir.path().join("page"))
        .status()
        .expect("pdftoppm (poppler-utils)");
    assert!(status.success());
    std::fs::read(dir.path().join("page.png")).unwrap()
}

#[test]
fn a_huge_or_hostile_image_is_refused_from_its_header_and_a_fine_scan_still_reads() {
    // A few kilobytes that claim 30000 × 2000 pixels.
    let mut claimed = Vec::new();
    image::GrayImage::new(30_000, 2_000).write_to(&mut std::io::Cursor::new(&mut claimed), image::ImageFormat::Png).unwrap();
    assert!(claimed.len() < 1_000_000, "{} bytes", claimed.len());
    let started = std::time::Instant::now();
    let refused = scan::read_codes(&claimed);
    assert!(matches!(&refused, Err(e) if e.to_string().contains("too large")), "{refused:?}");
    assert!(started.elapsed() < std::time::Duration::from_millis(500), "refused without decoding: {:?}", started.elapsed());
    // A certificate photographed at 400 dpi (3300 × 4700) is searched downscaled, and found.
    let pdf = referral_certificate(&referral(), Lang::Kk).unwrap();
    assert_eq!(scan::read_codes(&render_png(&pdf, 400)).unwrap(), vec![seal_text()]);
}

#[test]
fn the_printed_qr_code_decodes_to_the_seal_and_verifies() {
    let pdf = referral_certificate(&referral(), Lang::Kk).unwrap();
    let png = render_png(&pdf, 150);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("scan.png"), &png).unwrap();
    // Debian's zbar, an independent decoder, reads what we printed.
    let out = Command::new("zbarimg").args(["--raw", "-q"]).arg(dir.path().join("scan.png")).output().expect("zbarimg (zbar-tools)");
    assert!(out.status.success(), "zbarimg found no code: {}", String::from_utf8_lossy(&out.stderr));
    let decoded = String::from_utf8(out.stdout).unwrap();
    assert_eq!(decoded.trim(), seal_text());
    let issuers = [seal::Issuer { name: "Өскемен".into(), key: office_key().verifying_key() }];
    match seal::verify(&decoded, &issuers) {
        seal::Verdict::Valid { seal, .. } => {
            assert_eq!(seal.number, "ZH-2026-000381");
            assert!(seal.is_for(&person("Ә", "Ұ", None).iin));
        }
        other => panic!("expected valid, got {other:?}"),
    }
    // Our own reader (the app's "open a scanned image") agrees.
    assert_eq!(scan::read_codes(&png).unwrap(), vec![seal_text()]);
    // A forged expiry date on the decoded text fails.
    assert_eq!(seal::verify(&decoded.replace("e=20270107", "e=20270207"), &issuers), seal::Verdict::Tampered);
}

#[test]
fn the_referral_certificate_carries_the_seed_text_in_both_languages() {
    let kk = text_of(&referral_certificate(&referral(), Lang::Kk).unwrap());
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let kk_flat = flat(&kk);
    for needle in [
        "ТАҒАЙЫНДАУҒА АРНАЛҒАН АНЫҚТАМА — ЖОЛДАМА",
        "ZH-2026-000381",
        "30.12.2026 11:00",
        "07.01.2027",
        "5 жұмыс күні",
        "SMS арқылы келген жолдама нөмірін хабарлау",
        "ТАҒАЙЫНДАУҒА АРНАЛҒАН ҚҰЖАТТАР",
        "026/у-3",
        "жеңілдікті растау қажет",
        "Балапан тобы",
        "3–4 жас",
    ] {
        assert!(kk_flat.contains(needle), "{needle} missing in:\n{kk}");
    }
    let ru = flat(&text_of(&referral_certificate(&referral(), Lang::Ru).unwrap()));
    for needle in ["СПРАВКА ДЛЯ НАЗНАЧЕНИЯ — НАПРАВЛЕНИЕ", "5 рабочих дней", "Паспорт здоровья ребёнка", "3–4 года"]
    {
        assert!(ru.contains(needle), "{needle} missing in:\n{ru}");
    }
    // Without a benefit, no benefit note.
    let mut plain = referral();
    plain.benefit = None;
    assert!(!flat(&text_of(&referral_certificate(&plain, Lang::Kk).unwrap())).contains("жеңілдікті растау"));
    // Extended, it names the day it now runs to instead of the working days from issue.
    let mut extended = referral();
    extended.extended = true;
    extended.valid_until = chrono::NaiveDate::from_ymd_opt(2027, 1, 20).unwrap();
    let text = flat(&text_of(&referral_certificate(&extended, Lang::Kk).unwrap()));
    assert!(text.contains("20.01.2027 дейін (қоса алғанда) ұзартылды") && !text.contains("5 жұмыс күні"), "{text}");
}

#[test]
fn a_referral_certificate_is_small_and_saved_for_looking_at() {
    let pdf = referral_certificate(&referral(), Lang::Kk).unwrap();
    assert!(pdf.len() < 100_000, "{} bytes", pdf.len());
    // test.sh keeps the documents beside the screenshots, to be looked at.
    if let Some(dir) = std::env::var_os("BAQSHA_ARTIFACTS") {
        let _ = std::fs::create_dir_all(&dir);
        let dir = std::path::PathBuf::from(dir);
        std::fs::write(dir.join("zholdama-ZH-2026-000381.pdf"), &pdf).unwrap();
        std::fs::write(dir.join("application-VKO-2026-004217.pdf"), application_certificate(&certificate(3), Lang::Kk).unwrap()).unwrap();
    }
}
