//! Printing and checking referrals, as staff would, in Kazakh: print today's vacancy
//! bulletin and a queue in Russian (files land in the documents folder, masked), refuse a
//! period the wrong way round, and check referral seals: genuine, tampered, from an unknown
//! office, and from a scanned image of a printed certificate.

use baqsha_core::seal;
use baqsha_core::*;
use baqsha_e2e::{Res, TestApp};
use chrono::Datelike;
use std::path::Path;
use std::process::Command;

const OFFICE_SECRET: [u8; 32] = [42; 32];

fn pdf_text(path: &Path) -> Res<String> {
    let out = Command::new("pdftotext").arg("-layout").arg(path).arg("-").output()?;
    if !out.status.success() {
        return Err(format!("pdftotext {}: {}", path.display(), String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(String::from_utf8(out.stdout)?)
}

/// A child of the demo's age and a seal for it, signed by `secret`.
fn seal_for(secret: &[u8; 32], kindergarten: KindergartenId, group: GroupId, child: &Iin) -> String {
    let key = seal::signing_key(secret);
    let today = command::desk_date(chrono::Utc::now());
    let s = seal::Seal::new("ZH-E2E-000007", kindergarten, group, today, today + chrono::Duration::days(7), child, [9; 8], &key.verifying_key());
    seal::sign(&s, &key)
}

#[tokio::test]
async fn printing_lists_and_checking_referrals() -> Res<()> {
    let dir = tempfile::tempdir()?;
    // The installation's key exists before the start (as after a first run), so the test
    // can sign as this office.
    std::fs::create_dir_all(dir.path().join("keys"))?;
    std::fs::write(dir.path().join("keys/referral-seal.key"), OFFICE_SECRET)?;
    let db = dir.path().join("baqsha.sqlite");
    let app = TestApp::start(&db).await?;
    let result = app.guard("documents", flow(&app, dir.path())).await;
    app.close().await?;
    result
}

async fn flow(app: &TestApp, dir: &Path) -> Res<()> {
    app.sign_in_as("operator").await?;
    let today = command::desk_date(chrono::Utc::now());

    // Today's bulletin, in Kazakh: a PDF in the documents folder, named for what it is.
    app.click("#nav-print").await?;
    app.find("#print-bulletin").await?;
    app.screenshot("20-print-lists").await?;
    app.click("#print-bulletin").await?;
    app.until("the bulletin is saved", || async { Ok(app.text("#print-outcome").await?.contains("Сақталды")) }).await?;
    let outcome = app.text("#print-outcome").await?;
    let bulletin = dir.join("documents").join(format!("byulleten-{today}.pdf"));
    assert!(outcome.contains(&bulletin.display().to_string()), "{outcome}");
    assert!(!outcome.contains("жазба саны: 0)"), "the demo has open places: {outcome}");
    let text = pdf_text(&bulletin)?;
    assert!(text.contains(&format!("БОС ОРЫН БЮЛЛЕТЕНІ — {}", today.format("%d.%m.%Y"))), "{text}");
    assert!(text.contains("Шығыс Қазақстан облысы") && text.contains("Барлығы:"), "{text}");

    // The queue of the three-year-olds, printed in Russian: masked, as public lists are.
    app.find("#print-lang").await?.select_by_value("ru").await?;
    let year = today.year() - 3;
    app.find("#queue-category").await?.select_by_value(&year.to_string()).await?;
    app.click("#print-queue").await?;
    let queue = dir.join("documents").join(format!("kezek-{year}.pdf"));
    app.until("the queue is saved", || async { Ok(app.text("#print-outcome").await?.contains(&format!("kezek-{year}.pdf"))) }).await?;
    let text = pdf_text(&queue)?;
    assert!(text.contains(&format!("ОЧЕРЕДЬ ЗАЯВЛЕНИЙ — РОДИВШИЕСЯ В {year} ГОДУ")), "{text}");
    assert!(text.contains("******"), "IINs are masked");
    let digits_in_a_row = text.split(|c: char| !c.is_ascii_digit()).map(str::len).max().unwrap_or(0);
    assert!(digits_in_a_row < 12, "a full IIN is on a public list");

    // A period that ends before it starts is refused on the screen, not sent.
    app.client
        .execute(
            "const f = document.getElementById('referrals-from'); f.value = arguments[0]; f.dispatchEvent(new Event('change', {bubbles: true}));",
            vec![serde_json::json!((today + chrono::Duration::days(3)).to_string())],
        )
        .await?;
    app.click("#print-referrals").await?;
    app.until("the bad period is explained", || async { Ok(app.text("#print-outcome").await?.contains("Кезеңнің басы")) }).await?;

    // Checking referrals: a kindergarten and group of this database.
    let store = baqsha_store::Store::open(&dir.join("baqsha.sqlite")).await?;
    let first = store.search_kindergartens(&Default::default()).await?.items.remove(0);
    let passport = store.passport(first.id, baqsha_core::command::desk_date(chrono::Utc::now())).await?;
    let group = passport.groups.first().ok_or("a demo kindergarten without groups")?.group.clone();
    store.close().await;
    let birth = chrono::NaiveDate::from_ymd_opt(year, 3, 14).ok_or("date")?;
    let child = (1..).find_map(|s| Iin::from_parts(birth, Sex::Female, s)).ok_or("iin")?;
    let other = (100..).find_map(|s| Iin::from_parts(birth, Sex::Female, s)).ok_or("iin")?;
    let genuine = seal_for(&OFFICE_SECRET, first.id, group.id, &child);

    app.click("#nav-check").await?;
    app.type_into("#check-text", &genuine).await?;
    app.type_into("#check-iin", child.as_str()).await?;
    app.click("#check-run").await?;
    app.until("a genuine referral", || async { Ok(app.text("#check-verdict").await?.contains("Жолдама шынайы")) }).await?;
    let verdict = app.text("#check-verdict").await?;
    for needle in ["ZH-E2E-000007", "Осы мекеме берген.", &first.name.kk, &group.name, "ЖСН осы жолдаманың баласына сәйкес келеді."]
    {
        assert!(verdict.contains(needle), "{needle} missing in: {verdict}");
    }
    app.screenshot("21-check-genuine").await?;

    // Another child's IIN with the same referral: flagged.
    app.type_into("#check-iin", other.as_str()).await?;
    app.click("#check-run").await?;
    app.until("another child", || async { Ok(app.text("#check-verdict").await?.contains("сәйкес келмейді")) }).await?;

    // An edited expiry date: tampered. The text stays in the box for a second look.
    let forged = {
        let until = (today + chrono::Duration::days(7)).format("%Y%m%d").to_string();
        let later = (today + chrono::Duration::days(60)).format("%Y%m%d").to_string();
        assert!(genuine.contains(&until));
        genuine.replace(&format!("e={until}"), &format!("e={later}"))
    };
    app.type_into("#check-iin", "").await?;
    app.type_into("#check-text", &forged).await?;
    app.click("#check-run").await?;
    app.until("a tampered referral", || async { Ok(app.text("#check-verdict").await?.contains("өзгертілген немесе бүлінген")) }).await?;
    assert_eq!(app.find("#check-text").await?.prop("value").await?.as_deref(), Some(forged.as_str()));
    app.screenshot("22-check-tampered").await?;

    // Signed by an office this installation does not know.
    app.type_into("#check-text", &seal_for(&[7; 32], first.id, group.id, &child)).await?;
    app.click("#check-run").await?;
    app.until("an unknown issuer", || async { Ok(app.text("#check-verdict").await?.contains("белгісіз мекеме")) }).await?;

    // A scanned certificate (the PDF drawn as a 150 dpi page), opened as an image file.
    let png = scanned_referral(&genuine, dir)?;
    app.client
        .execute(
            "const bytes = new Uint8Array(arguments[0]);
             const file = new File([bytes], 'scan.png', {type: 'image/png'});
             const input = document.getElementById('check-image');
             const dt = new DataTransfer(); dt.items.add(file); input.files = dt.files;
             input.dispatchEvent(new Event('change', {bubbles: true}));",
            vec![serde_json::json!(png)],
        )
        .await?;
    app.until("the scan is genuine", || async {
        let v = app.text("#check-verdict").await?;
        Ok(v.contains("Жолдама шынайы") && v.contains("ZH-E2E-000007"))
    })
    .await?;

    // A file that is not an image says so.
    app.client
        .execute(
            "const input = document.getElementById('check-image');
             const dt = new DataTransfer(); dt.items.add(new File(['%PDF-1.7'], 'scan.png', {type: 'image/png'}));
             input.files = dt.files; input.dispatchEvent(new Event('change', {bubbles: true}));",
            vec![],
        )
        .await?;
    app.until("a bad image", || async { Ok(app.text("#check-verdict").await?.contains("PNG немесе JPEG")) }).await?;
    Ok(())
}

/// A referral certificate carrying `seal`, rendered to PNG as a scanner would.
fn scanned_referral(seal: &str, dir: &Path) -> Res<Vec<u8>> {
    let birth = chrono::NaiveDate::from_ymd_opt(2023, 3, 14).ok_or("date")?;
    let person = |n: u16| -> Res<Person> {
        Ok(Person {
            iin: (n..).find_map(|s| Iin::from_parts(birth, Sex::Female, s)).ok_or("iin")?,
            surname: "Әбдіғаппарова".into(),
            given_name: "Ұлжан".into(),
            patronymic: None,
            verified: true,
        })
    };
    let c = baqsha_documents::ReferralCertificate {
        region: "Шығыс Қазақстан облысы".into(),
        department: "Өскемен қаласының білім бөлімі".into(),
        number: "ZH-E2E-000007".into(),
        issued_at: chrono::Utc::now(),
        valid_until: birth,
        valid_working_days: 5,
        extended: false,
        kindergarten: "Балабақша".into(),
        address: "Өскемен".into(),
        group: "Балапан".into(),
        age: AgeBand { from_years: 3, to_years: 4 },
        group_language: Language::Kk,
        child: person(1)?,
        parent: person(2)?,
        operator: "Жұмабеков Е. С.".into(),
        benefit: None,
        seal: seal.into(),
    };
    let pdf = dir.join("scan.pdf");
    std::fs::write(&pdf, baqsha_documents::referral_certificate(&c, baqsha_i18n::Lang::Kk)?)?;
    let status = Command::new("pdftoppm").args(["-png", "-r", "150", "-singlefile"]).arg(&pdf).arg(dir.join("scan")).status()?;
    if !status.success() {
        return Err("pdftoppm failed".into());
    }
    Ok(std::fs::read(dir.join("scan.png"))?)
}
