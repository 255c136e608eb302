//! Desks of one region, each behind its own line: a real desk (`baqsha-app` on a SQLite file)
//! joined to the region's server through a fault proxy as one of the region's accounts, that
//! account signed in at it, and what a test asks of it afterwards — what it was told it saved,
//! what it holds, and whether its checksums agree with the server's.

use crate::desk::{desk, Desk};
use crate::FaultProxy;
use baqsha_app::sync::{verify_scope, RegionClient, Verified};
use baqsha_core::command::Command;
use baqsha_core::roles::Operator;
use std::net::SocketAddr;

/// Where a desk keeps the region's refresh token among its secrets (as `join_region` does).
const REFRESH_TOKEN: &str = "region_refresh_token";

/// A desk joined to the region through its own fault proxy, its account signed in.
pub struct Station {
    pub desk: Desk,
    pub proxy: FaultProxy,
    /// The region's account signed in at the desk: the commands are theirs.
    pub op: Operator,
    pub login: String,
    password: String,
}

/// A failure of the test's own plumbing, said in words.
pub type Failed = String;

impl Station {
    /// A new desk joined to the server at `server` as `login`'s device, through a proxy of its
    /// own, its first sync taken, and `login` signed in.
    pub async fn join(server: SocketAddr, login: &str, password: &str) -> Result<Station, Failed> {
        let desk = desk().await;
        let proxy = FaultProxy::start(server).await;
        let office = &desk.office;
        office.join_region(&desk.operator, &proxy.url(), login, password).await.map_err(|e| format!("{login} joining the region: {e:?}"))?;
        office.sync_round().await.map_err(|e| format!("{login}'s first sync: {e}"))?;
        let op = office.sign_in(login, password).await.map_err(|e| format!("{login} signing in at the desk: {e:?}"))?.operator;
        Ok(Station { desk, proxy, op, login: login.to_string(), password: password.to_string() })
    }

    pub fn store(&self) -> &baqsha_store::Store {
        self.desk.office.store()
    }

    /// How many commands the desk has numbered for the region since it joined (the server's
    /// numbering of its outbox).
    pub async fn made(&self) -> Result<u64, Failed> {
        Ok(self.store().made_since_joining().await.map_err(|e| format!("{}: the outbox: {e}", self.login))?.unwrap_or(0))
    }

    /// The commands numbered after the first `made` (in the server's numbering), with their
    /// outbox numbers, in order.
    pub async fn made_after(&self, made: u64) -> Result<Vec<(u64, Command)>, Failed> {
        let link = self.store().region_link().await.map_err(|e| format!("{}: the region link: {e}", self.login))?.ok_or_else(|| format!("{} is not joined", self.login))?;
        self.store().outbox_after(link.seq_base + made, 1000).await.map_err(|e| format!("{}: the outbox: {e}", self.login))
    }

    /// The desk's checksums against the server's, asked straight through the proxy under a
    /// token of the desk's own device (SYNC.md G6).
    pub async fn verified(&self) -> Result<Verified, Failed> {
        let office = &self.desk.office;
        let client = RegionClient::new(&self.proxy.url()).map_err(|e| format!("{}: {e}", self.login))?;
        let refresh = office.secret(REFRESH_TOKEN).ok_or_else(|| format!("{} keeps no refresh token", self.login))?;
        let token = client.token(office.device(), &refresh, &self.login, &self.password).await.map_err(|e| format!("{}: a token: {e}", self.login))?;
        verify_scope(office.store(), &client, &token.token, self.desk.clock.as_ref()).await.map_err(|e| format!("{}: the checksums: {e}", self.login))
    }
}
