//! «Кезекке қою» as a new operator does it, in Kazakh, with the parent at the desk: codes read
//! from the sent-messages store, every bad input of the issue refused with a clear message and
//! nothing typed lost, the app closed mid-way and the draft back, the number shown, the e-mail
//! waiting when the mail server refuses. Then a duplicate child, the check by IIN, and the
//! benefit verified by rejection.

mod common;
use baqsha_core::*;
use baqsha_e2e::{Res, TestApp};
use baqsha_store::Store;
use common::{choose_files, code_for, jpeg};
use std::path::Path;

#[tokio::test]
async fn the_wizard_to_a_number_and_every_bad_input() -> Res<()> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("baqsha.sqlite");
    let app = TestApp::start(&db).await?;
    let result = app.guard("wizard", first_part(&app, dir.path())).await;
    app.close().await?;
    result?;
    // The app closed at step 4: opened again, the draft is back.
    let app = TestApp::start(&db).await?;
    let result = app.guard("wizard-2", second_part(&app, dir.path())).await;
    app.close().await?;
    result
}

/// The same road once in Russian: every label, refusal and message in it is Russian, and
/// «Проверить очередь» finds the new application with its history in Russian.
#[tokio::test]
async fn the_wizard_and_the_queue_check_in_russian() -> Res<()> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("baqsha.sqlite");
    let app = TestApp::start(&db).await?;
    let result = app.guard("wizard-ru", in_russian(&app, &db)).await;
    app.close().await?;
    result
}

async fn in_russian(app: &TestApp, db: &Path) -> Res<()> {
    app.sign_in_as("operator").await?;
    app.click("#lang-ru").await?;
    app.until("the menu in Russian", || async { Ok(app.text("#nav-apply").await?.contains("Постановка в очередь")) }).await?;
    app.click("#nav-apply").await?;
    app.click("#wz-start").await?;
    app.until("step 2's title", || async { Ok(app.text("main").await?.contains("Заполнение контактных данных родителя")) }).await?;
    app.type_into("#wz-phone", "8 701 555 07 08").await?;
    app.click("#wz-phone-send").await?;
    app.until("the code is sent", || async { Ok(app.text("#wz-phone-note").await?.contains("Код отправлен")) }).await?;
    let code = code_for(db, "+77015550708").await?;
    app.type_into("#wz-phone-code", &wrong(&code)).await?;
    app.click("#wz-next").await?;
    error(app, "Неверный код. Осталось попыток: 4").await?;
    app.type_into("#wz-phone-code", &code).await?;
    app.click("#wz-next").await?;

    let (child, parent) = family(db).await?;
    app.find("#wz-parent-iin").await?;
    app.type_into("#wz-parent-iin", parent.iin.as_str()).await?;
    let good = child.iin.as_str();
    let mistyped = format!("{}{}", &good[..11], (good.as_bytes()[11] - b'0' + 1) % 10);
    app.type_into("#wz-child-iin", &mistyped).await?;
    // Explained as the twelfth digit goes in, before any button.
    app.until("the IIN explained at once", || async { Ok(app.text("#wz-child-iin-error").await?.contains("Контрольная цифра")) }).await?;
    app.click("#wz-next").await?;
    error(app, "Контрольная цифра ИИН не сходится").await?;
    assert_eq!(value(app, "#wz-child-iin").await?, mistyped, "what was typed stays");
    app.type_into("#wz-child-iin", good).await?;
    app.click("#wz-parent-fill").await?;
    app.click("#wz-child-fill").await?;
    names_filled(app, &child.surname).await?;
    assert_eq!(value(app, "#wz-child-sex").await?, if child.sex() == Sex::Female { "Женский" } else { "Мужской" });
    app.type_into("#wz-address", "г. Усть-Каменогорск, ул. Казахстан 45").await?;
    app.find("#wz-district").await?.select_by_value("oskemen").await?;
    app.until("the district's kindergartens", || async { Ok(app.all("#wz-preference-0 option").await?.len() > 3) }).await?;
    let first = app.find("#wz-preference-0 option:nth-child(2)").await?.attr("value").await?.ok_or("no option")?;
    app.find("#wz-preference-0").await?.select_by_value(&first).await?;
    app.screenshot("46-wizard-people-ru").await?;
    app.click("#wz-next").await?;
    app.until("step 4's title", || async { Ok(app.text("main").await?.contains("Сведения о льготах")) }).await?;
    app.click("#wz-next").await?;

    app.click("#wz-submit").await?;
    error(app, "Не отмечено согласие родителя").await?;
    app.click("#wz-consent").await?;
    app.click("#wz-submit").await?;
    app.until("the number", || async { Ok(app.text("#wz-number").await?.contains("VKO-")) }).await?;
    let number = app.text("#wz-number").await?.split_whitespace().last().ok_or("number")?.to_string();
    assert!(app.text("#wz-messages").await?.contains("SMS отправлено: +77015550708"));
    app.screenshot("47-wizard-done-ru").await?;

    app.click("#nav-queue-check").await?;
    app.type_into("#queue-iin", &mistyped).await?;
    app.until("the IIN explained at once", || async { Ok(app.text("#queue-iin-error").await?.contains("Контрольная цифра")) }).await?;
    app.type_into("#queue-iin", child.iin.as_str()).await?;
    assert!(app.all("#queue-iin-error").await?.is_empty(), "the right IIN clears it");
    app.click("#queue-search").await?;
    let card = format!(".application-card[data-number='{number}']");
    app.find(&card).await?;
    let text = app.text(&card).await?;
    for part in ["В очереди", "Заявление зарегистрировано", &child.surname] {
        assert!(text.contains(part), "{part} in: {text}");
    }
    app.screenshot("48-queue-check-ru").await?;
    Ok(())
}

fn wrong(code: &str) -> String {
    code.chars().map(|c| if c == '9' { '0' } else { char::from(c as u8 + 1) }).collect()
}

async fn value(app: &TestApp, css: &str) -> Res<String> {
    Ok(app.find(css).await?.prop("value").await?.unwrap_or_default())
}

/// «ТАӘ толтыру» filled the child's surname; a message the wizard shows instead ends the wait
/// with its words (they say why, where a timeout would not).
async fn names_filled(app: &TestApp, surname: &str) -> Res<()> {
    app.until("the child's names", || async {
        if value(app, "#wz-child-surname").await? == surname {
            return Ok(true);
        }
        for shown in app.all("#wz-error").await? {
            let said = shown.text().await.unwrap_or_default();
            if !said.trim().is_empty() {
                return Err(format!("the wizard said instead: {said}").into());
            }
        }
        Ok(false)
    })
    .await
}

async fn error(app: &TestApp, contains: &str) -> Res<()> {
    app.until(&format!("the message «{contains}»"), || async { Ok(app.text("#wz-error").await?.contains(contains)) }).await
}

/// A child of the demo registry not yet in the queue, and their parent.
async fn family(db: &Path) -> Res<(Person, Person)> {
    let store = Store::open(db).await?;
    let today: chrono::NaiveDate = store.meta("demo_today").await?.ok_or("no demo date")?.parse()?;
    store.close().await;
    let region = baqsha_demo::generate(baqsha_demo::Scale::Demo, baqsha_demo::DEMO_SEED, today);
    Ok(baqsha_demo::unqueued_children(&region, today).into_iter().next().ok_or("no unqueued child")?)
}

async fn first_part(app: &TestApp, dir: &Path) -> Res<()> {
    let db = dir.join("baqsha.sqlite");
    app.sign_in_as("operator").await?;
    app.click("#nav-apply").await?;
    app.click("#wz-start").await?;

    // Step 2: the main phone, confirmed by SMS. A wrong code first.
    app.type_into("#wz-phone", "8 701 555 01 02").await?;
    app.click("#wz-phone-send").await?;
    app.until("the code is sent", || async { Ok(app.text("#wz-phone-note").await?.contains("Код жіберілді")) }).await?;
    let code = code_for(&db, "+77015550102").await?;
    // The code as an operator reads it: on «Жіберілген хабарламалар». Back in the wizard,
    // the step and everything typed on it are where they were.
    app.click("#nav-messages").await?;
    let js = "return [...document.querySelectorAll('tr')].filter(r => r.textContent.includes('+77015550102')).map(r => r.querySelector('.message-text').textContent)[0] || ''";
    app.until("the code on the messages page", || async {
        let text: String = serde_json::from_value(app.client.execute(js, vec![]).await?)?;
        Ok(text.chars().filter(char::is_ascii_digit).collect::<String>().contains(&code))
    })
    .await?;
    app.click("#nav-apply").await?;
    app.until("the phone as typed", || async { Ok(value(app, "#wz-phone").await? == "8 701 555 01 02") }).await?;
    assert!(app.text("#wz-restored").await?.contains("сақталған"), "the restored draft is announced");
    app.type_into("#wz-phone-code", &wrong(&code)).await?;
    app.click("#wz-next").await?;
    error(app, "Код қате. 4 әрекет қалды").await?;
    assert_eq!(value(app, "#wz-phone").await?, "8 701 555 01 02", "the phone stays");
    // Asking again at once: too soon.
    app.click("#wz-phone-send").await?;
    app.until("a resend waits", || async { Ok(app.text("#wz-phone-note").await?.contains("секундтан кейін сұрауға болады")) }).await?;
    app.type_into("#wz-phone-code", &code).await?;

    // The additional phone: five wrong codes use up the tries.
    app.type_into("#wz-extra-phone", "8 777 555 03 04").await?;
    app.click("#wz-extra-phone-send").await?;
    let extra = code_for(&db, "+77775550304").await?;
    for left in (1..=4).rev() {
        app.type_into("#wz-extra-phone-code", &wrong(&extra)).await?;
        app.click("#wz-next").await?;
        error(app, &format!("{left} әрекет қалды")).await?;
    }
    app.type_into("#wz-extra-phone-code", &wrong(&extra)).await?;
    app.click("#wz-next").await?;
    error(app, "тым көп енгізілді").await?;
    // Even the right code is refused now.
    app.type_into("#wz-extra-phone-code", &extra).await?;
    app.click("#wz-next").await?;
    error(app, "тым көп енгізілді").await?;
    // The parent drops the additional number.
    app.type_into("#wz-extra-phone", "").await?;

    // The e-mail: its code expires before it is typed.
    app.type_into("#wz-email", "ata.ana@example.kz").await?;
    app.click("#wz-email-send").await?;
    let mail_code = code_for(&db, "ata.ana@example.kz").await?;
    let store = Store::open(&db).await?;
    let mut rec = store.code_record("ata.ana@example.kz").await?.ok_or("no record")?;
    rec.issued_at -= chrono::Duration::minutes(6);
    store.save_code_record(&rec).await?;
    store.close().await;
    app.type_into("#wz-email-code", &mail_code).await?;
    app.click("#wz-next").await?;
    error(app, "мерзімі өтті").await?;
    app.click("#wz-email-send").await?;
    app.until("a new code", || async { Ok(code_for(&db, "ata.ana@example.kz").await? != mail_code) }).await?;
    let mail_code = code_for(&db, "ata.ana@example.kz").await?;
    app.type_into("#wz-email-code", &mail_code).await?;
    app.screenshot("40-wizard-contacts").await?;
    app.click("#wz-next").await?;

    // Step 3: a child's IIN with a wrong check digit, then an adult's.
    let (child, parent) = family(&db).await?;
    app.find("#wz-parent-iin").await?;
    app.type_into("#wz-parent-iin", parent.iin.as_str()).await?;
    let good = child.iin.as_str();
    let last = good.as_bytes()[11] - b'0';
    let mistyped = format!("{}{}", &good[..11], (last + 1) % 10);
    app.type_into("#wz-child-iin", &mistyped).await?;
    app.click("#wz-next").await?;
    error(app, "Бала:").await?;
    assert_eq!(value(app, "#wz-child-iin").await?, mistyped);
    app.type_into("#wz-child-iin", parent.iin.as_str()).await?;
    app.click("#wz-next").await?;
    error(app, "мектеп жасына толады").await?;
    // The right IIN: «ТАӘ толтыру» fills the names from the registry.
    app.type_into("#wz-child-iin", good).await?;
    app.click("#wz-parent-fill").await?;
    app.click("#wz-child-fill").await?;
    names_filled(app, &child.surname).await?;
    assert_eq!(value(app, "#wz-child-given").await?, child.given_name);
    assert_eq!(value(app, "#wz-parent-surname").await?, parent.surname);
    assert!(app.text("#wz-child-verified").await?.contains("Мемлекеттік тіркелімнен"));
    // Birth date and sex filled into their read-only fields with the names.
    assert_eq!(value(app, "#wz-child-birth-date").await?, child.birth_date().format("%d.%m.%Y").to_string());
    assert_eq!(value(app, "#wz-child-sex").await?, if child.sex() == Sex::Female { "Әйел" } else { "Ер" });
    app.type_into("#wz-address", "Өскемен қ., Қазақстан к-сі 45, 12 пәтер").await?;
    app.find("#wz-district").await?.select_by_value("oskemen").await?;
    app.until("the district's kindergartens", || async { Ok(app.all("#wz-preference-0 option").await?.len() > 3) }).await?;
    // «№ 2» before «№ 11»: numbers in names read as numbers.
    let mut numbers = vec![];
    for o in app.all("#wz-preference-0 option").await? {
        let text = o.text().await?;
        if let Some(n) = text.strip_prefix("№ ").and_then(|t| t.split(' ').next()).and_then(|n| n.parse::<u32>().ok()) {
            numbers.push(n);
        }
    }
    assert!(numbers.len() > 3 && numbers.windows(2).all(|w| w[0] <= w[1]), "{numbers:?}");
    let first = app.find("#wz-preference-0 option:nth-child(2)").await?.attr("value").await?.ok_or("no option")?;
    let second = app.find("#wz-preference-1 option:nth-child(3)").await?.attr("value").await?.ok_or("no option")?;
    app.find("#wz-preference-0").await?.select_by_value(&first).await?;
    app.find("#wz-preference-1").await?.select_by_value(&second).await?;
    app.screenshot("41-wizard-people").await?;
    app.click("#wz-next").await?;

    // Step 4: a benefit without proof; renamed PDF and PNG; 20 MB; six files.
    app.find("#wz-benefit").await?.select_by_value("large_family").await?;
    app.click("#wz-next").await?;
    error(app, "кемінде бір JPEG").await?;
    choose_files(app, "wz-proof-input", vec![("анықтама.jpg", b"%PDF-1.7\n1 0 obj".to_vec())]).await?;
    error(app, "ол — PDF").await?;
    choose_files(app, "wz-proof-input", vec![("фото.jpg", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec())]).await?;
    error(app, "ол — PNG сурет").await?;
    app.client
        .execute(
            "const b = new Uint8Array(20 * 1024 * 1024); b[0] = 0xFF; b[1] = 0xD8; b[2] = 0xFF;
             const dt = new DataTransfer(); dt.items.add(new File([b], 'үлкен.jpg', {type: 'image/jpeg'}));
             const input = document.getElementById('wz-proof-input');
             input.files = dt.files; input.dispatchEvent(new Event('change', {bubbles: true}));",
            vec![],
        )
        .await?;
    error(app, "Файл тым үлкен: 20.0 МБ").await?;
    let photo = jpeg(dir)?;
    // Six different photos (the same page, each with its own trailing bytes).
    let six: Vec<(&str, Vec<u8>)> =
        ["1.jpg", "2.jpg", "3.jpg", "4.jpg", "5.jpg", "6.jpg"].into_iter().enumerate().map(|(i, n)| (n, [photo.clone(), vec![i as u8; 4]].concat())).collect();
    choose_files(app, "wz-proof-input", six).await?;
    error(app, "Ең көбі 5 құжат").await?;
    app.until("five kept, the sixth refused", || async { Ok(app.all("#wz-proofs li").await?.len() == 5) }).await?;
    app.screenshot("42-wizard-proofs").await?;
    // Back to step 3 and forward again: everything is still there.
    app.click("#wz-back").await?;
    assert_eq!(value(app, "#wz-child-surname").await?, child.surname);
    assert_eq!(value(app, "#wz-address").await?, "Өскемен қ., Қазақстан к-сі 45, 12 пәтер");
    app.click("#wz-next").await?;
    app.find("#wz-proofs").await?;
    assert_eq!(app.all("#wz-proofs li").await?.len(), 5);
    // The draft is saved as it goes; the app is closed here.
    app.until("the draft is saved with the five proofs", || async {
        let store = Store::open(&db).await?;
        let op = store.sign_in("operator", "baqsha-operator", chrono::Utc::now()).await.map_err(|e| e.to_string())?;
        let d = store.draft(op.id).await?;
        store.close().await;
        Ok(d.is_some_and(|(body, _)| body.matches("\"size\"").count() == 5))
    })
    .await?;
    Ok(())
}

async fn second_part(app: &TestApp, dir: &Path) -> Res<()> {
    let db = dir.join("baqsha.sqlite");
    let (child, _) = family(&db).await?;
    app.sign_in_as("operator").await?;
    app.click("#nav-apply").await?;
    app.until("the draft is back", || async { Ok(app.text("#wz-restored").await?.contains("қалпына келтірілді")) }).await?;
    assert_eq!(app.all("#wz-proofs li").await?.len(), 5);
    app.click("#wz-next").await?;

    // Step 5: the review, the consent not ticked, then sent with a mail server that refuses.
    let review = app.text("#wz-review").await?;
    assert!(review.contains(&child.surname) && review.contains("8 701 555 01 02"), "{review}");
    assert!(review.contains("байланыс кодтармен расталды"), "{review}");
    app.click("#wz-submit").await?;
    error(app, "келісімі белгіленбеген").await?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let store = Store::open(&db).await?;
    store.set_setting("allow_local_gateway", "1").await?;
    store.set_setting("smtp", &format!(r#"{{"host":"127.0.0.1","port":{port},"starttls":false,"user":null,"password":null,"from":"noreply@example.kz"}}"#)).await?;
    store.close().await;
    app.click("#wz-consent").await?;
    app.screenshot("43-wizard-review").await?;
    app.click("#wz-submit").await?;
    app.until("the number", || async { Ok(app.text("#wz-number").await?.contains("VKO-")) }).await?;
    let number_line = app.text("#wz-number").await?;
    let number = number_line.split_whitespace().last().ok_or("number")?.to_string();
    let messages = app.text("#wz-messages").await?;
    assert!(messages.contains("SMS жіберілді: +77015550102"), "{messages}");
    assert!(messages.contains("ata.ana@example.kz") && messages.contains("Пошта сервері қолжетімсіз"), "{messages}");
    app.screenshot("44-wizard-done").await?;

    // What the desk wrote.
    let store = Store::open(&db).await?;
    let a = store.application_by_number(&number).await?;
    // Waiting past its back-off: asked as of two hours from now.
    let waiting = store.unsent_messages(10, chrono::Utc::now() + chrono::Duration::hours(2)).await?;
    store.set_setting("smtp", "").await?;
    store.close().await;
    assert_eq!((a.child.iin.as_str(), a.child.verified, a.parent.verified), (child.iin.as_str(), true, true));
    assert!((chrono::Utc::now() - a.registered_at).num_minutes() < 5, "registered at the desk's time of submit");
    assert_eq!(a.benefit.as_ref().map(|b| (b.kind, b.proofs.len())), Some((BenefitKind::LargeFamily, 5)));
    assert!(waiting.iter().any(|m| m.notification.recipient == "ata.ana@example.kz" && m.notification.body.contains(&number)), "the e-mail waits");

    // The same child again, confirmed in person: refused with the existing number.
    app.click("#wz-new").await?;
    app.click("#wz-start").await?;
    app.type_into("#wz-phone", "87015550102").await?;
    app.click("#wz-in-person").await?;
    app.type_into("#wz-document-number", "12").await?;
    app.click("#wz-next").await?;
    error(app, "Құжат нөмірі дұрыс емес").await?;
    app.type_into("#wz-document-number", "041234567").await?;
    app.click("#wz-next").await?;
    let (child, parent) = family(&db).await?;
    app.type_into("#wz-parent-iin", parent.iin.as_str()).await?;
    app.type_into("#wz-child-iin", child.iin.as_str()).await?;
    app.click("#wz-child-fill").await?;
    app.click("#wz-parent-fill").await?;
    app.until("names", || async { Ok(value(app, "#wz-parent-surname").await? == parent.surname) }).await?;
    app.type_into("#wz-address", "Өскемен қ.").await?;
    app.find("#wz-district").await?.select_by_value("oskemen").await?;
    app.until("kindergartens", || async { Ok(app.all("#wz-preference-0 option").await?.len() > 3) }).await?;
    let first = app.find("#wz-preference-0 option:nth-child(2)").await?.attr("value").await?.ok_or("no option")?;
    app.find("#wz-preference-0").await?.select_by_value(&first).await?;
    app.click("#wz-next").await?;
    app.click("#wz-next").await?;
    app.click("#wz-consent").await?;
    app.click("#wz-submit").await?;
    error(app, &format!("Баланың белсенді өтініші бар: № {number}")).await?;
    assert!(app.text("#wz-review").await?.contains(&child.surname), "the review keeps everything");

    // «Кезекті тексеру» by the IIN: the new application and how it was confirmed.
    app.click("#nav-queue-check").await?;
    app.type_into("#queue-iin", child.iin.as_str()).await?;
    app.click("#queue-search").await?;
    let card = format!(".application-card[data-number='{number}']");
    app.find(&card).await?;
    assert!(app.text(&card).await?.contains("Өтініш тіркелді (байланыс кодтармен расталды)"));

    // Benefit verification: the proofs are there; a rejection needs a reason.
    app.click("#nav-benefits").await?;
    app.type_into("#bv-find", &number).await?;
    let case = format!(".benefit-case[data-number='{number}']");
    app.find(&case).await?;
    app.until("the proofs show", || async { Ok(app.all(&format!("{case} .proof img")).await?.len() == 5) }).await?;
    app.screenshot("45-benefit-verification").await?;
    app.click(&format!("{case} .bv-reject")).await?;
    app.until("a reason is asked", || async { Ok(app.text(&format!("{case} .error")).await?.contains("Себебін жазыңыз")) }).await?;
    app.type_into(&format!("{case} .bv-reason"), "Анықтаманың мерзімі өткен").await?;
    app.click(&format!("{case} .bv-reject")).await?;
    app.until("rejected", || async { Ok(app.text("#bv-notice").await?.contains(&number)) }).await?;
    assert!(app.all(&case).await?.is_empty());
    let store = Store::open(&db).await?;
    let after = store.application_by_number(&number).await?;
    store.close().await;
    assert_eq!((after.tier(), after.registered_at), (BenefitTier::General, a.registered_at));
    app.click("#nav-queue-check").await?;
    app.type_into("#queue-iin", child.iin.as_str()).await?;
    app.click("#queue-search").await?;
    app.until("the rejection in the history", || async {
        Ok(app.text(&card).await?.contains("Жеңілдік қабылданбады: Анықтаманың мерзімі өткен"))
    })
    .await?;
    Ok(())
}
