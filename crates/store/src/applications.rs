//! Applications as the desk reads them: by child, by number, with position and history.

use crate::codec::{code, parse_json_list, person, time, uuid};
use crate::{Store, StoreError};
use baqsha_api::*;
use baqsha_core::command::{Command, CommandKind};
use baqsha_core::queue::{explain, Explanation, QueueRules};
use baqsha_core::*;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

fn decode(r: &SqliteRow, preferences: Vec<KindergartenId>) -> Result<Application, StoreError> {
    let phone = |s: String| Phone::parse(&s).map_err(|_| StoreError::Decode { what: "phone", detail: s });
    let benefit = match r.try_get::<Option<String>, _>("benefit_kind")? {
        Some(kind) => Some(BenefitClaim {
            kind: code("benefit", &kind, BenefitKind::from_code)?,
            verification: code("verification", &r.try_get::<String, _>("benefit_verification")?, Verification::from_code)?,
            proofs: parse_json_list(&r.try_get::<Option<String>, _>("benefit_proofs")?.unwrap_or_else(|| "[]".into()))?,
        }),
        None => None,
    };
    Ok(Application {
        id: ApplicationId(uuid(&r.try_get::<String, _>("id")?)?),
        number: r.try_get("number")?,
        child: person(r, "child")?,
        parent: person(r, "parent")?,
        contacts: Contacts {
            phone: phone(r.try_get("phone")?)?,
            extra_phone: r.try_get::<Option<String>, _>("extra_phone")?.map(phone).transpose()?,
            email: r.try_get::<Option<String>, _>("email")?.map(|e| Email::parse(&e).map_err(|_| StoreError::Decode { what: "e-mail", detail: e })).transpose()?,
        },
        address: r.try_get("address")?,
        preferences,
        language: code("language", &r.try_get::<String, _>("language")?, Language::from_code)?,
        benefit,
        consent: r.try_get::<i64, _>("consent")? != 0,
        registered_at: time(&r.try_get::<String, _>("registered_at")?)?,
        status: code("status", &r.try_get::<String, _>("status")?, ApplicationStatus::from_code)?,
    })
}

/// One application read inside a transaction (for commands that change it).
pub(crate) async fn load(conn: &mut sqlx::SqliteConnection, id: ApplicationId) -> Result<Option<Application>, StoreError> {
    let Some(r) = sqlx::query("SELECT * FROM applications WHERE id = ?").bind(id.to_string()).fetch_optional(&mut *conn).await? else {
        return Ok(None);
    };
    let prefs: Vec<String> =
        sqlx::query_scalar("SELECT kindergarten FROM application_preferences WHERE application = ? ORDER BY rank").bind(id.to_string()).fetch_all(&mut *conn).await?;
    let prefs = prefs.iter().map(|p| uuid(p).map(KindergartenId)).collect::<Result<_, _>>()?;
    decode(&r, prefs).map(Some)
}

impl Store {
    async fn applications_where(&self, clause: &str, value: &str) -> Result<Vec<Application>, StoreError> {
        let rows = sqlx::query(&format!("SELECT * FROM applications WHERE {clause} ORDER BY registered_at DESC")).bind(value).fetch_all(&self.pool).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: String = r.try_get("id")?;
            let prefs: Vec<String> =
                sqlx::query_scalar("SELECT kindergarten FROM application_preferences WHERE application = ? ORDER BY rank").bind(&id).fetch_all(&self.pool).await?;
            let prefs = prefs.iter().map(|p| uuid(p).map(KindergartenId)).collect::<Result<_, _>>()?;
            out.push(decode(r, prefs)?);
        }
        Ok(out)
    }

    /// Every application of a child, newest first (an active one and any that ended).
    pub async fn applications_of_child(&self, child: &Iin) -> Result<Vec<Application>, StoreError> {
        self.applications_where("child_iin = ?", child.as_str()).await
    }

    pub async fn application_by_number(&self, number: &str) -> Result<Application, StoreError> {
        self.applications_where("number = ?", number.trim()).await?.pop().ok_or(StoreError::NotFound("application"))
    }

    pub async fn application(&self, id: ApplicationId) -> Result<Application, StoreError> {
        self.applications_where("id = ?", &id.to_string()).await?.pop().ok_or(StoreError::NotFound("application"))
    }

    /// Where an active application stands in its category and why, by counting (no list
    /// is built): the tier counts, and the same-tier entries ahead of it.
    pub async fn position(&self, a: &Application, rules: &QueueRules) -> Result<Option<Explanation>, StoreError> {
        if !a.status.is_active() {
            return Ok(None);
        }
        let category = Category::of(a.child.birth_date()).0;
        let counts = self.tier_counts(Category(category)).await?;
        // Earlier days from the day counts, then the same day from the queue index; ties on
        // time are broken by number, as `queue::tier_order` does.
        let registered = crate::codec::ts(a.registered_at);
        let day = &registered[..10];
        let earlier_days: i64 = sqlx::query_scalar("SELECT coalesce(sum(n), 0) FROM queue_day_counts WHERE category = ? AND tier = ? AND day < ?")
            .bind(category)
            .bind(a.tier().code())
            .bind(day)
            .fetch_one(&self.pool)
            .await?;
        let same_day: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM applications INDEXED BY applications_queue
             WHERE category = ?1 AND tier = ?2 AND status IN ('queued', 'referred')
               AND registered_at >= ?5 AND registered_at <= ?3 AND (registered_at < ?3 OR (registered_at = ?3 AND number < ?4))",
        )
        .bind(category)
        .bind(a.tier().code())
        .bind(&registered)
        .bind(&a.number)
        .bind(day)
        .fetch_one(&self.pool)
        .await?;
        let rank = earlier_days + same_day;
        Ok(Some(explain(a.tier(), rank as u64, counts, rules)))
    }

    /// The application's movements, oldest first, with who made them: the desk's own, and
    /// at a desk of a region those the region took from other desks or decided itself.
    pub async fn history_lines(&self, application: ApplicationId) -> Result<Vec<HistoryLine>, StoreError> {
        let mut lines = self.own_history_lines(application).await?;
        let region = self.region_history_lines(application).await?;
        if !region.is_empty() {
            lines.extend(region);
            lines.sort_by_key(|l| l.at);
        }
        Ok(lines)
    }

    /// The region's lines of the application that are not the desk's own commands (those
    /// the desk tells better: it has the whole command).
    async fn region_history_lines(&self, application: ApplicationId) -> Result<Vec<HistoryLine>, StoreError> {
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT m.body FROM mirror m
             WHERE m.entity = 'history' AND json_extract(m.body, '$.application') = ?
               AND NOT EXISTS (SELECT 1 FROM history h WHERE h.command_id = json_extract(m.body, '$.command'))",
        )
        .bind(application.to_string())
        .fetch_all(&self.pool)
        .await?;
        // A line this build cannot read is left out of the view, not the whole view.
        Ok(rows
            .iter()
            .filter_map(|body| match region_line(body) {
                Ok(line) => Some(line),
                Err(e) => {
                    tracing::warn!("a line of the region's history left out: {e}");
                    None
                }
            })
            .collect())
    }

    async fn own_history_lines(&self, application: ApplicationId) -> Result<Vec<HistoryLine>, StoreError> {
        let rows = sqlx::query(
            "SELECT h.at, h.kind, h.body, coalesce(o.full_name, 'Baqsha') AS author
             FROM history h LEFT JOIN operators o ON o.id = h.author
             WHERE h.application = ? ORDER BY h.seq",
        )
        .bind(application.to_string())
        .fetch_all(&self.pool)
        .await?;
        // The application as each line left it, from its registration: an edit is told by
        // what it changed.
        let mut state: Option<Application> = None;
        rows.iter()
            .map(|r| {
                let body: String = r.try_get("body")?;
                let mut changed = vec![];
                match serde_json::from_str::<Command>(&body).map(|c| c.kind) {
                    Ok(CommandKind::RegisterApplication { application, .. }) => state = Some(*application),
                    Ok(CommandKind::EditApplication { changes, fields, .. }) => {
                        if let Some(before) = state.take() {
                            // Replayed without the limit: the desk checked it when it was made.
                            let queued = Application { status: ApplicationStatus::Queued, ..before.clone() };
                            if let Ok(after) = command::edit_fields(&queued, &changes, fields.as_deref(), usize::MAX) {
                                changed = command::edited_fields(&before, &after);
                                state = Some(after);
                            }
                        }
                    }
                    _ => {}
                }
                let (reason, confirmation) = match serde_json::from_str::<Command>(&body).map(|c| c.kind) {
                    Ok(CommandKind::WithdrawApplication { reason, .. } | CommandKind::RejectBenefit { reason, .. } | CommandKind::RefuseReferral { reason, .. }) => {
                        (Some(reason), None)
                    }
                    // The extension's new date is what people ask about.
                    Ok(CommandKind::ExtendReferral { until, .. }) => (Some(until.format("%d.%m.%Y").to_string()), None),
                    Ok(CommandKind::RegisterApplication { confirmation, .. }) => (None, confirmation),
                    Ok(CommandKind::IssueReferral { confirmation, .. }) => (None, Some(confirmation)),
                    // The day to answer by is what the parent is told.
                    Ok(CommandKind::MakeOffer { respond_by, .. }) => (Some(respond_by.format("%d.%m.%Y").to_string()), None),
                    _ => (None, None),
                };
                let mut kind: String = r.try_get("kind")?;
                if let Ok(CommandKind::EndOffer { ending, .. }) = serde_json::from_str::<Command>(&body).map(|c| c.kind) {
                    kind = format!("{kind}-{}", ending.code());
                }
                Ok(HistoryLine { at: time(&r.try_get::<String, _>("at")?)?, kind, author: r.try_get("author")?, reason, confirmation, changed })
            })
            .collect()
    }

    /// Everything «Кезекті тексеру» shows of one application.
    pub async fn application_view(&self, a: Application, rules: &QueueRules) -> Result<ApplicationView, StoreError> {
        let mut preferences = Vec::with_capacity(a.preferences.len());
        for k in &a.preferences {
            let names = sqlx::query("SELECT name_kk, name_ru FROM kindergartens WHERE id = ?").bind(k.to_string()).fetch_optional(&self.pool).await?;
            preferences.push(match names {
                Some(r) => crate::codec::names(&r, "name_kk", "name_ru", None)?,
                None => Names::new(k.to_string(), k.to_string()),
            });
        }
        let district: Option<String> = sqlx::query_scalar("SELECT district FROM applications WHERE id = ?").bind(a.id.to_string()).fetch_optional(&self.pool).await?.flatten();
        Ok(ApplicationView { district, position: self.position(&a, rules).await?, history: self.history_lines(a.id).await?, preferences, application: a })
    }
}

/// A line of the region's history as the desk shows it: when the server took it, what, and
/// who asked (the server's own decisions — offers, expiries — are Baqsha's).
fn region_line(body: &str) -> Result<HistoryLine, StoreError> {
    let v: serde_json::Value = serde_json::from_str(body).map_err(|e| StoreError::Decode { what: "region history line", detail: e.to_string() })?;
    let text = |key: &str| v.get(key).and_then(|x| x.as_str()).map(str::to_string);
    let at = text("at").ok_or_else(|| StoreError::Decode { what: "region history line", detail: body.to_string() })?;
    let author = match text("author_name") {
        Some(name) if name != "server" => name,
        _ => "Baqsha".to_string(),
    };
    // The day to answer an offer by is what the parent is told.
    let reason = v.pointer("/detail/respond_by").and_then(|d| d.as_str()).and_then(|d| d.parse::<chrono::NaiveDate>().ok()).map(|d| d.format("%d.%m.%Y").to_string());
    Ok(HistoryLine { at: time(&at)?, kind: text("kind").unwrap_or_default(), author, reason, confirmation: None, changed: vec![] })
}
