//! Pull: the region's truth into the desk. A first sync takes the scope as a snapshot in
//! chunks, each written in its own transaction (closing the app midway resumes at the last
//! chunk written); afterwards pulls bring what changed, in commit order, page by page. The
//! checksums prove the desk holds what the server holds (SYNC.md G6).

use super::{RegionClient, SyncError};
use crate::Clock;
use baqsha_store::{Mirrored, RegionRow, Store};
use baqsha_sync::{Change, Digester, SnapshotRow, ENTITIES};

/// Rows a snapshot chunk carries (the server's most): a few MB of JSON, one SQLite transaction.
pub const SNAPSHOT_CHUNK: u32 = 5000;
/// Changes one pull brings.
pub const PULL_PAGE: u32 = 2000;

/// What a pull (and a first sync, if it took one) wrote at the desk.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pulled {
    pub rows: usize,
    /// Rows the desk keeps from the region but its tables cannot show (see the log).
    pub unplaced: usize,
    /// Rejected changes undone.
    pub undone: usize,
    /// The desk had changes the server had not answered: nothing was written, the next
    /// round pushes first.
    pub deferred: bool,
    /// A whole snapshot was taken (a first sync, or a reset).
    pub snapshot: bool,
    /// The server's clock less the desk's, as the last page was answered.
    pub clock_off: Option<chrono::Duration>,
}

impl Pulled {
    fn add(&mut self, m: &Mirrored) {
        self.rows += m.rows;
        self.unplaced += m.unplaced;
        self.undone += m.undone;
        self.deferred |= m.deferred;
    }
}

fn rows(changes: Vec<Change>) -> Vec<RegionRow> {
    changes.into_iter().map(|c| RegionRow { entity: c.entity, id: c.id, body: c.body.map(|b| b.to_string()) }).collect()
}

/// A snapshot chunk's rows, their text as it came.
pub fn snapshot_rows(rows: Vec<SnapshotRow>) -> Vec<RegionRow> {
    rows.into_iter().map(|r| RegionRow { entity: r.entity, id: r.id, body: r.body.map(|b| Box::<str>::from(b).into_string()) }).collect()
}

/// Takes (or goes on with) the scope's snapshot until it is complete. `progress` hears the
/// rows written so far after each chunk.
/// Where the desk keeps the size of the snapshot it is taking.
pub const SNAPSHOT_TOTAL: &str = "snapshot_total";

pub async fn take_snapshot(store: &Store, region: &RegionClient, token: &str, clock: &dyn Clock, mut progress: impl FnMut(u64)) -> Result<Pulled, SyncError> {
    let mut pulled = Pulled { snapshot: true, ..Pulled::default() };
    'snapshot: loop {
        if store.pull_cursor().await?.is_some() {
            return Ok(pulled);
        }
        let at = store.snapshot_progress().await?.ok_or(SyncError::NotJoined)?;
        let mut rows_so_far = at.rows;
        let mut page = region.snapshot(token, at.position, at.after.as_ref(), SNAPSHOT_CHUNK).await?;
        // The server was restored while this snapshot was being taken: from the start.
        if at.epoch.is_some_and(|e| e != page.epoch) {
            store.reset_region_mirror().await?;
            continue;
        }
        // Kept for the progress bar, across restarts of a long first sync.
        if let Some(n) = page.total {
            store.set_meta(SNAPSHOT_TOTAL, &n.to_string()).await?;
        }
        loop {
            // The next chunk travels while this one is written.
            let next = page.next.as_ref().map(|k| (k.entity.clone(), k.id));
            let fetch = async {
                match &next {
                    Some(after) => Some(region.snapshot(token, Some(page.position), Some(after), SNAPSHOT_CHUNK).await),
                    None => None,
                }
            };
            let chunk = snapshot_rows(std::mem::take(&mut page.rows));
            let written = store.apply_snapshot_chunk(&chunk, page.epoch, page.position, next.as_ref().map(|(e, id)| (e.as_str(), *id)), clock.now());
            let (written, fetched) = tokio::join!(written, fetch);
            let m = written.map_err(unkept)?;
            pulled.add(&m);
            if m.deferred {
                return Ok(pulled);
            }
            rows_so_far += m.rows as u64;
            progress(rows_so_far);
            match fetched {
                None => continue 'snapshot,
                Some(p) => page = p?,
            }
        }
    }
}

fn unkept(e: baqsha_store::StoreError) -> SyncError {
    SyncError::Unkept { detail: e.to_string() }
}

/// Brings the desk up to the server: a first sync if it has none, then every change after
/// its cursor. A server that asks for a reset gets a new snapshot (the outbox stays and is
/// sent again by the next push).
pub async fn pull_changes(store: &Store, region: &RegionClient, token: &str, clock: &dyn Clock) -> Result<Pulled, SyncError> {
    let mut pulled = Pulled::default();
    loop {
        let Some((epoch, cursor)) = store.pull_cursor().await? else {
            let s = take_snapshot(store, region, token, clock, |_| {}).await?;
            pulled.snapshot = true;
            pulled.add(&Mirrored { rows: s.rows, unplaced: s.unplaced, undone: s.undone, deferred: s.deferred, first_unplaced: None });
            if s.deferred {
                return Ok(pulled);
            }
            continue;
        };
        let made = store.made_since_joining().await?;
        let page = match region.pull(token, Some(epoch), cursor, PULL_PAGE, made).await {
            Err(SyncError::ResetRequired { .. }) => {
                store.reset_region_mirror().await?;
                resend_what_was_lost(store, region, token).await?;
                continue;
            }
            other => other?,
        };
        let more = page.more;
        pulled.clock_off = page.now.map(|server| server - clock.now()).or(pulled.clock_off);
        let m = store.apply_region_changes(&rows(page.changes), page.epoch, page.cursor, clock.now()).await.map_err(unkept)?;
        pulled.add(&m);
        if m.deferred || !more {
            return Ok(pulled);
        }
    }
}

/// After a reset the server may hold fewer of this desk's commands than it once answered (it
/// was restored from a backup): an empty push asks where it stands, and the outbox is sent
/// again from there by the next push — until then the commands count as waiting, so the new
/// snapshot is not written over them (G7) and nothing the desk was told was saved is lost.
async fn resend_what_was_lost(store: &Store, region: &RegionClient, token: &str) -> Result<(), SyncError> {
    let Some(link) = store.region_link().await? else { return Ok(()) };
    let made = store.made_since_joining().await?;
    let ask = baqsha_sync::PushRequest { protocol: baqsha_sync::PROTOCOL, device: baqsha_core::DeviceId(link.device), commands: vec![], made };
    if let Some(next) = region.push(token, &ask).await?.resend_from {
        let from = next.saturating_add(link.seq_base);
        if from <= link.pushed_through {
            tracing::warn!("the region holds this desk's commands only up to {}: sending again from {from}", from - 1);
            store.resend_from(from).await?;
        }
    }
    Ok(())
}

/// Whether the desk holds exactly what the server holds in its scope.
#[derive(Debug, Clone, PartialEq)]
pub enum Verified {
    Equal,
    /// These entities differ: the desk takes a new snapshot.
    Differs(Vec<String>),
    /// The server moved on while comparing (it stands at `server`, the desk at `desk`); the
    /// next round compares again.
    Moving {
        desk: u64,
        server: u64,
    },
}

/// Compares the server's checksums with the desk's own, computed over what it pulled.
pub async fn verify_scope(store: &Store, region: &RegionClient, token: &str, clock: &dyn Clock) -> Result<Verified, SyncError> {
    let theirs = region.checksum(token).await?;
    let mut desk = store.pull_cursor().await?.map_or(0, |(_, c)| c);
    if desk < theirs.position {
        pull_changes(store, region, token, clock).await?;
        desk = store.pull_cursor().await?.map_or(0, |(_, c)| c);
    }
    if desk != theirs.position {
        return Ok(Verified::Moving { desk, server: theirs.position });
    }
    let mut differ = vec![];
    for (entity, server) in ENTITIES.iter().zip(&theirs.entities) {
        let mut d = Digester::default();
        let mut after = None;
        loop {
            let found = store.mirror_rows(entity, after, 5000).await?;
            let Some((last, _)) = found.last() else { break };
            after = Some(*last);
            for (id, body) in &found {
                let v: serde_json::Value = serde_json::from_str(body).map_err(|e| SyncError::Unkept { detail: format!("{entity} {id}: {e}") })?;
                d.add(entity, *id, &v);
            }
        }
        if d.finish(entity) != *server {
            differ.push(entity.to_string());
        }
    }
    Ok(if differ.is_empty() { Verified::Equal } else { Verified::Differs(differ) })
}
