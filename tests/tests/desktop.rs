//! The app as a Windows program should behave, tried here: «Бағдарлама туралы» tells a support
//! person the version, the database, the seal key and the region's server given at
//! installation; the log folder opens and its log holds no IIN; a second start of the
//! office's app hands over to the first and ends.

use baqsha_e2e::{app_binary, Res, TestApp};
use sqlx::Connection;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[tokio::test]
async fn about_names_what_support_asks_for_and_the_log_keeps_no_iin() -> Res<()> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("baqsha.sqlite");
    let app = TestApp::start_with(&db, &["--server=HTTPS://Baqsha.VKO.kz/"]).await?;
    let result = app
        .guard("about", async {
            app.sign_in_as("operator").await?;
            // Something that could put an IIN in the log: a queue check by a child's IIN.
            let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display())).await?;
            let iin: (String,) = sqlx::query_as("SELECT child_iin FROM applications LIMIT 1").fetch_one(&mut c).await?;
            c.close().await?;
            app.click("#nav-queue-check").await?;
            app.type_into("#queue-iin", &iin.0).await?;
            app.click("#queue-search").await?;
            app.find("article[data-number]").await?;

            app.click("#nav-about").await?;
            let demo = baqsha_i18n::Translator::new(baqsha_i18n::Lang::Kk).t("demo-badge");
            assert_eq!(app.text("#about-version").await?, format!("{} · {demo}", env!("CARGO_PKG_VERSION")), "the version, and that this is the demo");
            assert_eq!(app.text("#about-database").await?, db.display().to_string());
            assert_eq!(app.text("#about-server").await?, "https://baqsha.vko.kz", "the installer's address, in one spelling");
            // The demo's certificates are sealed with the public demo key, and it says so.
            let id = baqsha_core::seal::key_id(&baqsha_core::seal::demo_key().verifying_key());
            assert_eq!(app.text("#about-seal-key code").await?, id);
            assert!(app.text("#about-seal-demo").await?.contains("ешбір кеңсе шынайы деп танымайды"));
            app.screenshot("70-about").await?;

            app.click("#about-open-logs").await?;
            let logs = app.text("#about-logs").await?;
            let said = app.text("#about-opened").await?;
            assert!(said.contains(&logs), "{said}");
            let log = std::fs::read_to_string(std::path::Path::new(&logs).join("baqsha.log"))?;
            assert!(log.contains("signed in: operator"), "the log has the sign-in:\n{log}");
            assert!(log.contains("the region's server from the installation: https://baqsha.vko.kz"), "{log}");
            // No IIN anywhere: every run of 12 digits is checked as one.
            let digits: Vec<String> = log.split(|c: char| !c.is_ascii_digit()).filter(|w| w.len() == 12).map(str::to_string).collect();
            let iins: Vec<&String> = digits.iter().filter(|d| baqsha_core::iin::Iin::parse(d).is_ok()).collect();
            assert!(iins.is_empty(), "IINs in the log: {iins:?}");
            assert!(!log.contains(&iin.0), "the searched IIN is in the log");
            Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
        })
        .await;
    app.close().await?;
    result
}

/// On Linux the single-instance lock lives on the session bus (on Windows, in the OS), so the
/// test gives both starts one bus of their own.
#[tokio::test]
async fn a_second_start_hands_over_to_the_first_and_ends() -> Res<()> {
    let dir = tempfile::tempdir()?;
    let mut bus = Command::new("dbus-daemon").args(["--session", "--nofork", "--print-address=1"]).stdout(Stdio::piped()).stderr(Stdio::null()).spawn()?;
    let mut address = String::new();
    BufReader::new(bus.stdout.take().ok_or("no bus output")?).read_line(&mut address)?;
    let start = || {
        Command::new(app_binary())
            .env("DBUS_SESSION_BUS_ADDRESS", address.trim())
            .env("BAQSHA_DB", dir.path().join("baqsha.sqlite"))
            .env("XDG_DATA_HOME", dir.path().join("data"))
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .arg("--no-viewer")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
    };
    let mut first = start()?;
    let result = async {
        // The first is up once its database is ready (it says so in its log).
        let log = dir.path().join("data").join("kz.baqsha.desk").join("logs").join("baqsha.log");
        let deadline = Instant::now() + Duration::from_secs(60);
        while !std::fs::read_to_string(&log).is_ok_and(|l| l.contains("database ready")) {
            if Instant::now() > deadline {
                return Err("the first start never got its database ready".into());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let began = Instant::now();
        let mut second = start()?;
        let status = loop {
            if let Some(s) = second.try_wait()? {
                break s;
            }
            if began.elapsed() > Duration::from_secs(10) {
                let _ = second.kill();
                return Err("the second start kept running beside the first".into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        assert!(status.success(), "the second start ends cleanly: {status}");
        assert!(first.try_wait()?.is_none(), "the first keeps running");
        eprintln!("the second start handed over in {:?}", began.elapsed());
        Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
    }
    .await;
    let _ = first.kill();
    let _ = first.wait();
    let _ = bus.kill();
    let _ = bus.wait();
    result
}

/// An office's IT installs the app: its first start asks; the office is set up with its own
/// administrator, and no demo account or demo data is ever in its database.
#[tokio::test]
async fn an_installed_desk_is_set_up_as_a_real_office_on_its_first_start() -> Res<()> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("baqsha.sqlite");
    let app = TestApp::start_as_installed(&db, &[]).await?;
    let result = app
        .guard("first-start", async {
            app.find("#setup").await?;
            assert!(app.text("#setup").await?.contains("Демо нұсқасын көру"));
            app.screenshot("05-first-start").await?;
            app.type_into("#setup-office-name", "Ұлан ауданының білім бөлімі").await?;
            app.type_into("#setup-admin-name", "Сәрсенова Әйгерім").await?;
            app.type_into("#setup-login", "aigerim").await?;
            // A mistyped repeat is caught, and what was typed stays.
            app.type_into("#setup-password", "Qazaq-2026!").await?;
            app.type_into("#setup-password-again", "Qazaq-2026?").await?;
            app.click("#setup-submit").await?;
            app.until("the mismatch is said", || async { Ok(app.text("#setup-error").await?.contains("сәйкес келмейді")) }).await?;
            assert_eq!(app.find("#setup-login").await?.prop("value").await?.as_deref(), Some("aigerim"));
            app.type_into("#setup-password-again", "Qazaq-2026!").await?;
            app.click("#setup-submit").await?;
            app.until("the administrator is signed in", || async { Ok(app.text(".who-name").await?.contains("Сәрсенова Әйгерім")) }).await?;
            assert!(app.all("#demo-badge").await?.is_empty(), "no «ДЕМО» on a real office");
            app.screenshot("06-office-set-up").await?;

            // «Пайдаланушылар»: an operator with a temporary password.
            app.click("#nav-accounts").await?;
            app.type_into("#account-login", "erlan").await?;
            app.type_into("#account-name", "Жұмабеков Ерлан").await?;
            app.type_into("#account-password", "Uaqytsha-001").await?;
            app.click("#account-create").await?;
            app.until("the account is listed", || async { Ok(app.all("tr.account[data-login='erlan']").await?.len() == 1) }).await?;
            assert!(app.text("tr.account[data-login='erlan'] .account-state").await?.contains("ауыстыруы керек"));
            app.screenshot("07-accounts").await?;
            // Its owner signs in with it only to choose their own.
            app.click("#sign-out").await?;
            app.type_into("#login", "erlan").await?;
            app.type_into("#password", "Uaqytsha-001").await?;
            app.click("#sign-in").await?;
            app.until("a new password is asked for", || async { Ok(app.all("#new-password").await?.len() == 1) }).await?;
            app.type_into("#new-password", "Menin-Kupiam-7").await?;
            app.type_into("#new-password-again", "Menin-Kupiam-7").await?;
            app.click("#sign-in").await?;
            app.until("the operator is signed in", || async { Ok(app.text(".who-name").await?.contains("Жұмабеков Ерлан")) }).await?;
            Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
        })
        .await;
    app.close().await?;
    result?;
    let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display())).await?;
    let logins: Vec<(String,)> = sqlx::query_as("SELECT login FROM operators").fetch_all(&mut c).await?;
    let kindergartens: (i64,) = sqlx::query_as("SELECT count(*) FROM kindergartens").fetch_one(&mut c).await?;
    c.close().await?;
    assert_eq!((logins.len(), kindergartens.0), (2, 0), "the administrator and the operator, no demo data");
    assert!(!logins.iter().any(|(l,)| ["admin", "operator", "balabaqsha"].contains(&l.as_str())), "no demo account: {logins:?}");
    Ok(())
}
