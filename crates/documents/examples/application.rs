//! Writes a sample application certificate (`cargo run -p baqsha-documents --example
//! application -- OUT.pdf [kk|ru]`) to look at by eye.

use baqsha_core::*;
use baqsha_documents::*;
use chrono::{TimeZone, Utc};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let out = args.get(1).cloned().unwrap_or_else(|| "application.pdf".into());
    let lang = baqsha_i18n::Lang::from_code(args.get(2).map_or("kk", String::as_str)).unwrap_or_default();
    let birth = chrono::NaiveDate::from_ymd_opt(2023, 4, 5).ok_or("date")?;
    let child = Person {
        iin: Iin::from_parts(birth, Sex::Female, 17).or_else(|| Iin::from_parts(birth, Sex::Female, 18)).ok_or("iin")?,
        surname: "Әбдіғаппарова".into(),
        given_name: "Ұлжан".into(),
        patronymic: Some("Серікқызы".into()),
        verified: true,
    };
    let at = Utc.with_ymd_and_hms(2026, 3, 2, 5, 15, 0).single().ok_or("time")?;
    let c = ApplicationCertificate {
        region: "Шығыс Қазақстан облысы".into(),
        department: "Өскемен қаласының білім бөлімі".into(),
        number: "VKO-2026-004217".into(),
        registered_at: at,
        printed_at: at + chrono::Duration::days(268),
        child,
        benefit: Some(BenefitClaim { kind: BenefitKind::LargeFamily, verification: Verification::Confirmed, proofs: vec![] }),
        preferences: vec!["№ 12 «Ақбота» бөбекжайы".into(), "№ 3 «Күншуақ» балабақшасы".into()],
        language: Language::Kk,
        status: ApplicationStatus::Queued,
        position: Some(baqsha_core::queue::explain(
            BenefitTier::Priority,
            3,
            baqsha_core::queue::TierCounts { out_of_turn: 2, priority: 30, general: 200 },
            &Default::default(),
        )),
        history: vec![
            HistoryRow { at, what: "Өтініш тіркелді (үстелде, жеке куәлік бойынша)".into(), who: "Жұмабеков Е. С.".into() },
            HistoryRow { at: at + chrono::Duration::days(3), what: "Жеңілдік расталды: көп балалы отбасы".into(), who: "Қасымова С. Т.".into() },
        ],
    };
    std::fs::write(&out, application_certificate(&c, lang)?)?;

    // A rough timing for the notes (the benchmark with its peer comes later).
    let runs = 50;
    let t = std::time::Instant::now();
    let mut size = 0;
    for _ in 0..runs {
        size = application_certificate(&c, lang)?.len();
    }
    println!("application certificate: {:.2?} each, {} bytes", t.elapsed() / runs, size);
    let mut long = c.clone();
    long.history = (0..1000).map(|i| HistoryRow { at, what: format!("Оқиға {i}: мекенжайы өзгертілді"), who: "Жұмабеков Е. С.".into() }).collect();
    let t = std::time::Instant::now();
    let pdf = application_certificate(&long, lang)?;
    println!("with a 1,000-row table: {:.2?}, {} bytes", t.elapsed(), pdf.len());
    Ok(())
}
