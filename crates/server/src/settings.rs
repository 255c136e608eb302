//! The region's settings, decided by its administrator and the same for every office: what a
//! refusal does (back to the queue or the end; a stop-list of some days) and the summer pause
//! of publication. Unset, the core's defaults (BRIEF.md).

use crate::decide::{json, rule};
use crate::push::Pending;
use crate::ServerError;
use baqsha_core::referral::{PublicationPause, RefusalRules};
use baqsha_sync::Decision;
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionSettings {
    pub refusal: RefusalRules,
    pub publication_pause: Option<PublicationPause>,
}

impl Default for RegionSettings {
    fn default() -> Self {
        RegionSettings { refusal: RefusalRules::default(), publication_pause: PublicationPause::from_setting(None) }
    }
}

/// The settings row's one id.
pub(crate) fn id() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_OID, b"baqsha:region-settings")
}

pub(crate) async fn load(tx: &mut PgConnection) -> Result<RegionSettings, ServerError> {
    let body: Option<String> = sqlx::query_scalar("SELECT body::text FROM region_settings WHERE id = $1").bind(id()).fetch_optional(&mut *tx).await?;
    Ok(match body {
        Some(b) => crate::decode("settings", &b)?,
        None => RegionSettings::default(),
    })
}

pub(crate) async fn save(tx: &mut PgConnection, refusal: &RefusalRules, pause: Option<&PublicationPause>, changes: &mut Vec<Pending>) -> Result<Decision, ServerError> {
    if let Err(e) = refusal.check() {
        return Ok(rule(e));
    }
    if let Some(Err(e)) = pause.map(PublicationPause::check) {
        return Ok(rule(e));
    }
    let body = json(&RegionSettings { refusal: *refusal, publication_pause: pause.copied() })?;
    sqlx::query("INSERT INTO region_settings (id, body) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET body = excluded.body").bind(id()).bind(&body).execute(&mut *tx).await?;
    changes.push(Pending { entity: "settings", id: id(), district: None, kindergartens: vec![], body: Some(body) });
    Ok(Decision::Applied)
}
