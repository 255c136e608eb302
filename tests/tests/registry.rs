//! As a new operator would, in Kazakh: sign in, search a kindergarten by a Kazakh fragment
//! in another case, filter by language, open the passport, open the map, switch to Russian
//! and back; the language is remembered between runs.

use baqsha_e2e::{Res, TestApp};

#[tokio::test]
async fn the_registry_as_an_operator_uses_it() -> Res<()> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("baqsha.sqlite");
    let app = TestApp::start(&db).await?;
    let result = app.guard("registry", registry_flow(&app)).await;
    app.close().await?;
    result?;

    // The language chosen last time is the language of the next start.
    let again = TestApp::start(&db).await?;
    let result = async {
        again.find("#sign-in-form").await?;
        again.until("the sign-in screen in Russian", || async { Ok(again.text("h1").await? == "Вход в систему") }).await?;
        again.click("#lang-kk").await?;
        again.until("Kazakh", || async { Ok(again.text("h1").await? == "Жүйеге кіру") }).await
    }
    .await;
    again.close().await?;
    result
}

async fn registry_flow(app: &TestApp) -> Res<()> {
    // The sign-in screen, in Kazakh, shows the demo accounts of the demo database.
    app.find("#sign-in-form").await?;
    assert!(app.text("h1").await?.contains("Жүйеге кіру"));
    assert!(app.text("#demo-accounts").await?.contains("operator"));
    app.screenshot("01-sign-in").await?;

    // A wrong password is refused in Kazakh and what was typed stays.
    app.type_into("#login", "operator").await?;
    app.type_into("#password", "қате").await?;
    app.click("#sign-in").await?;
    assert_eq!(app.text("#sign-in-error").await?, "Логин немесе құпиясөз қате.");
    assert_eq!(app.find("#login").await?.prop("value").await?.as_deref(), Some("operator"));

    app.sign_in_as("operator").await?;
    app.find("#registry-table").await?;
    assert!(app.text("#demo-badge").await?.contains("ДЕМО"));
    let all = app.text("#results-count").await?;
    assert!(all.contains("150") || all.contains("балабақша"), "{all}");
    app.screenshot("02-registry").await?;

    // Typed in capitals, found in any case: every row names «Ақбота».
    app.type_into("#search", "АҚБОТА").await?;
    app.until("rows matching «АҚБОТА»", || async {
        let names = app.all(".kg-name").await?;
        if names.is_empty() {
            return Ok(false);
        }
        for n in names {
            if !n.text().await?.to_lowercase().contains("ақбота") {
                return Ok(false);
            }
        }
        Ok(true)
    })
    .await?;
    app.screenshot("03-search-akbota").await?;

    // Nothing matches: a clear empty state, not an empty table.
    app.type_into("#search", "жоқбалабақша").await?;
    assert!(app.text("#registry-empty").await?.contains("Балабақша табылмады"));

    // Filter by language: every row teaches in Russian.
    app.type_into("#search", "").await?;
    app.find("#filter-language").await?.select_by_value("ru").await?;
    app.until("only kindergartens with Russian groups", || async {
        let rows = app.all(".kg-row").await?;
        if rows.is_empty() {
            return Ok(false);
        }
        for r in rows {
            if !r.text().await?.contains("орыс тілі") {
                return Ok(false);
            }
        }
        Ok(app.text("#results-count").await? != all)
    })
    .await?;

    // The passport of the first one.
    let first = app.text(".kg-row .kg-name").await?;
    let queue = app.text(".kg-row .queue").await?;
    app.click(".kg-row .kg-name").await?;
    assert_eq!(app.text("#passport-name").await?, first);
    app.find("#passport-groups").await?;
    // The list's queue is the passport's; each group says how many waiting would fit it.
    assert_eq!(app.text("#passport-queue .stat-value").await?, queue);
    assert!(!app.all("#passport-groups .queue-fits").await?.is_empty());
    assert!(app.text("#passport-queue-fits-note").await?.contains("тәрбиелеу тілін"));
    // Each number says what it counts: published places, children and places, the rest unpublished.
    assert!(app.text("#passport-free").await?.contains("әлі ешкімге жолдама берілмеген"));
    assert!(app.text("#passport-enrolled").await?.contains("бос орын әлі жарияланбаған"));
    assert!(!app.text("#passport-head-name").await?.trim().is_empty());
    assert!(app.text("#passport-queue").await?.contains("Кезектегі балалар"));
    app.screenshot("04-passport").await?;

    // Back to the list: the filter is still there.
    app.click("#passport-back").await?;
    app.find("#registry-table").await?;
    assert_eq!(app.find("#filter-language").await?.prop("value").await?.as_deref(), Some("ru"));

    // The map draws every kindergarten of the list, offline.
    app.find("#filter-language").await?.select_by_value("").await?;
    app.click("#view-map").await?;
    app.find("#region-map").await?;
    app.until("markers on the map", || async { Ok(app.all("#region-map .marker").await?.len() >= 100) }).await?;
    let markers = app.all("#region-map .marker").await?.len();
    assert!(app.text("#map-count").await?.contains(&markers.to_string()));
    app.screenshot("05-map").await?;
    // Choosing the regional centre zooms the map to it; a marker opens its passport.
    app.find("#filter-district").await?.select_by_value("oskemen").await?;
    app.until("the city's markers only", || async {
        let n = app.all("#region-map .marker").await?.len();
        Ok(n > 10 && n < markers)
    })
    .await?;
    app.screenshot("06-map-oskemen").await?;
    // WebKitWebDriver cannot hit-test SVG shapes (it reports every marker as covered), so the
    // click is dispatched on the marker itself, as the browser would after its hit-test.
    let last = app.all("#region-map .marker").await?.pop().ok_or("no marker")?;
    app.client.execute("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", vec![serde_json::to_value(&last)?]).await?;
    let name = app.text("#passport-name").await?;

    // «Картада көрсету»: the map of its district, this kindergarten ringed and named.
    app.click("#passport-on-map").await?;
    app.until("the kindergarten marked", || async { Ok(app.all("#region-map .marker.marked").await?.len() == 1) }).await?;
    assert_eq!(app.text("#region-map .marker.marked .marker-label").await?, name);
    assert!(app.all("#region-map .marker").await?.len() < markers, "its district's map");
    app.screenshot("06a-map-marked").await?;

    // Searched and filtered by language, a marker pointed at, pressed and released opens its
    // own passport: pointing changes nothing on the page, so it is one element throughout.
    app.find("#filter-district").await?.select_by_value("").await?;
    app.type_into("#search", "ақбота").await?;
    app.find("#filter-language").await?.select_by_value("ru").await?;
    app.until("only «Ақбота» on the map", || async {
        let titles: Vec<String> =
            serde_json::from_value(app.client.execute("return [...document.querySelectorAll('#region-map .marker title')].map(t => t.textContent)", vec![]).await?)?;
        Ok(!titles.is_empty() && titles.iter().all(|t| t.to_lowercase().contains("ақбота")))
    })
    .await?;
    let marker = app.all("#region-map .marker").await?.pop().ok_or("no «Ақбота» marker")?;
    let title: String = serde_json::from_value(app.client.execute("return arguments[0].querySelector('title').textContent", vec![serde_json::to_value(&marker)?]).await?)?;
    for event in ["mouseover", "mouseenter", "mousemove", "mousedown"] {
        app.client.execute(&format!("arguments[0].dispatchEvent(new MouseEvent('{event}', {{bubbles: true}}))"), vec![serde_json::to_value(&marker)?]).await?;
        tokio::time::sleep(std::time::Duration::from_millis(60)).await;
    }
    let same: bool = serde_json::from_value(app.client.execute("return arguments[0].isConnected", vec![serde_json::to_value(&marker)?]).await?)?;
    assert!(same, "pointing at a marker replaced it");
    for event in ["mouseup", "click"] {
        app.client.execute(&format!("arguments[0].dispatchEvent(new MouseEvent('{event}', {{bubbles: true}}))"), vec![serde_json::to_value(&marker)?]).await?;
    }
    let opened = app.text("#passport-name").await?;
    assert!(title.starts_with(&opened), "the marker «{title}» opened «{opened}»");

    // Russian and back.
    app.click("#lang-ru").await?;
    app.until("Russian labels", || async { Ok(app.text("#nav-registry").await? == "Список детских садов") }).await?;
    assert!(app.text("#passport-queue").await?.contains("Детей в очереди"));
    app.screenshot("07-passport-ru").await?;
    app.click("#lang-kk").await?;
    app.until("Kazakh labels", || async { Ok(app.text("#nav-registry").await? == "Балабақшалар тізімі") }).await?;

    // Leave it in Russian: the next start must remember.
    app.click("#lang-ru").await?;
    app.until("Russian", || async { Ok(app.text("#nav-registry").await? == "Список детских садов") }).await
}

#[tokio::test]
async fn a_damaged_database_is_refused_in_kazakh_and_kept() -> Res<()> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("baqsha.sqlite");
    let junk = b"PK\x03\x04 not a database at all".repeat(100);
    std::fs::write(&db, &junk)?;
    let app = TestApp::start(&db).await?;
    let msg = app.text(".fatal-message").await;
    let _ = app.screenshot("08-damaged-database").await;
    app.close().await?;
    let msg = msg?;
    assert!(msg.contains("Baqsha дерекқоры емес") && msg.contains("өзгертілмеді"), "{msg}");
    assert_eq!(std::fs::read(&db)?, junk);
    Ok(())
}
