//! A real desk (`baqsha-app` on a SQLite file, seeded with the demo region) joined to the
//! test server, and what it makes.

use crate::{application, child, morning, region, serve, TestServer};
use baqsha_app::sync::RegionClient;
use baqsha_app::{seed, Clock, ManualClock, Office, Parts, SystemIds};
use baqsha_core::command::{Command, CommandKind};
use baqsha_core::roles::Operator;
use baqsha_core::*;
use std::sync::Arc;

/// A desk of the demo region (the server's own demo), its clock at the server's morning.
pub struct Desk {
    pub office: Office,
    pub clock: Arc<ManualClock>,
    /// The desk's own operator, who works alone (not an account of the region).
    pub operator: Operator,
    pub dir: tempfile::TempDir,
}

pub async fn desk() -> Desk {
    let dir = tempfile::tempdir().unwrap();
    let store = baqsha_store::Store::open(&dir.path().join("baqsha.sqlite")).await.unwrap();
    let clock = Arc::new(ManualClock::at(morning()));
    let office = Office::new(Parts { store, clock: clock.clone(), ids: Arc::new(SystemIds), keys: dir.path().join("keys"), persons: None }).await.unwrap();
    seed::seed_if_empty(&office).await.unwrap();
    let operator = office.sign_in("operator", "baqsha-operator").await.unwrap().operator;
    Desk { office, clock, operator, dir }
}

/// A desk of the demo region holding only what registrations need — the region's districts
/// and the kindergarten the children name — so that runs that restart it hundreds of times,
/// each checking the whole file, fit in the suite's time.
pub async fn small_desk() -> Desk {
    let dir = tempfile::tempdir().unwrap();
    let store = baqsha_store::Store::open(&dir.path().join("baqsha.sqlite")).await.unwrap();
    let r = region();
    store.save_districts(&r.districts).await.unwrap();
    let kindergarten = r.kindergartens.iter().find(|k| k.id == kindergarten()).unwrap().clone();
    let system = baqsha_app::system();
    let device = DeviceId(store.device_id().await.unwrap());
    let cmd = Command { id: uuid::Uuid::now_v7(), author: system.id, device, at: morning(), kind: CommandKind::SaveKindergarten { kindergarten } };
    store.apply(&system, &cmd).await.unwrap();
    let clock = Arc::new(ManualClock::at(morning()));
    let office = Office::new(Parts { store, clock: clock.clone(), ids: Arc::new(SystemIds), keys: dir.path().join("keys"), persons: None }).await.unwrap();
    Desk { office, clock, operator: system, dir }
}

/// A desk joined to a server: the client, the operator as the region knows them, their
/// token, the device and its refresh token.
pub struct Joined {
    pub client: RegionClient,
    pub operator: Operator,
    pub token: String,
    pub device: DeviceId,
    pub refresh_token: String,
}

/// The desk joined to the server as `operator-1`'s device.
pub async fn joined(t: &TestServer, d: &Desk) -> Joined {
    let addr = serve(t).await;
    joined_at(&format!("http://{addr}"), d).await
}

/// The same, through `url` (a fault proxy in front of the server).
pub async fn joined_at(url: &str, d: &Desk) -> Joined {
    let client = RegionClient::new(url).unwrap();
    client.check().await.unwrap();
    let device = client.register("operator-1", "baqsha-operator", "Өскемен, 3-терезе").await.unwrap();
    let token = client.token(device.device, &device.refresh_token, "operator-1", "baqsha-operator").await.unwrap();
    d.office.store().link_region(client.address(), device.device.0, d.clock.now()).await.unwrap();
    Joined { operator: token.operator.expect("the token names its operator"), token: token.token, device: device.device, refresh_token: device.refresh_token, client }
}

/// The first kindergarten of the district `operator-1` works in.
pub fn kindergarten() -> KindergartenId {
    let r = region();
    let d = &r.districts[0].code;
    r.kindergartens.iter().find(|k| &k.district == d).unwrap().id
}

/// A new application of the `n`-th demo child naming `k`, with the desk's provisional number.
pub fn app(n: u32, k: KindergartenId) -> Application {
    Application { number: format!("VKO-D-{n:06}"), ..application(child(n), k) }
}

pub async fn made(d: &Desk, op: &Operator, device: DeviceId, kind: CommandKind) {
    let command = Command { id: uuid::Uuid::now_v7(), author: op.id, device, at: d.clock.now(), kind };
    d.office.store().apply(op, &command).await.unwrap();
}

/// Registers the `n`-th demo child, or the next one the desk does not already hold (the
/// demo's own children take some IINs); the number used after it.
pub async fn registered_from(d: &Desk, op: &Operator, device: DeviceId, k: KindergartenId, mut n: u32) -> u32 {
    loop {
        let kind = crate::register(&app(n, k));
        let command = Command { id: uuid::Uuid::now_v7(), author: op.id, device, at: d.clock.now(), kind };
        match d.office.store().apply(op, &command).await {
            Ok(_) => return n + 1,
            Err(baqsha_store::ApplyError::Rule(baqsha_core::command::RuleError::Duplicate { .. })) => n += 1,
            Err(e) => panic!("registering child {n}: {e}"),
        }
    }
}
