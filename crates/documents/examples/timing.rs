//! Timed harness for issue 3's figures: `cargo run --release -p baqsha-documents --example
//! timing -- [OUT_DIR]`. Prints `name=value` lines (bench.sh compares them with LibreOffice)
//! and writes the timed documents to OUT_DIR to look at.

use baqsha_core::*;
use baqsha_documents::*;
use baqsha_i18n::Lang;
use chrono::{NaiveDate, TimeZone, Utc};
use std::time::{Duration, Instant};

fn child(n: u16) -> Result<Person, &'static str> {
    let birth = NaiveDate::from_ymd_opt(2023, 4, 5).ok_or("date")?;
    let iin = (n..n + 20).find_map(|s| Iin::from_parts(birth, Sex::Female, s % 9000 + 1)).ok_or("iin")?;
    Ok(Person { iin, surname: "Әбдіғаппарова".into(), given_name: "Ұлжан".into(), patronymic: Some("Серікқызы".into()), verified: true })
}

/// Median and 95th percentile of `runs` calls, and the last output's size.
fn time(runs: usize, mut f: impl FnMut() -> Result<Vec<u8>, DocumentError>) -> Result<(Duration, Duration, usize), DocumentError> {
    let mut times = Vec::with_capacity(runs);
    let mut size = 0;
    for _ in 0..runs {
        let t = Instant::now();
        size = f()?.len();
        times.push(t.elapsed());
    }
    times.sort();
    Ok((times[runs / 2], times[(runs * 95 / 100).min(runs - 1)], size))
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    std::fs::create_dir_all(&out)?;
    let at = Utc.with_ymd_and_hms(2026, 11, 25, 9, 33, 0).single().ok_or("time")?;
    let key = seal::signing_key(&[7; 32]);
    let kindergarten = KindergartenId(uuid::Uuid::from_u128(12));
    let group = GroupId(uuid::Uuid::from_u128(34));
    let (issued, until) = (at.date_naive(), NaiveDate::from_ymd_opt(2026, 12, 2).ok_or("date")?);
    let referral = |number: &str| -> Result<ReferralCertificate, &'static str> {
        let s = seal::Seal::new(number, kindergarten, group, issued, until, &child(1)?.iin, [3; 8], &key.verifying_key());
        Ok(ReferralCertificate {
            region: "Шығыс Қазақстан облысы".into(),
            department: "Өскемен қаласының білім бөлімі".into(),
            number: number.into(),
            issued_at: at,
            valid_until: until,
            valid_working_days: 5,
            extended: false,
            kindergarten: "№ 12 «Ақбота» бөбекжайы".into(),
            address: "Өскемен қ., Қабанбай батыр к-сі, 12".into(),
            group: "Күншуақ".into(),
            age: AgeBand { from_years: 3, to_years: 4 },
            group_language: Language::Kk,
            child: child(1)?,
            parent: Person { patronymic: Some("Қайратқызы".into()), given_name: "Гүлнұр".into(), ..child(2)? },
            operator: "Жұмабеков Е. С.".into(),
            benefit: Some(BenefitClaim { kind: BenefitKind::LargeFamily, verification: Verification::Confirmed, proofs: vec![] }),
            seal: seal::sign(&s, &key),
        })
    };
    let r = referral("2026-000123")?;
    std::fs::write(out.join("zholdama-2026-000123.pdf"), referral_certificate(&r, Lang::Kk)?)?;
    // Signing is part of issuing a certificate, so it is inside the timing.
    let (median, p95, size) = time(200, || {
        let mut r = r.clone();
        let s = seal::Seal::new(&r.number, kindergarten, group, issued, until, &r.child.iin, [3; 8], &key.verifying_key());
        r.seal = seal::sign(&s, &key);
        referral_certificate(&r, Lang::Kk)
    })?;
    println!("referral_ms_median={}\nreferral_ms_p95={}\nreferral_bytes={size}", ms(median), ms(p95));

    let header = ListHeader {
        region: "Шығыс Қазақстан облысы".into(), department: "Өскемен қаласының білім бөлімі".into(), printed_at: at, filters: vec![]
    };
    let rows: Vec<QueueRow> = (0..1000u16)
        .map(|i| {
            Ok(QueueRow {
                position: u64::from(i) + 1,
                number: format!("VKO-2023-{:06}", u32::from(i) + 1),
                registered_at: at - chrono::Duration::hours(i64::from(1000 - i)),
                child: child(i)?,
                tier: [BenefitTier::OutOfTurn, BenefitTier::Priority, BenefitTier::General][usize::from(i % 3)],
                status: ApplicationStatus::Queued,
            })
        })
        .collect::<Result<_, &str>>()?;
    let list = || queue_list(&header, Category(2023), issued, &rows, Lang::Kk);
    std::fs::write(out.join("kezek-2023-1000.pdf"), list()?)?;
    let (median, p95, size) = time(9, list)?;
    println!("list1000_ms_median={}\nlist1000_ms_p95={}\nlist1000_bytes={size}", ms(median), ms(p95));
    Ok(())
}
