//! Applying commands: effect, history entry and outbox row in one transaction.

use crate::codec::{date, json_list, ts};
use crate::history::payload;
use crate::{ApplyError, Store};
use baqsha_core::calendar::DayKind;
use baqsha_core::command::{self, chain_hash, Command, CommandKind, GENESIS_HASH};
use baqsha_core::lifecycle::{next_application_status, ApplicationEvent};
use baqsha_core::queue::QueueRules;
use baqsha_core::roles::{authorize, Operator};
use baqsha_core::*;
use sqlx::SqliteConnection;

async fn max_preferences(tx: &mut SqliteConnection) -> Result<usize, ApplyError> {
    let v: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = 'max_preferences'").fetch_optional(&mut *tx).await?;
    Ok(command::max_preferences(v.as_deref()))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The history entry's sequence number.
    pub seq: i64,
    /// False when this command id had been applied before (a replay changes nothing).
    pub new: bool,
}

impl Store {
    /// Authorises `cmd` for `op`, checks it against the rules and writes it, atomically.
    pub async fn apply(&self, op: &Operator, cmd: &Command) -> Result<Applied, ApplyError> {
        authorize(op, &cmd.kind)?;
        let _writer = self.writer.lock().await;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let applied = apply_in(&mut tx, cmd, &mut None).await?;
        tx.commit().await?;
        self.wrote_outbox();
        Ok(applied)
    }

    /// «Топтар мен орындар»'s save: the group as the form has it, applied only if its
    /// children count is still the one the form started from — an admission in another
    /// window meanwhile is not overwritten.
    pub async fn save_group_from(&self, op: &Operator, cmd: &Command, was_enrolled: u32) -> Result<Applied, ApplyError> {
        authorize(op, &cmd.kind)?;
        let CommandKind::SaveGroup { group } = &cmd.kind else {
            return Err(ApplyError::NotFound("group"));
        };
        let _writer = self.writer.lock().await;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let now: Option<(i64, String)> = sqlx::query_as("SELECT enrolled, kindergarten FROM groups WHERE id = ?").bind(group.id.to_string()).fetch_optional(&mut *tx).await?;
        // Another kindergarten's group is refused before anything of it is told.
        if now.as_ref().is_some_and(|(_, k)| *k != group.kindergarten.to_string()) {
            return Err(ApplyError::Denied(baqsha_core::roles::Denied::OtherKindergarten));
        }
        if let Some(now) = now.map(|(n, _)| n).filter(|n| *n != i64::from(was_enrolled)) {
            return Err(command::RuleError::GroupChanged { enrolled: now.max(0) as u32 }.into());
        }
        let applied = apply_in(&mut tx, cmd, &mut None).await?;
        tx.commit().await?;
        self.wrote_outbox();
        Ok(applied)
    }

    /// Applies many commands in one transaction: all or none (used to import a region).
    pub async fn apply_all(&self, op: &Operator, cmds: &[Command]) -> Result<usize, ApplyError> {
        for c in cmds {
            authorize(op, &c.kind)?;
        }
        let _writer = self.writer.lock().await;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        // The chain's head is read once and carried along the batch.
        let mut head = None;
        for c in cmds {
            apply_in(&mut tx, c, &mut head).await?;
        }
        tx.commit().await?;
        self.wrote_outbox();
        Ok(cmds.len())
    }
}

/// `head`: the newest history hash if the caller already knows it (within one transaction).
pub(crate) async fn apply_in(tx: &mut SqliteConnection, cmd: &Command, head: &mut Option<String>) -> Result<Applied, ApplyError> {
    let id = cmd.id.to_string();
    if let Some(seq) = sqlx::query_scalar::<_, i64>("SELECT seq FROM history WHERE command_id = ?").bind(&id).fetch_optional(&mut *tx).await? {
        return Ok(Applied { seq, new: false });
    }
    // The chain's head: the hash the new entry covers, and when the newest command was made.
    let prev: String = match head.take() {
        Some(h) => h,
        None => {
            let last: Option<(String, String)> = sqlx::query_as("SELECT hash, at FROM history ORDER BY seq DESC LIMIT 1").fetch_optional(&mut *tx).await?;
            match last {
                Some((hash, newest)) => {
                    // A desk whose clock was set back (to reopen a closed deadline, or by a
                    // flat battery) writes nothing dated before what it already wrote — unless
                    // it belongs to a region: there the server vouches for when each command
                    // was made, and a clock gone wrong offline must not stop the office's work.
                    if let Err(behind) = command::check_not_before(cmd.at, crate::codec::time(&newest)?) {
                        let joined: i64 = sqlx::query_scalar("SELECT count(*) FROM region_link").fetch_one(&mut *tx).await?;
                        if joined == 0 {
                            return Err(behind.into());
                        }
                    }
                    hash
                }
                None => GENESIS_HASH.to_string(),
            }
        }
    };
    let decided = effect(tx, cmd).await?;
    let recorded;
    let kept = match decided {
        Some(kind) => {
            recorded = Command { kind, ..cmd.clone() };
            &recorded
        }
        None => cmd,
    };
    let body = serde_json::to_string(kept).map_err(|e| crate::StoreError::Decode { what: "command", detail: e.to_string() })?;
    let at = ts(cmd.at);
    let (author, device, kind) = (cmd.author.to_string(), cmd.device.to_string(), cmd.kind.code());
    let hash = chain_hash(&prev, &payload(&id, &at, &author, &device, kind, &body));
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO history (command_id, at, author, device, kind, application, kindergarten, body, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq",
    )
    .bind(&id)
    .bind(&at)
    .bind(&author)
    .bind(&device)
    .bind(kind)
    .bind(cmd.kind.application().map(|a| a.to_string()))
    .bind(cmd.kind.kindergarten().map(|k| k.to_string()))
    .bind(&body)
    .bind(&prev)
    .bind(&hash)
    .fetch_one(&mut *tx)
    .await?;
    // One writer at a time (SQLite): the next number is the last plus one, never a gap.
    sqlx::query("INSERT INTO outbox (command_id, queued_at, seq) VALUES (?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM outbox))").bind(&id).bind(&at).execute(&mut *tx).await?;
    *head = Some(hash);
    Ok(Applied { seq, new: true })
}

/// Writes the effect of `cmd`; returns the command as the history keeps it when applying it
/// decided more than was asked (a referral's group, deadlines and status).
async fn effect(tx: &mut SqliteConnection, cmd: &Command) -> Result<Option<CommandKind>, ApplyError> {
    match &cmd.kind {
        CommandKind::SaveKindergarten { kindergarten: k } => {
            command::check_kindergarten(k)?;
            save_kindergarten(tx, k).await
        }
        CommandKind::SaveGroup { group } => {
            command::check_group(group)?;
            save_group(tx, group).await
        }
        CommandKind::PublishVacancy { vacancy } => publish(tx, vacancy, cmd.at).await,
        CommandKind::RegisterApplication { application, .. } => register(tx, application, cmd).await,
        CommandKind::WithdrawApplication { application, reason } => {
            command::check_withdrawal(reason)?;
            transition(tx, *application, ApplicationEvent::Withdraw).await?;
            crate::referrals::end_with_application(tx, *application, reason, command::desk_date(cmd.at)).await
        }
        CommandKind::EditApplication { application, changes, fields, .. } => edit_application(tx, *application, changes, fields.as_deref()).await,
        CommandKind::ArchiveApplication { application } => transition(tx, *application, ApplicationEvent::Archive).await,
        CommandKind::IssueReferral { request, confirmation, .. } => {
            let referral = crate::referrals::issue(tx, request, cmd.at).await?;
            return Ok(Some(CommandKind::IssueReferral { request: request.clone(), confirmation: confirmation.clone(), decided: Some(Box::new(referral)) }));
        }
        CommandKind::ExtendReferral { referral, until } => crate::referrals::extend(tx, referral, *until, command::desk_date(cmd.at)).await,
        CommandKind::RefuseReferral { referral, reason } => crate::referrals::refuse(tx, referral, reason, command::desk_date(cmd.at)).await,
        CommandKind::ExpireReferral { referral } => crate::referrals::expire(tx, referral, command::desk_date(cmd.at)).await,
        CommandKind::AdmitReferral { referral, documents } => crate::referrals::admit(tx, referral, documents, command::desk_date(cmd.at)).await,
        CommandKind::ConfirmBenefit { application } => crate::desk::decide_benefit(tx, *application, true, "").await,
        CommandKind::RejectBenefit { application, reason } => crate::desk::decide_benefit(tx, *application, false, reason).await,
        CommandKind::SetCalendarDay { date: d, kind } => {
            match kind {
                Some(k) => {
                    sqlx::query("INSERT INTO calendar_days (date, kind) VALUES (?, ?) ON CONFLICT(date) DO UPDATE SET kind = excluded.kind")
                        .bind(date(*d))
                        .bind(match k {
                            DayKind::Working => "working",
                            DayKind::DayOff => "day_off",
                        })
                        .execute(&mut *tx)
                        .await?;
                }
                None => {
                    sqlx::query("DELETE FROM calendar_days WHERE date = ?").bind(date(*d)).execute(&mut *tx).await?;
                }
            }
            Ok(())
        }
        CommandKind::SetKurbanAit { year, first_day } => {
            command::check_kurban_ait(*year, *first_day)?;
            sqlx::query("INSERT INTO kurban_ait (year, first_day) VALUES (?, ?) ON CONFLICT(year) DO UPDATE SET first_day = excluded.first_day")
                .bind(*year)
                .bind(date(*first_day))
                .execute(&mut *tx)
                .await?;
            Ok(())
        }
        CommandKind::MakeOffer { offer, respond_by } => {
            let decided = crate::offers::make(tx, offer, *respond_by, command::desk_date(cmd.at)).await?;
            return Ok(Some(CommandKind::MakeOffer { offer: decided, respond_by: *respond_by }));
        }
        CommandKind::EndOffer { application, vacancy, ending } => crate::offers::end(tx, *application, *vacancy, *ending, command::desk_date(cmd.at)).await,
        CommandKind::SaveOfficeSettings { refusal, publication_pause } => crate::referrals::save_office_rules(tx, refusal, publication_pause.as_ref()).await,
        CommandKind::SaveOperator { operator, active } => crate::operators::save_in(tx, operator, *active).await,
        CommandKind::ResetPassword { operator } => {
            let done = sqlx::query("UPDATE operators SET must_change = 1 WHERE id = ?").bind(operator.to_string()).execute(&mut *tx).await?;
            if done.rows_affected() == 0 {
                return Err(ApplyError::NotFound("operator"));
            }
            Ok(())
        }
    }?;
    Ok(None)
}

/// The full-text indexes over `kindergarten_text`: substrings (trigrams) and word starts.
const SEARCH_INDEXES: [&str; 2] = ["kindergarten_search", "kindergarten_words"];

pub(crate) async fn save_kindergarten(tx: &mut SqliteConnection, k: &Kindergarten) -> Result<(), ApplyError> {
    let known: bool = sqlx::query_scalar("SELECT count(*) > 0 FROM districts WHERE code = ?").bind(&k.district).fetch_one(&mut *tx).await?;
    if !known {
        return Err(ApplyError::NotFound("district"));
    }
    let search = baqsha_core::text::fold(&format!("{} {} {} {}", k.name_kk, k.name_ru, k.address_kk, k.address_ru));
    let existing: Option<(i64, String)> =
        sqlx::query_as("SELECT t.search_rowid, t.text FROM kindergartens k JOIN kindergarten_text t ON t.search_rowid = k.search_rowid WHERE k.id = ?")
            .bind(k.id.to_string())
            .fetch_optional(&mut *tx)
            .await?;
    let search_rowid = match existing {
        Some((r, old)) => {
            // An external-content index forgets a row only when told its old text.
            for index in SEARCH_INDEXES {
                sqlx::query(&format!("INSERT INTO {index} ({index}, rowid, text) VALUES ('delete', ?, ?)")).bind(r).bind(&old).execute(&mut *tx).await?;
            }
            r
        }
        None => sqlx::query_scalar::<_, i64>("SELECT coalesce(max(search_rowid), 0) + 1 FROM kindergartens").fetch_one(&mut *tx).await?,
    };
    sqlx::query("INSERT OR REPLACE INTO kindergarten_text (search_rowid, text) VALUES (?, ?)").bind(search_rowid).bind(&search).execute(&mut *tx).await?;
    for index in SEARCH_INDEXES {
        sqlx::query(&format!("INSERT INTO {index} (rowid, text) VALUES (?, ?)")).bind(search_rowid).bind(&search).execute(&mut *tx).await?;
    }
    sqlx::query(
        "INSERT INTO kindergartens (id, name_kk, name_ru, kind, district, address_kk, address_ru, lat, lon, head, phone, email,
                                    hours, programmes, equipment, design_capacity, search_rowid, sort_kk, sort_ru)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET name_kk = excluded.name_kk, name_ru = excluded.name_ru, kind = excluded.kind,
            district = excluded.district, address_kk = excluded.address_kk, address_ru = excluded.address_ru,
            lat = excluded.lat, lon = excluded.lon, head = excluded.head, phone = excluded.phone, email = excluded.email,
            hours = excluded.hours, programmes = excluded.programmes, equipment = excluded.equipment,
            design_capacity = excluded.design_capacity,
            sort_kk = excluded.sort_kk, sort_ru = excluded.sort_ru",
    )
    .bind(k.id.to_string())
    .bind(&k.name_kk)
    .bind(&k.name_ru)
    .bind(k.kind.code())
    .bind(&k.district)
    .bind(&k.address_kk)
    .bind(&k.address_ru)
    .bind(k.location.lat)
    .bind(k.location.lon)
    .bind(&k.head)
    .bind(&k.phone)
    .bind(&k.email)
    .bind(&k.hours)
    .bind(json_list(&k.programmes))
    .bind(json_list(&k.equipment))
    .bind(k.design_capacity as i64)
    .bind(search_rowid)
    .bind(baqsha_core::text::sort_key(&k.name_kk))
    .bind(baqsha_core::text::sort_key(&k.name_ru))
    .execute(&mut *tx)
    .await?;
    Ok(())
}

async fn save_group(tx: &mut SqliteConnection, g: &Group) -> Result<(), ApplyError> {
    let known: bool = sqlx::query_scalar("SELECT count(*) > 0 FROM kindergartens WHERE id = ?").bind(g.kindergarten.to_string()).fetch_one(&mut *tx).await?;
    if !known {
        return Err(ApplyError::NotFound("kindergarten"));
    }
    let owner: Option<String> = sqlx::query_scalar("SELECT kindergarten FROM groups WHERE id = ?").bind(g.id.to_string()).fetch_optional(&mut *tx).await?;
    if owner.is_some_and(|k| k != g.kindergarten.to_string()) {
        return Err(ApplyError::Denied(baqsha_core::roles::Denied::OtherKindergarten));
    }
    // The places already promised need room beside the children already there.
    command::check_group_room(g, promised_places(tx, g.id).await?)?;
    sqlx::query(
        "INSERT INTO groups (id, kindergarten, name, age_from, age_to, language, capacity, enrolled)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, age_from = excluded.age_from, age_to = excluded.age_to,
            language = excluded.language, capacity = excluded.capacity, enrolled = excluded.enrolled
         WHERE groups.kindergarten = excluded.kindergarten",
    )
    .bind(g.id.to_string())
    .bind(g.kindergarten.to_string())
    .bind(&g.name)
    .bind(g.age.from_years as i64)
    .bind(g.age.to_years as i64)
    .bind(g.language.code())
    .bind(g.capacity as i64)
    .bind(g.enrolled as i64)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

async fn publish(tx: &mut SqliteConnection, v: &Vacancy, at: chrono::DateTime<chrono::Utc>) -> Result<(), ApplyError> {
    let pause: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = 'publication_pause'").fetch_optional(&mut *tx).await?;
    let pause = baqsha_core::referral::PublicationPause::from_setting(pause.as_deref());
    // Neither published during the pause nor dated into it (a date is when the places free up;
    // they are offered from that day).
    baqsha_core::referral::check_publication(command::desk_date(at), pause.as_ref())?;
    baqsha_core::referral::check_publication(v.published_on, pause.as_ref())?;
    let group = crate::registry::group_in(tx, v.group).await?.ok_or(ApplyError::NotFound("group"))?;
    if group.kindergarten != v.kindergarten {
        return Err(ApplyError::Denied(baqsha_core::roles::Denied::OtherKindergarten));
    }
    command::check_vacancy(v, &group, promised_places(tx, v.group).await?)?;
    sqlx::query("INSERT INTO vacancies (id, kindergarten, grp, count, open, published_on) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(v.id.to_string())
        .bind(v.kindergarten.to_string())
        .bind(v.group.to_string())
        .bind(v.count as i64)
        .bind(v.count as i64)
        .bind(date(v.published_on))
        .execute(&mut *tx)
        .await?;
    Ok(())
}

async fn register(tx: &mut SqliteConnection, a: &Application, cmd: &Command) -> Result<(), ApplyError> {
    let existing: Option<String> =
        sqlx::query_scalar("SELECT number FROM applications WHERE child_iin = ? AND status IN ('queued', 'referred')").bind(a.child.iin.as_str()).fetch_optional(&mut *tx).await?;
    let max = max_preferences(tx).await?;
    command::check_registration(a, existing.as_deref(), command::desk_date(cmd.at), &QueueRules::default(), max)?;
    // Its first preference must be a kindergarten this desk holds (its district is kept).
    first_preference_district(tx, a).await?;
    write_applications(tx, &[a], "").await
}

/// Writes applications' rows and preferences, many in a few statements (a first sync writes
/// thousands); `on_conflict` follows the INSERT (empty: new applications only; an upsert
/// clause: the region's copy as it stands). Each row's district is its first preference's.
pub(crate) async fn write_applications(tx: &mut SqliteConnection, apps: &[&Application], on_conflict: &str) -> Result<(), ApplyError> {
    if apps.is_empty() {
        return Ok(());
    }
    let rows: Vec<serde_json::Value> = apps
        .iter()
        .map(|a| {
            let benefit = a.benefit.as_ref();
            serde_json::json!([
                a.id.to_string(),
                a.number,
                a.child.iin.as_str(),
                a.child.surname,
                a.child.given_name,
                a.child.patronymic,
                i64::from(a.child.verified),
                Category::of(a.child.birth_date()).0,
                a.parent.iin.as_str(),
                a.parent.surname,
                a.parent.given_name,
                a.parent.patronymic,
                i64::from(a.parent.verified),
                a.contacts.phone.as_str(),
                a.contacts.extra_phone.as_ref().map(|p| p.as_str().to_string()),
                a.contacts.email.as_ref().map(|e| e.as_str().to_string()),
                a.address,
                a.language.code(),
                benefit.map(|b| b.kind.code()),
                benefit.map(|b| b.verification.code()),
                benefit.map(|b| json_list(&b.proofs)),
                a.tier().code(),
                i64::from(a.consent),
                ts(a.registered_at),
                a.status.code(),
                a.preferences.first().map(|k| k.to_string()),
            ])
        })
        .collect();
    let columns: String = (0..25).map(|n| format!("value ->> {n}, ")).collect();
    let sql = format!(
        "INSERT INTO applications (id, number, child_iin, child_surname, child_given_name, child_patronymic, child_verified,
            category, parent_iin, parent_surname, parent_given_name, parent_patronymic, parent_verified, phone, extra_phone,
            email, address, language, benefit_kind, benefit_verification, benefit_proofs, tier, consent, registered_at,
            status, district)
         SELECT {columns} (SELECT district FROM kindergartens WHERE id = value ->> 25) FROM json_each(?) WHERE true {on_conflict}"
    );
    let rows = serde_json::Value::Array(rows).to_string();
    sqlx::query(&sql).bind(&rows).execute(&mut *tx).await?;
    write_preferences(tx, apps).await
}

type Query<'q> = sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>;

/// Binds the columns «Өзгерту» may change, in table order: phone, extra_phone, email, address,
/// language, benefit_kind, benefit_verification, benefit_proofs, tier.
fn bind_editable<'q>(q: Query<'q>, a: &'q Application) -> Query<'q> {
    let benefit = a.benefit.as_ref();
    q.bind(a.contacts.phone.as_str())
        .bind(a.contacts.extra_phone.as_ref().map(|p| p.as_str().to_string()))
        .bind(a.contacts.email.as_ref().map(|e| e.as_str().to_string()))
        .bind(&a.address)
        .bind(a.language.code())
        .bind(benefit.map(|b| b.kind.code()))
        .bind(benefit.map(|b| b.verification.code()))
        .bind(benefit.map(|b| json_list(&b.proofs)))
        .bind(a.tier().code())
}

/// The district of the first preferred kindergarten (kept on the application for filters).
pub(crate) async fn first_preference_district(tx: &mut SqliteConnection, a: &Application) -> Result<String, ApplyError> {
    let first = a.preferences.first().ok_or(ApplyError::Rule(command::RuleError::NoPreferences))?;
    sqlx::query_scalar("SELECT district FROM kindergartens WHERE id = ?").bind(first.to_string()).fetch_optional(&mut *tx).await?.ok_or(ApplyError::NotFound("kindergarten"))
}

/// Replaces the applications' preferences; an unknown kindergarten is NotFound.
async fn write_preferences(tx: &mut SqliteConnection, apps: &[&Application]) -> Result<(), ApplyError> {
    let ids = serde_json::Value::from(apps.iter().map(|a| a.id.to_string()).collect::<Vec<_>>()).to_string();
    sqlx::query("DELETE FROM application_preferences WHERE application IN (SELECT value FROM json_each(?))").bind(&ids).execute(&mut *tx).await?;
    let prefs: Vec<serde_json::Value> =
        apps.iter().flat_map(|a| a.preferences.iter().enumerate().map(|(rank, k)| serde_json::json!([a.id.to_string(), rank, k.to_string()]))).collect();
    sqlx::query("INSERT INTO application_preferences (application, rank, kindergarten) SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?)")
        .bind(serde_json::Value::Array(prefs).to_string())
        .execute(&mut *tx)
        .await
        .map_err(|e| match e {
            sqlx::Error::Database(d) if d.is_foreign_key_violation() => ApplyError::NotFound("kindergarten"),
            other => other.into(),
        })?;
    Ok(())
}

async fn edit_application(tx: &mut SqliteConnection, id: ApplicationId, changes: &command::ApplicationChanges, fields: Option<&[command::EditedField]>) -> Result<(), ApplyError> {
    let current = crate::applications::load(tx, id).await?.ok_or(ApplyError::NotFound("application"))?;
    let max = max_preferences(tx).await?;
    let a = command::edit_fields(&current, changes, fields, max)?;
    let district = first_preference_district(tx, &a).await?;
    let q = sqlx::query(
        "UPDATE applications SET phone = ?, extra_phone = ?, email = ?, address = ?, language = ?, benefit_kind = ?,
             benefit_verification = ?, benefit_proofs = ?, tier = ?, district = ?
         WHERE id = ?",
    );
    bind_editable(q, &a).bind(district).bind(id.to_string()).execute(&mut *tx).await?;
    write_preferences(tx, &[&a]).await
}

/// A group's places already promised: open in the bulletin, or held by children coming with
/// a live referral.
async fn promised_places(tx: &mut SqliteConnection, group: GroupId) -> Result<u32, ApplyError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT (SELECT coalesce(sum(open), 0) FROM vacancies WHERE grp = ?1)
              + (SELECT count(*) FROM referrals WHERE grp = ?1 AND status IN ('issued', 'confirmed', 'extended'))",
    )
    .bind(group.to_string())
    .fetch_one(&mut *tx)
    .await?;
    Ok(n.max(0) as u32)
}

pub(crate) async fn transition(tx: &mut SqliteConnection, app: ApplicationId, ev: ApplicationEvent) -> Result<(), ApplyError> {
    let status: String =
        sqlx::query_scalar("SELECT status FROM applications WHERE id = ?").bind(app.to_string()).fetch_optional(&mut *tx).await?.ok_or(ApplyError::NotFound("application"))?;
    let from = crate::codec::code("status", &status, ApplicationStatus::from_code)?;
    let to = next_application_status(from, ev).map_err(command::RuleError::from)?;
    sqlx::query("UPDATE applications SET status = ? WHERE id = ?").bind(to.code()).bind(app.to_string()).execute(&mut *tx).await?;
    Ok(())
}
