//! Two desks, one region: the real app (desk A) joins the region's server from «Баптаулар»
//! and a scripted desk (B: the same office code on its own SQLite file) works beside it. A
//! child registered at B appears in A's queue under the region's number; while A's line is
//! down, A registers a child B has just registered; when the line is back the server refuses
//! A's, A undoes it and «Синхрондау мәселелері» says so in Kazakh; both desks then hold the
//! same region (equal checksums over what each pulled). Then places: two kindergartens' own
//! desks publish one each. Before a day without a line A's operator asks the region for a
//! lease of one from «Бос орын бюллетені»; offline, A gives it to a child it registered —
//! the only place it offers, and it says why; back online the region takes that referral. The
//! other place the region's round offers, and A gives it online, waiting for the region's
//! decision. Both desks again hold the same region.
//!
//! The server is the one `scripts/test.sh` starts (`BAQSHA_SERVER_URL`), with a round every
//! two seconds.

mod common;
use baqsha_core::command::{Command, CommandKind};
use baqsha_core::*;
use baqsha_e2e::{Res, TestApp};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::{TcpListener, TcpStream};

/// The server's address, or None where the suite runs without one (then the test says so).
fn server_url() -> Res<Option<String>> {
    match std::env::var("BAQSHA_SERVER_URL") {
        Ok(u) => Ok(Some(u)),
        Err(_) if std::env::var("BAQSHA_E2E").is_ok_and(|v| v == "1") => Err("BAQSHA_SERVER_URL is not set: scripts/test.sh starts the region's server".into()),
        Err(_) => Ok(None),
    }
}

/// A line between desk A and the server that the test can cut (every connection dropped at
/// once) and mend.
struct Line {
    addr: SocketAddr,
    up: tokio::sync::watch::Sender<bool>,
}

impl Line {
    async fn to(upstream: SocketAddr) -> Res<Line> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (up, watch) = tokio::sync::watch::channel(true);
        tokio::spawn(async move {
            while let Ok((mut near, _)) = listener.accept().await {
                let mut watch = watch.clone();
                tokio::spawn(async move {
                    if !*watch.borrow() {
                        return;
                    }
                    let Ok(mut far) = TcpStream::connect(upstream).await else { return };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut near, &mut far) => {}
                        _ = watch.wait_for(|up| !*up) => {}
                    }
                });
            }
        });
        Ok(Line { addr, up })
    }

    fn set(&self, up: bool) {
        self.up.send_replace(up);
    }
}

/// A child no run of this suite has registered on this server before.
fn new_child(seed: u128) -> Iin {
    let birth = chrono::NaiveDate::from_ymd_opt(2023, 3, 1).unwrap() + chrono::Duration::days((seed % 300) as i64);
    ((seed >> 16) as u16 % 800 + 100..).find_map(|s| Iin::from_parts(birth, Sex::Female, s)).unwrap()
}

fn application(child: Iin, kindergarten: KindergartenId, at: chrono::DateTime<chrono::Utc>) -> Application {
    let parent = (1..).find_map(|s| Iin::from_parts(chrono::NaiveDate::from_ymd_opt(1991, 7, 8).unwrap(), Sex::Female, s)).unwrap();
    Application {
        id: ApplicationId(uuid::Uuid::now_v7()),
        number: format!("VKO-E2E-{}", &uuid::Uuid::now_v7().simple().to_string()[20..]),
        child: Person { iin: child, surname: "Серікова".into(), given_name: "Әйгерім".into(), patronymic: None, verified: true },
        parent: Person { iin: parent, surname: "Серікова".into(), given_name: "Гүлнар".into(), patronymic: None, verified: true },
        contacts: Contacts { phone: Phone::parse("+77015550101").unwrap(), extra_phone: None, email: None },
        address: "Өскемен қ., Қазақстан көшесі 10".into(),
        preferences: vec![kindergarten],
        language: Language::Kk,
        benefit: None,
        consent: true,
        registered_at: at,
        status: ApplicationStatus::Queued,
    }
}

/// Writes a registration at a desk's database as its operator, the way the desk's own code
/// does (one transaction: effect, history, outbox), made at `at` — the region's time, as a
/// joined desk's clock reads once corrected (the suite's own clock may be moved a day ahead).
async fn register_at(store: &baqsha_store::Store, op: &roles::Operator, device: uuid::Uuid, a: &Application, at: chrono::DateTime<chrono::Utc>) -> Res<()> {
    let cmd = Command {
        id: uuid::Uuid::now_v7(),
        author: op.id,
        device: DeviceId(device),
        at,
        kind: CommandKind::RegisterApplication { application: Box::new(a.clone()), confirmation: None },
    };
    store.apply(op, &cmd).await?;
    Ok(())
}

/// A desk of the office's code on its own database, joined to the region as `login`'s
/// device, its first sync taken; signed in as that account.
async fn joined_desk(url: &str, login: &str, password: &str) -> Res<(tempfile::TempDir, baqsha_app::Office, roles::Operator)> {
    let dir = tempfile::tempdir()?;
    let store = baqsha_store::Store::open(&dir.path().join("baqsha.sqlite")).await?;
    let office = baqsha_app::Office::new(baqsha_app::Parts {
        store,
        clock: Arc::new(baqsha_app::SystemClock),
        ids: Arc::new(baqsha_app::SystemIds),
        keys: dir.path().join("keys"),
        persons: None,
    })
    .await
    .map_err(api)?;
    baqsha_app::seed::seed_if_empty(&office).await?;
    let local = office.sign_in("operator", "baqsha-operator").await.map_err(api)?.operator;
    office.join_region(&local, url, login, password).await.map_err(api)?;
    office.sync_round().await?;
    let op = office.sign_in(login, password).await.map_err(api)?.operator;
    Ok((dir, office, op))
}

/// A group for 3–6 year olds in Kazakh and one place of it, published by the kindergarten's
/// own desk (its staff account `balabaqsha-<n>`); the vacancy.
async fn publish(url: &str, staff: &str, kindergarten: KindergartenId) -> Res<VacancyId> {
    let (_dir, desk, op) = joined_desk(url, staff, "baqsha-staff").await?;
    let group = Group {
        id: GroupId(uuid::Uuid::now_v7()),
        kindergarten,
        name: "Күншуақ".into(),
        age: AgeBand { from_years: 3, to_years: 6 },
        language: Language::Kk,
        capacity: 25,
        enrolled: 24,
    };
    // The desk's clock, corrected to the region's when it joined: the suite's own may be a day off.
    let vacancy = Vacancy { id: VacancyId(uuid::Uuid::now_v7()), kindergarten, group: group.id, count: 1, published_on: desk.today() };
    for kind in [CommandKind::SaveGroup { group }, CommandKind::PublishVacancy { vacancy: vacancy.clone() }] {
        let cmd = Command { id: uuid::Uuid::now_v7(), author: op.id, device: desk.device(), at: desk.now(), kind };
        desk.store().apply(&op, &cmd).await?;
    }
    let round = desk.sync_round().await?;
    if (round.pushed, round.rejected) != (2, 0) {
        return Err(format!("the kindergarten's desk published: {round:?}").into());
    }
    Ok(vacancy.id)
}

/// Opens «Жолдама алу» for `child` from «Кезекті тексеру».
async fn open_referral(app: &TestApp, child: &Iin) -> Res<()> {
    app.click("#nav-queue-check").await?;
    app.type_into("#queue-iin", child.as_str()).await?;
    app.click("#queue-search").await?;
    app.click("#referral-open").await?;
    app.find("#referral-choose").await?;
    Ok(())
}

/// From a chosen place to the referral given: the parent's code, as the SMS the desk queued
/// carries it.
async fn take_referral(app: &TestApp, db: &std::path::Path, phone: &str) -> Res<String> {
    app.click("#referral-next").await?;
    app.click("#referral-send-code").await?;
    let code = common::code_for(db, phone).await?;
    app.type_into("#referral-code", &code).await?;
    app.click("#referral-take").await?;
    app.find("#referral-taken").await?;
    app.find("#referral-panel").await?.attr("data-number").await?.ok_or_else(|| "no referral number".into())
}

fn api(e: baqsha_api::ApiError) -> String {
    format!("the office refused: {e:?}")
}

/// The checksum of what a desk pulled, entity by entity (as `verify_scope` computes it).
async fn digests(store: &baqsha_store::Store) -> Res<Vec<baqsha_sync::EntityDigest>> {
    let mut out = vec![];
    for entity in baqsha_sync::ENTITIES {
        let mut d = baqsha_sync::Digester::default();
        let mut after = None;
        loop {
            let rows = store.mirror_rows(entity, after, 5000).await?;
            let Some((last, _)) = rows.last() else { break };
            after = Some(*last);
            for (id, body) in &rows {
                d.add(entity, *id, &serde_json::from_str(body)?);
            }
        }
        out.push(d.finish(entity));
    }
    Ok(out)
}

#[tokio::test]
async fn two_desks_share_one_queue_and_a_refused_change_is_undone_and_told_in_kazakh() -> Res<()> {
    let Some(url) = server_url()? else {
        eprintln!("no region server (BAQSHA_SERVER_URL): the two-desk test needs scripts/test.sh");
        return Ok(());
    };
    let upstream: SocketAddr = url.trim_start_matches("http://").parse()?;
    let line = Line::to(upstream).await?;

    // Desk B: the office's code on its own database, joined as a second device.
    let (_bdir, b, b_op) = joined_desk(&url, "operator-1", "baqsha-operator").await?;
    // A kindergarten of operator-1's district (the demo region the server seeded).
    let demo = baqsha_demo::generate(baqsha_demo::Scale::Demo, baqsha_demo::DEMO_SEED, command::desk_date(chrono::Utc::now()));
    let kindergarten = demo.kindergartens.iter().find(|k| k.district == demo.districts[0].code).ok_or("a kindergarten")?.id;

    let dir = tempfile::tempdir()?;
    let db = dir.path().join("baqsha.sqlite");
    let app = TestApp::start(&db).await?;
    let result = app
        .guard("region", async {
            // Desk A joins from «Баптаулар».
            app.sign_in_as("admin").await?;
            app.click("#nav-settings").await?;
            app.type_into("#join-address", &format!("http://{}", line.addr)).await?;
            app.type_into("#join-login", "operator-1").await?;
            app.type_into("#join-password", "not-the-password").await?;
            app.click("#join-submit").await?;
            let refused = app.text("#join-outcome").await?;
            assert!(refused.contains("Логин") || refused.contains("құпия"), "a wrong password is told: {refused}");
            assert_eq!(app.find("#join-address").await?.prop("value").await?.as_deref(), Some(format!("http://{}", line.addr).as_str()), "the address stays as typed");
            app.type_into("#join-password", "baqsha-operator").await?;
            app.click("#join-submit").await?;
            app.find("#join-joined").await?;
            app.until("desk A online", || async { Ok(app.text("#sync-state").await? == "Желіде") }).await?;
            app.screenshot("80-region-joined").await?;

            // A child registered at desk B is in desk A's queue, under the region's number.
            let seed = uuid::Uuid::now_v7().as_u128();
            let first = application(new_child(seed), kindergarten, b.now());
            register_at(b.store(), &b_op, b.device().0, &first, b.now()).await?;
            let round = b.sync_round().await?;
            assert_eq!((round.pushed, round.rejected), (1, 0));
            let number = b.store().application(first.id).await?.number;
            assert!(number.starts_with("VKO") && number != first.number, "the region's number: {number}");
            app.click("#nav-queue-check").await?;
            app.until("the child from desk B at desk A", || async {
                app.type_into("#queue-iin", first.child.iin.as_str()).await?;
                app.click("#queue-search").await?;
                tokio::time::sleep(std::time::Duration::from_millis(300)).await;
                for article in app.all("article[data-number]").await? {
                    if article.text().await?.contains(&number) {
                        return Ok(true);
                    }
                }
                Ok(false)
            })
            .await?;
            app.screenshot("81-region-queue-from-desk-b").await?;

            // Desk A's line goes down; the top bar says so.
            line.set(false);
            app.until("desk A offline", || async { Ok(app.text("#sync-state").await? == "Желіден тыс") }).await?;
            app.screenshot("82-region-offline").await?;
            // Offline, A registers a child B registers meanwhile (and B's reaches the server first).
            let twin = new_child(seed + 7919);
            let at_a = baqsha_store::Store::open(&db).await?;
            let a_op = at_a.operators().await?.into_iter().map(|(o, _, _)| o).find(|o| o.login == "operator-1").ok_or("the region's account kept at desk A")?;
            let a_device = at_a.device_id().await?;
            let mine = application(twin.clone(), kindergarten, b.now());
            register_at(&at_a, &a_op, a_device, &mine, b.now()).await?;
            register_at(b.store(), &b_op, b.device().0, &application(twin, kindergarten, b.now()), b.now()).await?;
            b.sync_round().await?;

            // The line is back: the server refuses A's, A undoes it and lists it.
            line.set(true);
            app.until("the refused change listed", || async { Ok(!app.all("#sync-problems").await?.is_empty()) }).await?;
            app.click("#sync-problems").await?;
            let row = app.text("#sync-problems-table tbody tr").await?;
            let kk = baqsha_i18n::Translator::new(baqsha_i18n::Lang::Kk);
            assert!(row.contains(&kk.t("sync-kind-register_application")), "{row}");
            assert!(row.contains("Оператор 1"), "who made it: {row}");
            assert!(row.contains("үстелден алынып тасталды"), "what the desk undid: {row}");
            assert!(row.contains("Ата-анаға хабарласып"), "what to do: {row}");
            app.screenshot("83-region-sync-problems").await?;
            // The fullest the top bar gets (the demo, the sync state with its problems, and in
            // the moved-clock run the clock's warning): at 1280 px nothing in it is cut off.
            for css in ["#demo-badge", "#sync-problems", "#lang-kk", "#lang-ru", "#lang-en", ".who-name", "#sign-out"] {
                assert!(app.shown_whole(css).await?, "{css} is cut off in the top bar");
            }
            assert!(at_a.application(mine.id).await.is_err(), "undone at desk A");

            // Both desks hold the same region.
            b.sync_round().await?;
            app.until("both desks agree", || async { Ok(digests(&at_a).await? == digests(b.store()).await?) }).await?;

            app.click(".sync-problem button").await?;
            app.find("#sync-problems-none").await?;

            // Places, each published by its kindergarten's own desk: one where the children are
            // queued, one at a kindergarten of the district nobody names.
            let index = |k: KindergartenId| demo.kindergartens.iter().position(|x| x.id == k).map(|i| format!("balabaqsha-{}", i + 1)).ok_or("a kindergarten's staff");
            let quiet = demo.kindergartens.iter().find(|k| k.district == demo.districts[0].code && k.id != kindergarten).ok_or("a second kindergarten")?.id;
            let offered_place = publish(&url, &index(kindergarten)?, kindergarten).await?;
            let leased_place = publish(&url, &index(quiet)?, quiet).await?;

            // A's operator of the region signs in: the region takes a change only from its author.
            app.click("#sign-out").await?;
            app.type_into("#login", "operator-1").await?;
            app.type_into("#password", "baqsha-operator").await?;
            app.click("#sign-in").await?;
            app.find("#nav-registry").await?;
            // Before a day without a line the office asks the region for the quiet place.
            let option = format!("#lease-vacancy option[value='{}']", leased_place.0);
            app.until("the published place in A's bulletin", || async {
                app.click("#nav-registry").await?;
                app.click("#nav-bulletin").await?;
                app.find("#leases").await?;
                Ok(!app.all(&option).await?.is_empty())
            })
            .await?;
            app.find(&option).await?.click().await?;
            app.type_into("#lease-places", "1").await?;
            app.click("#lease-ask").await?;
            app.find("#lease-granted").await?;
            app.find("#leases-list .lease").await?;
            app.screenshot("84-region-lease").await?;

            // The line goes down. A registers a child who names the quiet kindergarten and gives
            // them the leased place: the only place it offers offline, and it says why.
            line.set(false);
            app.until("desk A offline", || async { Ok(app.text("#sync-state").await? == "Желіден тыс") }).await?;
            let mut leased_child = application(new_child(seed + 104_729), quiet, b.now());
            leased_child.contacts.phone = Phone::parse("+77015550177").map_err(|e| format!("{e:?}"))?;
            register_at(&at_a, &a_op, a_device, &leased_child, b.now()).await?;
            open_referral(&app, &leased_child.child.iin).await?;
            app.find("#referral-offline").await?;
            let badge = app.text("input[name=place] ~ span .badge").await?;
            assert!(badge.contains("Кеңсеге бөлінген орын"), "the place is the office's lease, not a turn: {badge}");
            let places: Vec<String> = {
                let mut v = vec![];
                for input in app.all("input[name=place]").await? {
                    v.extend(input.attr("value").await?);
                }
                v
            };
            assert_eq!(places, vec![leased_place.0.to_string()], "offline, only the leased place");
            app.click(&format!("input[name=place][value='{}']", leased_place.0)).await?;
            app.screenshot("85-region-referral-offline-from-lease").await?;
            let provisional = take_referral(&app, &db, leased_child.contacts.phone.as_str()).await?;
            app.screenshot("86-region-referral-from-lease-given").await?;

            // The line is back: the region takes the referral the lease allowed.
            line.set(true);
            app.until("A's changes taken by the region", || async { Ok(at_a.changes_waiting().await? == 0) }).await?;
            assert!(at_a.rejected_changes().await?.is_empty(), "the region refused nothing of A's");
            b.sync_round().await?;
            assert_eq!(b.store().application(leased_child.id).await?.status, ApplicationStatus::Referred, "referred, as the region holds it (desk number {provisional})");

            // The region's round offers the other place; A gives it online and waits for the
            // region's decision.
            let a_file = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display())).await?;
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
            let offered = loop {
                let open = sqlx::query_scalar::<_, String>("SELECT application FROM offers WHERE vacancy = ? AND status = 'open'")
                    .bind(offered_place.0.to_string())
                    .fetch_optional(&a_file)
                    .await?;
                match open {
                    Some(id) => break at_a.application(ApplicationId(id.parse()?)).await?,
                    None if std::time::Instant::now() < deadline => tokio::time::sleep(std::time::Duration::from_millis(200)).await,
                    None => return Err("the region's round offered the place to nobody at desk A in a minute".into()),
                }
            };
            open_referral(&app, &offered.child.iin).await?;
            let checked = app.client.execute("return document.querySelector('input[name=place]:checked')?.value", vec![]).await?;
            assert_eq!(checked.as_str(), Some(offered_place.0.to_string().as_str()), "the offered place is chosen");
            let number = take_referral(&app, &db, offered.contacts.phone.as_str()).await?;
            let series = format!("VKO-{}-", demo.districts[0].code.to_uppercase());
            assert!(number.starts_with(&series), "the region's number ({series}…), not the desk's own: {number}");
            app.until("the top bar online with nothing waiting", || async { Ok(app.text("#sync-state").await? == "Желіде" && at_a.changes_waiting().await? == 0) }).await?;
            app.screenshot("87-region-offer-taken-online").await?;

            b.sync_round().await?;
            app.until("both desks agree again", || async { Ok(digests(&at_a).await? == digests(b.store()).await?) }).await?;
            Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
        })
        .await;
    line.set(true);
    app.close().await?;
    result
}
