//! «Кезекті тексеру» as an operator uses it, in Kazakh: a mistyped IIN is explained and kept;
//! a child's application shows its position and why; the certificate prints; a withdrawal
//! needs a reason, then leaves the queue with the reason in the history.

mod common;
use baqsha_core::*;
use baqsha_e2e::{Res, TestApp};
use chrono::Datelike;
use common::{choose_files, code_for, jpeg};
use std::path::Path;

#[tokio::test]
async fn checking_printing_and_withdrawing_an_application() -> Res<()> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("baqsha.sqlite");
    let app = TestApp::start(&db).await?;
    let result = app.guard("queue", flow(&app, dir.path())).await;
    app.close().await?;
    result
}

async fn flow(app: &TestApp, dir: &Path) -> Res<()> {
    app.sign_in_as("operator").await?;
    app.click("#nav-queue-check").await?;

    // A demo child fifth in the queue of the three-year-olds (read from the same database).
    let year = command::desk_date(chrono::Utc::now()).year() - 3;
    let store = baqsha_store::Store::open(&dir.join("baqsha.sqlite")).await?;
    let line = store.queue_of(Category(year), None, &Default::default()).await?.into_iter().nth(4).ok_or("a short demo queue")?;
    store.close().await;
    let iin = line.child.iin.as_str().to_string();

    // The last digit mistyped: the check digit rule is named and the IIN stays.
    let last = iin.as_bytes()[11] - b'0';
    let mistyped = format!("{}{}", &iin[..11], (last + 1) % 10);
    app.type_into("#queue-iin", &mistyped).await?;
    app.click("#queue-search").await?;
    assert!(app.text("#queue-iin-error").await?.contains("бақылау цифры"));
    assert_eq!(app.find("#queue-iin").await?.prop("value").await?.as_deref(), Some(mistyped.as_str()));

    // The right IIN: the application, its position and why.
    app.type_into("#queue-iin", &iin).await?;
    app.click("#queue-search").await?;
    let card = format!(".application-card[data-number='{}']", line.number);
    app.find(&card).await?;
    assert_eq!(app.text(&format!("{card} .position-number")).await?, line.position.to_string());
    let why = app.text(&format!("{card} .position-why")).await?;
    assert!(why.starts_with(&format!("Алда {} бала:", line.position - 1)), "{why}");
    assert!(app.text(&card).await?.contains("Өтініш тіркелді"));
    app.screenshot("30-queue-check").await?;

    // «Басып шығару»: the certificate, named for the application.
    app.click(&format!("{card} .print-application")).await?;
    app.until("the certificate is saved", || async { Ok(app.text("#print-outcome").await?.contains("otinish-")) }).await?;
    let pdf = dir.join("documents").join(format!("otinish-{}.pdf", line.number));
    let out = std::process::Command::new("pdftotext").arg("-layout").arg(&pdf).arg("-").output()?;
    let text = String::from_utf8(out.stdout)?;
    assert!(text.contains("КЕЗЕККЕ ҚОЮ ТУРАЛЫ АНЫҚТАМА") && text.contains(&line.number) && text.contains(&iin), "{text}");
    assert!(text.contains("ДЕМО: деректер ойдан шығарылған"), "a demo certificate says so:\n{text}");
    assert!(text.contains(&format!("Алда {} бала", line.position - 1)), "{text}");

    // «Өзгерту»: a short phone is refused naming the rule, and everything typed stays.
    let registered = app.text(&format!("{card} .facts")).await?;
    app.click(&format!("{card} .edit")).await?;
    app.find("#edit-dialog").await?;
    app.type_into("#edit-phone", "8 701 123").await?;
    app.type_into("#edit-address", "Өскемен қ., Абай даңғылы 10, 5 пәтер").await?;
    app.find("#edit-benefit").await?.select_by_value("large_family").await?;
    app.click("#edit-save").await?;
    assert!(app.text("#edit-error").await?.contains("цифр"), "{}", app.text("#edit-error").await?);
    assert_eq!(app.find("#edit-address").await?.prop("value").await?.as_deref(), Some("Өскемен қ., Абай даңғылы 10, 5 пәтер"));
    app.type_into("#edit-phone", "+7 747 555 12 34").await?;
    // The new benefit wants its proof, «Шолу» as in the wizard; a renamed PDF is named for what it is.
    app.click("#edit-save").await?;
    let error = |want: &'static str| async move { app.until(want, || async { Ok(app.text("#edit-error").await?.contains(want)) }).await };
    error("кемінде бір JPEG").await?;
    choose_files(app, "edit-proof-input", vec![("анықтама.jpg", b"%PDF-1.7\n1 0 obj".to_vec())]).await?;
    error("ол — PDF").await?;
    choose_files(app, "edit-proof-input", vec![("көп балалы.jpg", jpeg(dir)?)]).await?;
    app.until("the proof is listed", || async { Ok(app.text("#edit-proofs").await?.contains("көп балалы.jpg")) }).await?;
    // The new phone is confirmed by a code sent to it, not by the old one.
    app.click("#edit-save").await?;
    error("растау кодын жіберіп").await?;
    app.click("#edit-phone-send").await?;
    app.until("the code is sent", || async { Ok(app.text("#edit-phone-note").await?.contains("Код жіберілді")) }).await?;
    app.type_into("#edit-phone-code", &code_for(&dir.join("baqsha.sqlite"), "+77475551234").await?).await?;
    app.screenshot("31a-edit-dialog").await?;
    app.click("#edit-save").await?;
    app.until("the edit is saved", || async { Ok(app.all("#edit-dialog").await?.is_empty()) }).await?;
    let after = app.text(&card).await?;
    // The card shows the new address and phone, the history what changed, the old print banner is gone.
    assert_eq!(app.text(&format!("{card} .card-address")).await?, "Өскемен қ., Абай даңғылы 10, 5 пәтер");
    assert_eq!(app.text(&format!("{card} .card-phone")).await?, "+77475551234");
    assert!(after.contains("Өтініш өзгертілді: негізгі ұялы телефон нөмірі, нақты тұрғылықты жері, жеңілдік"), "{after}");
    assert!(app.all("#print-outcome").await?.is_empty(), "no banner of the certificate printed before the edit");
    assert!(after.contains("Көп балалы отбасының баласы — тексерілуде"), "{after}");
    // What was typed is what was saved.
    let store = baqsha_store::Store::open(&dir.join("baqsha.sqlite")).await?;
    let saved = store.application_by_number(&line.number).await?;
    store.close().await;
    assert_eq!((saved.address.as_str(), saved.contacts.phone.as_str()), ("Өскемен қ., Абай даңғылы 10, 5 пәтер", "+77475551234"));
    // The registration time (and so the place in time) is unchanged.
    let when = |facts: &str| facts.lines().skip_while(|l| !l.contains("Тіркелген")).nth(1).map(str::to_string);
    assert_eq!(when(&app.text(&format!("{card} .facts")).await?), when(&registered));

    // «Қайтарып алу»: refused without a reason (the dialog stays), done with one.
    app.click(&format!("{card} .withdraw")).await?;
    app.find("#withdraw-dialog").await?;
    app.click("#withdraw-confirm").await?;
    app.until("a reason is asked for", || async { Ok(app.text("#withdraw-error").await?.contains("Себебін жазыңыз")) }).await?;
    app.type_into("#withdraw-reason", "Отбасы Алматыға көшті").await?;
    app.screenshot("31-withdraw-dialog").await?;
    app.click("#withdraw-confirm").await?;
    app.until("the application is withdrawn", || async { Ok(app.text(&format!("{card} .status")).await? == "Кезектен қайтарып алынды") }).await?;
    let after = app.text(&card).await?;
    assert!(after.contains("Кезектен қайтарып алынды: Отбасы Алматыға көшті"), "{after}");
    assert!(app.all(&format!("{card} .position-number")).await?.is_empty(), "no position once withdrawn");
    assert!(app.all(&format!("{card} .withdraw")).await?.is_empty());

    // A valid IIN with no application.
    let birth = chrono::NaiveDate::from_ymd_opt(year, 1, 1).ok_or("date")?;
    let nobody = (8000..).find_map(|s| Iin::from_parts(birth, Sex::Male, s)).ok_or("iin")?;
    app.type_into("#queue-iin", nobody.as_str()).await?;
    app.click("#queue-search").await?;
    app.find("#queue-none").await?;
    Ok(())
}

#[tokio::test]
async fn the_public_queue_pages_filters_and_prints() -> Res<()> {
    let dir = tempfile::tempdir()?;
    let app = TestApp::start(&dir.path().join("baqsha.sqlite")).await?;
    let result = app.guard("public-queue", public_queue(&app, dir.path())).await;
    app.close().await?;
    result
}

async fn positions(app: &TestApp) -> Res<Vec<u64>> {
    let mut out = vec![];
    for cell in app.all("#queue-table .pos").await? {
        out.push(cell.text().await?.trim().parse()?);
    }
    Ok(out)
}

async fn public_queue(app: &TestApp, dir: &Path) -> Res<()> {
    app.sign_in_as("operator").await?;
    app.click("#nav-queue-list").await?;
    app.find("#queue-table").await?;
    assert_eq!(positions(app).await?, (1..=25).collect::<Vec<u64>>());
    let range = app.text("#queue-range").await?;
    assert!(range.starts_with("1–25, барлығы"), "{range}");
    // Masked: initials and a masked IIN, never a name.
    let first_row = app.text("#queue-table tbody tr").await?;
    assert!(first_row.contains("******"), "{first_row}");
    app.screenshot("32-public-queue").await?;
    // Two pagers, above and below; every id on the page once.
    let twice: Vec<String> = serde_json::from_value(
        app.client.execute("const seen = {}; return [...document.querySelectorAll('[id]')].map(e => e.id).filter(id => (seen[id] = (seen[id] || 0) + 1) === 2)", vec![]).await?,
    )?;
    assert!(twice.is_empty(), "ids used twice: {twice:?}");
    app.click("#queue-next-below").await?;
    app.until("page 2 from below", || async { Ok(positions(app).await?.first() == Some(&26)) }).await?;
    app.click("#queue-prev").await?;
    app.until("page 1", || async { Ok(positions(app).await?.first() == Some(&1)) }).await?;

    app.click("#queue-next").await?;
    app.until("page 2", || async { Ok(positions(app).await?.first() == Some(&26)) }).await?;
    // A position typed: its page, the line marked.
    app.type_into("#queue-goto", "60").await?;
    app.click("#queue-goto-go").await?;
    app.until("the page of position 60", || async { Ok(positions(app).await?.first() == Some(&51)) }).await?;
    assert_eq!(app.text("tr.queue-line.marked .pos").await?, "60");
    let number = app.text("tr.queue-line.marked td:nth-child(2)").await?;
    app.click("#queue-prev").await?;
    app.click("#queue-prev").await?;
    app.until("page 1 again", || async { Ok(positions(app).await?.first() == Some(&1)) }).await?;
    // An application's number, typed in small letters: the same page, the same line.
    app.type_into("#queue-goto", &number.to_lowercase()).await?;
    app.click("#queue-goto-go").await?;
    app.until("the page of that number", || async { Ok(positions(app).await?.first() == Some(&51)) }).await?;
    assert_eq!(app.text("tr.queue-line.marked td:nth-child(2)").await?, number);
    app.screenshot("32a-public-queue-goto").await?;
    // A number no queued application has: said, and the page stays.
    app.type_into("#queue-goto", "VKO-1999-000001").await?;
    app.click("#queue-goto-go").await?;
    assert!(app.text("#queue-goto-missing").await?.contains("VKO-1999-000001 нөмірлі өтініш кезекте жоқ"));
    assert_eq!(positions(app).await?.first(), Some(&51));
    app.click("#queue-prev").await?;
    app.click("#queue-prev").await?;
    app.until("page 1 again", || async { Ok(positions(app).await?.first() == Some(&1)) }).await?;

    // A district: fewer lines, positions of the whole category, still in order.
    app.find("#qs-district").await?.select_by_value("oskemen").await?;
    app.until("the district's queue", || async { Ok(app.text("#queue-range").await?.starts_with("1–")) }).await?;
    let p = positions(app).await?;
    assert!(p.windows(2).all(|w| w[0] < w[1]) && p.last() > Some(&25), "{p:?}");

    // Only the general tier.
    app.find("#qs-tier").await?.select_by_value("general").await?;
    app.until("general tier only", || async {
        let cells = app.all("#queue-table tbody tr td:nth-child(5)").await?;
        let mut all = !cells.is_empty();
        for c in cells {
            all &= c.text().await? == "жалпы кезек";
        }
        Ok(all)
    })
    .await?;

    // One kindergarten of the district too: what is printed is what is shown.
    let kindergarten = app.find("#qs-kindergarten option:nth-child(2)").await?.attr("value").await?.ok_or("no kindergarten option")?;
    let before = app.text("#queue-range").await?;
    app.find("#qs-kindergarten").await?.select_by_value(&kindergarten).await?;
    app.until("the kindergarten's lines", || async { Ok(app.text("#queue-range").await? != before) }).await?;
    let shown: u64 = app.text("#queue-range").await?.rsplit(' ').next().ok_or("no total")?.trim().parse()?;

    // Print: the queue as shown, as a PDF; read back, the same number of lines.
    app.click("#queue-print").await?;
    app.until("the queue is printed", || async { Ok(app.text("#print-outcome").await?.contains("-oskemen.pdf")) }).await?;
    let year = command::desk_date(chrono::Utc::now()).year() - 3;
    let pdf = dir.join("documents").join(format!("kezek-{year}-oskemen.pdf"));
    let out = std::process::Command::new("pdftotext").args(["-layout"]).arg(&pdf).arg("-").output()?;
    let text = String::from_utf8(out.stdout)?;
    let printed = text.lines().filter(|l| l.contains("VKO-")).count() as u64;
    assert_eq!(printed, shown, "printed lines against the screen's {shown}:\n{text}");
    assert!(text.contains("жалпы кезек") && !text.contains("кезектен тыс"), "only the general tier:\n{text}");
    Ok(())
}

#[tokio::test]
async fn sent_messages_show_local_delivery_and_a_failed_mail_with_its_reason() -> Res<()> {
    use baqsha_core::codes::{Channel, Notification};
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("baqsha.sqlite");
    let app = TestApp::start(&db).await?;
    let result = app
        .guard("messages", async {
            app.sign_in_as("operator").await?;
            // On start the office offered the demo's published places: each offer's SMS is here.
            app.click("#nav-messages").await?;
            app.until("the offers' SMS are listed", || async {
                app.click("#nav-registry").await?;
                app.click("#nav-messages").await?;
                Ok(app.text("#messages-table").await?.contains("кезек келді"))
            })
            .await?;
            let before = app.all("#messages-table tbody tr").await?.len();

            // Two messages queued as the wizard will queue them; the office's mail server is down.
            let store = baqsha_store::Store::open(&db).await?;
            let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
            store.set_setting("allow_local_gateway", "1").await?;
            store.set_setting("smtp", &format!(r#"{{"host":"127.0.0.1","port":{port},"starttls":false,"user":null,"password":null,"from":"noreply@example.kz"}}"#)).await?;
            let now = chrono::Utc::now();
            store
                .queue_message(
                    &Notification {
                        channel: Channel::Sms, recipient: "+77011234567".into(), subject: None, body: "Өтініш № VKO-2026-000001 тіркелді".into(), secret: false
                    },
                    now,
                )
                .await?;
            store
                .queue_message(
                    &Notification {
                        channel: Channel::Email,
                        recipient: "ata@example.kz".into(),
                        subject: Some("Өтініш".into()),
                        body: "Өтініш № VKO-2026-000001".into(),
                        secret: false,
                    },
                    now,
                )
                .await?;
            store.close().await;

            app.click("#messages-send-now").await?;
            app.until("both messages listed", || async { Ok(app.all("#messages-table tbody tr").await?.len() == before + 2) }).await?;
            let mut rows = vec![];
            for r in app.all("#messages-table tbody tr").await? {
                rows.push((r.attr("class").await?.unwrap_or_default(), r.text().await?));
            }
            let sent = rows.iter().find(|(_, t)| t.contains("VKO-2026-000001 тіркелді")).ok_or("the SMS is not listed")?;
            assert!(sent.0.contains("sent") && sent.1.contains("Жеткізілді (жергілікті)"), "{sent:?}");
            let waiting = rows.iter().find(|(_, t)| t.contains("ata@example.kz")).ok_or("the e-mail is not listed")?;
            assert!(waiting.0.contains("waiting") && waiting.1.contains("Жіберілмеді (1 рет): Пошта сервері қолжетімсіз"), "{waiting:?}");
            app.screenshot("33-sent-messages").await?;
            Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
        })
        .await;
    app.close().await?;
    result
}
