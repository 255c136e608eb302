//! Printed lists read back with poppler: headers on every page, masked people, both languages.

use baqsha_core::*;
use baqsha_documents::*;
use baqsha_i18n::Lang;
use chrono::{NaiveDate, TimeZone, Utc};
use std::process::Command;

mod fixtures;
use fixtures::*;

fn run(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("list.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new(tool).args(args).arg(&path).args(if tool == "pdftotext" { &["-"][..] } else { &[][..] }).output().unwrap();
    assert!(out.status.success(), "{tool}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn pages(text: &str) -> Vec<&str> {
    text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect()
}

#[test]
fn a_thousand_row_queue_paginates_with_headers_and_masks_every_child() {
    let rows = queue_rows(1000);
    let started = std::time::Instant::now();
    let pdf = queue_list(&header(), Category(2022), NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(), &rows, Lang::Kk).unwrap();
    let took = started.elapsed();
    let text = run("pdftotext", &["-layout"], &pdf);
    let pages = pages(&text);
    assert!(pages.len() >= 20, "{} pages", pages.len());
    for (i, page) in pages.iter().enumerate() {
        assert!(page.contains("Өтініш №") && page.contains("Кезек түрі"), "page {} has no table header:\n{page}", i + 1);
        assert!(page.contains("Шығыс Қазақстан облысы"), "page {} has no region header", i + 1);
        assert!(page.replace(' ', "").contains(&format!("{}/{}", i + 1, pages.len())), "page {} has no number", i + 1);
    }
    assert!(text.contains("ӨТІНІШТЕР КЕЗЕГІ — 2022 ЖЫЛЫ ТУҒАНДАР"));
    assert!(text.contains("VKO-2026-001000") && text.contains("Барлығы: 1000"));
    for r in rows.iter().step_by(97) {
        assert!(!text.contains(r.child.iin.as_str()), "a full IIN is on paper: {}", r.child.iin.as_str());
        assert!(!text.contains(&r.child.surname), "a surname is on paper: {}", r.child.surname);
        assert!(text.contains(&r.child.iin.masked()));
    }
    assert!(text.contains("Ә. Ұ."));
    // The goal is under a second in release; a debug build has a lot of slack on top.
    assert!(took.as_secs_f64() < 10.0, "{took:?}");
}

#[test]
fn the_vacancy_bulletin_in_kazakh_and_russian() {
    let rows: Vec<BulletinRow> = (0..3)
        .map(|i| BulletinRow {
            district: "Өскемен қаласы".into(),
            kindergarten: format!("№ {} «Ақбота» бөбекжайы", i + 1),
            group: "Балапан".into(),
            age: AgeBand { from_years: 2, to_years: 3 },
            language: if i == 0 { Language::Ru } else { Language::Kk },
            places: 2 + i,
            published_on: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            offered_to: if i == 1 { vec!["№ VKO-2026-000017 (4-орын, 27.11.2026 дейін)".into()] } else { vec![] },
        })
        .collect();
    let date = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let kk = run("pdftotext", &["-layout"], &vacancy_bulletin(&header(), date, &rows, Lang::Kk).unwrap());
    // A cell wraps at its column's width: its words are read in order.
    let kk_flat = kk.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in ["БОС ОРЫН БЮЛЛЕТЕНІ — 25.11.2026", "«Ақбота»", "орыс", "2–3", "Барлығы: 3", "Аудан: Өскемен қаласы"] {
        assert!(kk_flat.contains(needle), "{needle} missing:\n{kk}");
    }
    assert_eq!(kk.matches("бөбекжайы").count(), 3, "{kk}");
    // Every heading whole (a narrow one wraps between words, never inside one), and the
    // column the screen has: to whom the places are offered.
    let words: Vec<&str> = kk.split_whitespace().collect();
    for heading in ["Жарияланды", "Кімге", "ұсынылды", "Балабақша"] {
        assert!(words.contains(&heading), "{heading} cut:\n{kk}");
    }
    let flat = words.join(" ");
    assert!(flat.contains("VKO-2026-000017") && flat.contains("27.11.2026 дейін"), "{kk}");
    let ru = run("pdftotext", &["-layout"], &vacancy_bulletin(&header(), date, &rows, Lang::Ru).unwrap());
    for needle in ["БЮЛЛЕТЕНЬ СВОБОДНЫХ МЕСТ — 25.11.2026", "Детский сад", "Всего: 3"] {
        assert!(ru.contains(needle), "{needle} missing:\n{ru}");
    }
}

#[test]
fn an_empty_list_says_so_instead_of_an_empty_table() {
    let date = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let text = run("pdftotext", &[], &issued_referrals(&header(), date, date, &[], Lang::Kk).unwrap());
    assert!(text.contains("Таңдалған сүзгілер бойынша жазба жоқ."), "{text}");
    assert!(!text.contains("Жолдама №"));
}

#[test]
fn issued_referrals_show_status_and_masked_children() {
    let rows: Vec<ReferralRow> = (0..2)
        .map(|i| ReferralRow {
            number: format!("ZH-2026-00000{}", i + 1),
            issued_at: Utc.with_ymd_and_hms(2026, 11, 24, 6, 0, 0).unwrap(),
            kindergarten: "№ 12 «Ақбота» бөбекжайы".into(),
            group: "Балапан".into(),
            child: child(i),
            status: if i == 0 { ReferralStatus::Admitted } else { ReferralStatus::Expired },
            valid_until: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        })
        .collect();
    let date = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let text = run("pdftotext", &["-layout"], &issued_referrals(&header(), date, date, &rows, Lang::Kk).unwrap());
    for needle in ["АЛЫНҒАН ЖОЛДАМАЛАР — 24.11.2026 – 24.11.2026", "ZH-2026-000002", "қабылданды", "мерзімі өтті", "11:00", &rows[0].child.iin.masked()]
    {
        assert!(text.contains(needle), "{needle} missing:\n{text}");
    }
    assert!(!text.contains(rows[0].child.iin.as_str()));
}

#[test]
fn lists_are_saved_for_looking_at() {
    let Some(dir) = std::env::var_os("BAQSHA_ARTIFACTS") else { return };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("kezek-2022.pdf"), queue_pdf(Lang::Kk)).unwrap();
}

#[test]
fn the_statistics_print_tables_with_totals_and_charts_in_both_languages() {
    let places = vec![
        DistrictStatsRow { district: "Өскемен қаласы".into(), state_kindergartens: 52, state_places: 10075, private_kindergartens: 17, private_places: 2855 },
        DistrictStatsRow { district: "Күршім ауданы".into(), state_kindergartens: 4, state_places: 495, private_kindergartens: 1, private_places: 110 },
    ];
    let allocated: Vec<AllocationRow> = (0..20).map(|i| AllocationRow { kindergarten: format!("№ {} «Ақбота» бөбекжайы", i + 1), issued: 40 - i, admitted: 30 - i }).collect();
    let (from, to) = (NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(), NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
    // Each section is its own document, as in the menu.
    let first = statistics_places(&header(), &places, Lang::Kk).unwrap();
    let pdf = statistics_allocated(&header(), from, to, &allocated, Lang::Kk).unwrap();
    let text = format!("{}\n{}", run("pdftotext", &["-layout"], &first), run("pdftotext", &["-layout"], &pdf));
    assert!(!run("pdftotext", &[], &first).contains("Балабақшаларға нақты бөлінген орын саны"), "the first section prints alone");
    // Headings wrap: read the words in order.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for part in [
        "Мем./жеке меншік балабақшалар саны және оның ішіндегі жалпы орын саны",
        "Балабақшаларға нақты бөлінген орын саны",
        "Күршім ауданы",
        "10 570",
        "Кезең: 01.11.2026 – 30.11.2026",
        "№ 20 «Ақбота» бөбекжайы",
    ] {
        assert!(flat.contains(part), "«{part}» is missing:\n{text}");
    }
    // The totals: 56 state kindergartens, 2965 private places, 10 570 state places grouped as a reader writes them; 610 issued, 410 admitted.
    let totals: Vec<&str> = text.lines().filter(|l| l.trim_start().starts_with("Барлығы")).collect();
    assert_eq!(totals.len(), 2, "{totals:?}");
    assert!(totals[0].split_whitespace().collect::<Vec<_>>().ends_with(&["56", "10", "570", "18", "2965"]), "{}", totals[0]);
    assert!(totals[1].split_whitespace().collect::<Vec<_>>().ends_with(&["610", "410"]), "{}", totals[1]);
    // The charts' legends and value labels are text too.
    assert!(text.contains("Берілген жолдама") && text.contains("Мемлекеттік — орын"));
    let ru = run("pdftotext", &["-layout"], &statistics_allocated(&header(), from, to, &[], Lang::Ru).unwrap());
    let ru = ru.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(ru.contains("Фактически распределённые места") && ru.contains("За период места не распределялись"), "{ru}");
    if let Some(dir) = std::env::var_os("BAQSHA_ARTIFACTS") {
        let _ = std::fs::create_dir_all(&dir);
        std::fs::write(std::path::PathBuf::from(&dir).join("statistics-places.pdf"), &first).unwrap();
        std::fs::write(std::path::PathBuf::from(dir).join("statistics-allocated.pdf"), &pdf).unwrap();
    }
}
