//! «Жолдама алу» in the store: the core decides, the schema makes "never twice" hold even
//! when two windows (or two processes) race for the last place.

use crate::{ApplyError, StoreError};
use baqsha_core::calendar::{DayKind, ReferralRules, WorkCalendar};
use baqsha_core::command::{self, ReferralRef, ReferralRequest, RuleError};
use baqsha_core::lease::Lease;
use baqsha_core::lifecycle::ApplicationEvent;
use baqsha_core::offer::OpenPlaces;
use baqsha_core::queue::{age_for_groups, QueueRules};
use baqsha_core::referral::RefusalRules;
use baqsha_core::*;
use sqlx::{Row, SqliteConnection};

/// The working-day calendar with this office's exceptions.
pub(crate) async fn calendar(tx: &mut SqliteConnection) -> Result<WorkCalendar, StoreError> {
    let mut cal = WorkCalendar::kazakhstan();
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT date, kind FROM calendar_days").fetch_all(&mut *tx).await?;
    for (date, kind) in rows {
        let d = crate::codec::day(&date)?;
        if let Some(k) = DayKind::from_code(&kind) {
            cal.set_exception(d, k);
        }
    }
    let kurban: Vec<(i64, String)> = sqlx::query_as("SELECT year, first_day FROM kurban_ait").fetch_all(&mut *tx).await?;
    for (year, first_day) in kurban {
        cal.set_kurban_ait(year as i32, crate::codec::day(&first_day)?);
    }
    Ok(cal)
}

impl crate::Store {
    /// The first days of Kurban ait the calendar knows (the code's and the administrator's).
    pub async fn kurban_ait_days(&self) -> Result<Vec<(i32, chrono::NaiveDate)>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        Ok(calendar(&mut conn).await?.kurban_ait_days().collect())
    }
}

/// Decides and writes «Жолдама алу»; returns the referral as decided.
pub(crate) async fn issue(tx: &mut SqliteConnection, r: &ReferralRequest, at: chrono::DateTime<chrono::Utc>) -> Result<Referral, ApplyError> {
    let app = crate::applications::load(tx, r.application).await?.ok_or(ApplyError::NotFound("application"))?;
    let v = sqlx::query("SELECT kindergarten, grp, open FROM vacancies WHERE id = ?")
        .bind(r.vacancy.to_string())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(ApplyError::NotFound("vacancy"))?;
    let group_id = GroupId(crate::codec::uuid(&v.try_get::<String, _>("grp")?)?);
    // What was asked names the place as the desk saw it; another one is not what was asked.
    if group_id != r.group || KindergartenId(crate::codec::uuid(&v.try_get::<String, _>("kindergarten")?)?) != r.kindergarten {
        return Err(RuleError::PlaceDoesNotFit.into());
    }
    let group = crate::registry::group_in(tx, group_id).await?.ok_or(ApplyError::NotFound("group"))?;
    let place = OpenPlaces {
        vacancy: r.vacancy,
        kindergarten: group.kindergarten,
        group: group.id,
        age: group.age,
        language: group.language,
        open: v.try_get::<i64, _>("open")?.max(0) as u32,
    };
    let today = command::desk_date(at);
    // From the office's lease (offline): the lease's places, which the region took out of the
    // vacancy's open count; the region checks the lease again by its own clock.
    if let Some(id) = r.lease {
        let held = crate::leases::held_in(tx, id).await?.ok_or(ApplyError::NotFound("lease"))?;
        let counted = Lease { used: held.lease.places - held.left, ..held.lease.clone() };
        baqsha_core::lease::check_use(&counted, r.vacancy, at)?;
        let place = OpenPlaces { open: held.left, ..place };
        return write_referral(tx, &app, r, &place, at, today).await;
    }
    // Strictly in queue order (`check_turn`); the turn lasts until its day to respond, and
    // only a place not held by another's offer is free.
    let offered: Option<String> = sqlx::query_scalar("SELECT vacancy FROM offers WHERE application = ? AND status = 'open' AND respond_by >= ?")
        .bind(r.application.to_string())
        .bind(crate::codec::date(today))
        .fetch_optional(&mut *tx)
        .await?;
    let offered = offered.map(|v| crate::codec::uuid(&v).map(VacancyId)).transpose()?;
    let left_to_nobody: bool = sqlx::query_scalar("SELECT open <= coalesce(rounded_open, -1) AND published_on <= ? FROM vacancies WHERE id = ?")
        .bind(crate::codec::date(today))
        .bind(r.vacancy.to_string())
        .fetch_one(&mut *tx)
        .await?;
    baqsha_core::referral::check_turn(app.status, r.vacancy, offered, left_to_nobody)?;
    let held: i64 = sqlx::query_scalar("SELECT count(*) FROM offers WHERE vacancy = ? AND status = 'open' AND application <> ?")
        .bind(r.vacancy.to_string())
        .bind(r.application.to_string())
        .fetch_one(&mut *tx)
        .await?;
    let place = OpenPlaces { open: (place.open as i64 - held).max(0) as u32, ..place };
    write_referral(tx, &app, r, &place, at, today).await
}

/// Decides the referral on `place` and writes it: the referral in the lowest free slot, the
/// place taken (a vacancy's open place, or the lease's), the application referred, its turn used.
async fn write_referral(
    tx: &mut SqliteConnection,
    app: &Application,
    r: &ReferralRequest,
    place: &OpenPlaces,
    at: chrono::DateTime<chrono::Utc>,
    today: chrono::NaiveDate,
) -> Result<Referral, ApplyError> {
    let age = age_for_groups(app.child.birth_date(), today, &QueueRules::default());
    // The deadlines come from this store's own calendar.
    let decided = command::decide_referral(app, place, age, r.id, &r.number, at, &calendar(tx).await?, &ReferralRules::default())?;
    // The lowest slot no live or admitted referral holds (an expired one frees its slot).
    // Write transactions are IMMEDIATE, so two racers see each other; the unique index is the
    // last word all the same.
    let used: Vec<i64> = sqlx::query_scalar("SELECT slot FROM referrals WHERE vacancy = ? AND status IN ('issued', 'confirmed', 'extended', 'admitted') ORDER BY slot")
        .bind(r.vacancy.to_string())
        .fetch_all(&mut *tx)
        .await?;
    let slot = (0i64..).find(|s| used.binary_search(s).is_err()).unwrap_or(0);
    let taken = |e: sqlx::Error| match e {
        sqlx::Error::Database(d) if d.is_unique_violation() => ApplyError::Rule(RuleError::PlaceTaken),
        other => other.into(),
    };
    sqlx::query(
        "INSERT INTO referrals (id, number, application, vacancy, kindergarten, grp, slot, issued_at, confirm_by, valid_until, status, lease)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(decided.id.to_string())
    .bind(&decided.number)
    .bind(decided.application.to_string())
    .bind(decided.vacancy.to_string())
    .bind(decided.kindergarten.to_string())
    .bind(decided.group.to_string())
    .bind(slot)
    .bind(crate::codec::ts(decided.issued_at))
    .bind(crate::codec::date(decided.confirm_by))
    .bind(crate::codec::date(decided.valid_until))
    .bind(decided.status.code())
    .bind(r.lease.map(|l| l.0.to_string()))
    .execute(&mut *tx)
    .await
    .map_err(taken)?;
    // A lease's places are already out of the vacancy's open count.
    if r.lease.is_none() {
        let left = sqlx::query("UPDATE vacancies SET open = open - 1 WHERE id = ? AND open > 0").bind(r.vacancy.to_string()).execute(&mut *tx).await?;
        if left.rows_affected() != 1 {
            return Err(RuleError::PlaceTaken.into());
        }
    }
    sqlx::query("UPDATE applications SET status = 'referred' WHERE id = ? AND status = 'queued'").bind(r.application.to_string()).execute(&mut *tx).await?;
    // The turn is used; if another place was chosen, the offered one goes to the next.
    sqlx::query("UPDATE offers SET status = 'taken', ended_on = ? WHERE application = ? AND status = 'open'")
        .bind(crate::codec::date(today))
        .bind(r.application.to_string())
        .execute(&mut *tx)
        .await?;
    Ok(decided)
}

/// The referral as stored, checked against what the command names.
async fn load(tx: &mut SqliteConnection, r: &ReferralRef) -> Result<Referral, ApplyError> {
    let row = sqlx::query("SELECT * FROM referrals WHERE id = ?").bind(r.id.to_string()).fetch_optional(&mut *tx).await?.ok_or(ApplyError::NotFound("referral"))?;
    let stored = referral(&row)?;
    if stored.application != r.application || stored.kindergarten != r.kindergarten {
        return Err(RuleError::ReferralMismatch.into());
    }
    Ok(stored)
}

pub(crate) fn referral(row: &sqlx::sqlite::SqliteRow) -> Result<Referral, StoreError> {
    use crate::codec::{day, uuid};
    Ok(Referral {
        id: ReferralId(uuid(row.try_get("id")?)?),
        number: row.try_get("number")?,
        application: ApplicationId(uuid(row.try_get("application")?)?),
        vacancy: VacancyId(uuid(row.try_get("vacancy")?)?),
        kindergarten: KindergartenId(uuid(row.try_get("kindergarten")?)?),
        group: GroupId(uuid(row.try_get("grp")?)?),
        issued_at: crate::codec::time(row.try_get("issued_at")?)?,
        confirm_by: day(row.try_get("confirm_by")?)?,
        valid_until: day(row.try_get("valid_until")?)?,
        status: crate::codec::code("referral status", row.try_get("status")?, ReferralStatus::from_code)?,
    })
}

async fn save(tx: &mut SqliteConnection, r: &Referral, ended_on: Option<chrono::NaiveDate>) -> Result<(), ApplyError> {
    sqlx::query("UPDATE referrals SET status = ?, valid_until = ?, ended_on = coalesce(?, ended_on) WHERE id = ?")
        .bind(r.status.code())
        .bind(crate::codec::date(r.valid_until))
        .bind(ended_on.map(crate::codec::date))
        .bind(r.id.to_string())
        .execute(&mut *tx)
        .await?;
    Ok(())
}

pub(crate) async fn extend(tx: &mut SqliteConnection, r: &ReferralRef, until: chrono::NaiveDate, today: chrono::NaiveDate) -> Result<(), ApplyError> {
    let stored = load(tx, r).await?;
    let extended = baqsha_core::referral::decide_extension(&stored, until, today, &calendar(tx).await?, &ReferralRules::default())?;
    save(tx, &extended, None).await
}

/// The settings of BRIEF.md: `refusal_annuls` (true/false), `stop_list_days` (0 = off).
async fn refusal_rules(tx: &mut SqliteConnection) -> Result<RefusalRules, StoreError> {
    let get = |key: &'static str| sqlx::query_scalar::<_, String>("SELECT value FROM settings WHERE key = ?").bind(key);
    let annuls = get("refusal_annuls").fetch_optional(&mut *tx).await?;
    let days = get("stop_list_days").fetch_optional(&mut *tx).await?;
    Ok(RefusalRules::from_settings(annuls.as_deref(), days.as_deref()))
}

impl crate::Store {
    /// The office's referral settings: what a refusal does, and the summer pause.
    pub async fn office_rules(&self) -> Result<(RefusalRules, Option<baqsha_core::referral::PublicationPause>), StoreError> {
        let mut c = self.pool.acquire().await?;
        let refusal = refusal_rules(&mut c).await?;
        let pause = baqsha_core::referral::PublicationPause::from_setting(self.setting("publication_pause").await?.as_deref());
        Ok((refusal, pause))
    }
}

/// Saves the office's referral settings together (checked by the core first).
pub(crate) async fn save_office_rules(tx: &mut SqliteConnection, refusal: &RefusalRules, pause: Option<&baqsha_core::referral::PublicationPause>) -> Result<(), ApplyError> {
    refusal.check()?;
    if let Some(p) = pause {
        p.check()?;
    }
    for (key, value) in [
        ("refusal_annuls", refusal.annuls.to_string()),
        ("stop_list_days", refusal.stop_list_days.to_string()),
        ("publication_pause", baqsha_core::referral::PublicationPause::to_setting(pause)),
    ] {
        sqlx::query("INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2").bind(key).bind(value).execute(&mut *tx).await?;
    }
    Ok(())
}

/// The place returns to the bulletin (its vacancy opens again).
async fn return_place(tx: &mut SqliteConnection, r: &Referral) -> Result<(), ApplyError> {
    sqlx::query("UPDATE vacancies SET open = open + 1 WHERE id = ?").bind(r.vacancy.to_string()).execute(&mut *tx).await?;
    Ok(())
}

pub(crate) async fn refuse(tx: &mut SqliteConnection, r: &ReferralRef, reason: &str, today: chrono::NaiveDate) -> Result<(), ApplyError> {
    let stored = load(tx, r).await?;
    let rules = refusal_rules(tx).await?;
    let decided = baqsha_core::referral::decide_refusal(&stored, reason, &rules, today)?;
    let refused = decided.referral;
    save(tx, &refused, Some(today)).await?;
    return_place(tx, &refused).await?;
    back_to_queue(tx, refused.application, decided.event).await?;
    if let Some(until) = decided.stop_until {
        sqlx::query("INSERT INTO stop_list (application, until) VALUES (?1, ?2) ON CONFLICT (application) DO UPDATE SET until = ?2")
            .bind(refused.application.to_string())
            .bind(crate::codec::date(until))
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

pub(crate) async fn expire(tx: &mut SqliteConnection, r: &ReferralRef, today: chrono::NaiveDate) -> Result<(), ApplyError> {
    let stored = load(tx, r).await?;
    let expired = baqsha_core::referral::decide_expiry(&stored, today)?;
    save(tx, &expired, Some(today)).await?;
    return_place(tx, &expired).await?;
    back_to_queue(tx, expired.application, ApplicationEvent::ReturnToQueue).await
}

/// The application of an ended referral goes back to the queue (or ends) — unless it has
/// already ended another way (withdrawn while referred): the referral still ends.
async fn back_to_queue(tx: &mut SqliteConnection, application: ApplicationId, event: ApplicationEvent) -> Result<(), ApplyError> {
    let status: Option<String> = sqlx::query_scalar("SELECT status FROM applications WHERE id = ?").bind(application.to_string()).fetch_optional(&mut *tx).await?;
    if status.as_deref() == Some(ApplicationStatus::Referred.code()) {
        crate::apply::transition(tx, application, event).await?;
    }
    Ok(())
}

/// A referred application withdrawn: its live referral is refused in the same transaction
/// and the place returns to the bulletin (nobody will come with it).
pub(crate) async fn end_with_application(tx: &mut SqliteConnection, application: ApplicationId, reason: &str, today: chrono::NaiveDate) -> Result<(), ApplyError> {
    let row = sqlx::query("SELECT * FROM referrals WHERE application = ? AND status IN ('issued', 'confirmed', 'extended')")
        .bind(application.to_string())
        .fetch_optional(&mut *tx)
        .await?;
    let Some(row) = row else { return Ok(()) };
    let live = referral(&row)?;
    let refused = baqsha_core::referral::decide_refusal(&live, reason, &RefusalRules::default(), today)?.referral;
    save(tx, &refused, Some(today)).await?;
    return_place(tx, &refused).await
}

pub(crate) async fn admit(tx: &mut SqliteConnection, r: &ReferralRef, documents: &[baqsha_core::referral::AdmissionDocument], today: chrono::NaiveDate) -> Result<(), ApplyError> {
    let stored = load(tx, r).await?;
    let group = crate::registry::group_in(tx, stored.group).await?.ok_or(ApplyError::NotFound("group"))?;
    let needs = baqsha_core::referral::needs_conclusion(crate::applications::load(tx, stored.application).await?.as_ref().and_then(|a| a.benefit.as_ref()));
    let (admitted, group) = baqsha_core::referral::decide_admission(&stored, &group, today, documents, needs)?;
    save(tx, &admitted, Some(today)).await?;
    // The schema's CHECK (enrolled <= capacity) stands behind the core's check.
    sqlx::query("UPDATE groups SET enrolled = ? WHERE id = ?").bind(group.enrolled as i64).bind(group.id.to_string()).execute(&mut *tx).await?;
    crate::apply::transition(tx, admitted.application, ApplicationEvent::Enroll).await
}

impl crate::Store {
    /// «Жолдама алу» at the desk: under the writer lock and in one transaction, the phone of
    /// the application confirmed by a code in the last 2 hours (or the parent's identity
    /// document at the desk), the next referral number of the series (`VKO-ZH-2026-000001`),
    /// the `IssueReferral` command (the turn, the place and the deadlines decided as it is
    /// applied), the SMS with the number queued, the used code forgotten. `ids`: the
    /// command's and the referral's, from the caller's id source.
    #[allow(clippy::too_many_arguments)]
    pub async fn take_referral(
        &self,
        op: &baqsha_core::roles::Operator,
        req: &baqsha_api::calls::TakeReferral,
        ids: (uuid::Uuid, ReferralId),
        device: DeviceId,
        now: chrono::DateTime<chrono::Utc>,
        prefix: &str,
        notify: impl FnOnce(&baqsha_api::ReferralView) -> Vec<baqsha_core::codes::Notification>,
    ) -> Result<(baqsha_api::ReferralView, Vec<uuid::Uuid>), ApplyError> {
        use baqsha_core::command::{Command, CommandKind, ContactConfirmation};
        let _writer = self.writer.lock().await;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let app = crate::applications::load(&mut tx, req.application).await?.ok_or(ApplyError::NotFound("application"))?;
        let phone = app.contacts.phone.as_str().to_string();
        match &req.confirmation {
            ContactConfirmation::Codes => {
                let record = crate::messages::code_record_in(&mut tx, &phone).await?;
                if !record.is_some_and(|r| baqsha_core::codes::confirms(&r, now, &baqsha_core::codes::CodePolicy::default())) {
                    return Err(RuleError::ContactNotConfirmed { target: phone }.into());
                }
            }
            ContactConfirmation::InPerson { number, .. } => {
                command::check_document_number(number)?;
            }
        }
        let (kindergarten, group): (String, String) = sqlx::query_as("SELECT kindergarten, grp FROM vacancies WHERE id = ?")
            .bind(req.vacancy.to_string())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(ApplyError::NotFound("vacancy"))?;
        let year = command::desk_date(now).format("%Y").to_string();
        let request = command::ReferralRequest {
            id: ids.1,
            number: crate::desk::next_in(&mut tx, "referrals", &format!("{prefix}-ZH"), &year).await?,
            application: app.id,
            vacancy: req.vacancy,
            kindergarten: KindergartenId(crate::codec::uuid(&kindergarten)?),
            group: GroupId(crate::codec::uuid(&group)?),
            lease: req.lease,
        };
        let id = request.id;
        let cmd = Command { id: ids.0, author: op.id, device, at: now, kind: CommandKind::IssueReferral { request, confirmation: req.confirmation.clone(), decided: None } };
        baqsha_core::roles::authorize(op, &cmd.kind)?;
        crate::apply::apply_in(&mut tx, &cmd, &mut None).await?;
        let view = view_in(&mut tx, id).await?;
        let mut messages = vec![];
        for n in notify(&view) {
            messages.push(crate::messages::insert_message(&mut tx, &n, now).await?);
        }
        sqlx::query("DELETE FROM confirmation_codes WHERE target = ?").bind(&phone).execute(&mut *tx).await?;
        tx.commit().await?;
        self.wrote_outbox();
        Ok((view, messages))
    }

    /// A referral by its number (what the parent brings to the kindergarten).
    pub async fn referral_by_number(&self, number: &str) -> Result<Option<baqsha_api::ReferralView>, StoreError> {
        self.view_where("SELECT id FROM referrals WHERE number = ?", number.trim().to_string()).await
    }

    /// The application's newest referral, live or ended.
    pub async fn referral_of(&self, application: ApplicationId) -> Result<Option<baqsha_api::ReferralView>, StoreError> {
        self.view_where("SELECT id FROM referrals WHERE application = ? ORDER BY issued_at DESC LIMIT 1", application.to_string()).await
    }

    /// The view of the referral `sql` (one `?`, bound to `arg`) finds, if any.
    async fn view_where(&self, sql: &'static str, arg: String) -> Result<Option<baqsha_api::ReferralView>, StoreError> {
        let id: Option<String> = sqlx::query_scalar(sql).bind(arg).fetch_optional(&self.pool).await?;
        let Some(id) = id else { return Ok(None) };
        let mut c = self.pool.acquire().await?;
        Ok(Some(view_in(&mut c, ReferralId(crate::codec::uuid(&id)?)).await?))
    }

    /// Live referrals whose last day has passed by `today` (expired by the office's own run).
    pub async fn referrals_due(&self, today: chrono::NaiveDate) -> Result<Vec<Referral>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM referrals WHERE status IN ('issued', 'confirmed', 'extended')
               AND (valid_until < ?1 OR (status = 'issued' AND confirm_by < ?1))",
        )
        .bind(crate::codec::date(today))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(referral).collect()
    }
}

async fn view_in(c: &mut SqliteConnection, id: ReferralId) -> Result<baqsha_api::ReferralView, StoreError> {
    let row = sqlx::query("SELECT * FROM referrals WHERE id = ?").bind(id.to_string()).fetch_optional(&mut *c).await?.ok_or(StoreError::NotFound("referral"))?;
    let r = referral(&row)?;
    let ended_on: Option<String> = row.try_get("ended_on")?;
    let app = crate::applications::load(c, r.application).await?.ok_or(StoreError::NotFound("application"))?;
    let k = sqlx::query("SELECT name_kk, name_ru, address_kk, address_ru FROM kindergartens WHERE id = ?").bind(r.kindergarten.to_string()).fetch_one(&mut *c).await?;
    let group = crate::registry::group_in(c, r.group).await?.ok_or(StoreError::NotFound("group"))?;
    let deadlines = baqsha_core::calendar::referral_deadlines(&calendar(c).await?, &ReferralRules::default(), command::desk_date(r.issued_at))
        .map_err(|e| StoreError::Decode { what: "calendar", detail: e.to_string() })?;
    Ok(baqsha_api::ReferralView {
        application_number: app.number.clone(),
        kindergarten_name: crate::codec::names(&k, "name_kk", "name_ru", None)?,
        address: crate::codec::names(&k, "address_kk", "address_ru", None)?,
        group_name: group.name,
        age: group.age,
        group_language: group.language,
        child: app.child,
        parent: app.parent,
        phone: app.contacts.phone.as_str().to_string(),
        language: app.language,
        benefit: app.benefit,
        latest_extension: deadlines.latest_extension,
        ended_on: ended_on.map(|d| crate::codec::day(&d)).transpose()?,
        referral: r,
    })
}
