//! The desk's application wizard: its draft, its proofs, and the submit that writes the
//! application with its number, its history entry, its outbox row and its SMS and e-mail
//! in one transaction. And benefit verification's list of pending claims.

use crate::apply::apply_in;
use crate::codec::{time, ts};
use crate::{Applied, ApplyError, Store, StoreError};
use baqsha_api::{BenefitCase, ProofInfo};
use baqsha_core::codes::{self, CodePolicy, Notification};
use baqsha_core::command::{self, Command, CommandKind, ContactConfirmation, RuleError};
use baqsha_core::proof::ProofPolicy;
use baqsha_core::roles::{authorize, Operator};
use baqsha_core::*;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sqlx::Row;

/// What a successful submit gives back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    pub number: String,
    /// The messages queued with it (SMS, e-mail), to follow their delivery.
    pub messages: Vec<uuid::Uuid>,
}

impl Store {
    /// Keeps what the person registry answered for `iin` (desk-local; a day at most).
    pub async fn remember_lookup(&self, iin: &str, surname: &str, given_name: &str, patronymic: Option<&str>, at: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM person_lookups WHERE at < ?").bind(crate::codec::ts(at - chrono::Duration::days(1))).execute(&self.pool).await?;
        sqlx::query(
            "INSERT INTO person_lookups (iin, surname, given_name, patronymic, at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT(iin) DO UPDATE SET surname = excluded.surname, given_name = excluded.given_name, patronymic = excluded.patronymic, at = excluded.at",
        )
        .bind(iin)
        .bind(surname)
        .bind(given_name)
        .bind(patronymic)
        .bind(crate::codec::ts(at))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The registry's names for `iin` if this desk looked it up within a day of `now`.
    pub async fn looked_up(&self, iin: &str, now: DateTime<Utc>) -> Result<Option<(String, String, Option<String>)>, StoreError> {
        Ok(sqlx::query_as("SELECT surname, given_name, patronymic FROM person_lookups WHERE iin = ? AND at >= ?")
            .bind(iin)
            .bind(crate::codec::ts(now - chrono::Duration::days(1)))
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Keeps a proof (already checked by `core::proof`), once per content.
    pub async fn save_proof(&self, name: &str, bytes: &[u8], at: DateTime<Utc>) -> Result<ProofInfo, StoreError> {
        let id: String = Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect();
        sqlx::query("INSERT INTO proofs (id, name, size, bytes, added_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING")
            .bind(&id)
            .bind(name)
            .bind(bytes.len() as i64)
            .bind(bytes)
            .bind(ts(at))
            .execute(&self.pool)
            .await?;
        Ok(ProofInfo { id, name: name.to_string(), size: bytes.len() as u64 })
    }

    /// Forgets proofs added before `before` that no application names and no draft holds
    /// (a wizard abandoned after «Шолу»). Returns how many went.
    pub async fn sweep_proofs(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let done = sqlx::query(
            "DELETE FROM proofs WHERE added_at < ?1
               AND id NOT IN (SELECT j.value FROM applications a, json_each(a.benefit_proofs) j WHERE a.benefit_proofs IS NOT NULL)
               AND NOT EXISTS (SELECT 1 FROM drafts d WHERE instr(d.body, proofs.id) > 0)",
        )
        .bind(ts(before))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    pub async fn proof(&self, id: &str) -> Result<Vec<u8>, StoreError> {
        sqlx::query_scalar("SELECT bytes FROM proofs WHERE id = ?").bind(id).fetch_optional(&self.pool).await?.ok_or(StoreError::NotFound("proof"))
    }

    async fn proof_infos(&self, ids: &[String]) -> Result<Vec<ProofInfo>, StoreError> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let r = sqlx::query("SELECT name, size FROM proofs WHERE id = ?").bind(id).fetch_optional(&self.pool).await?;
            out.push(match r {
                Some(r) => ProofInfo { id: id.clone(), name: r.try_get("name")?, size: r.try_get::<i64, _>("size")? as u64 },
                // Imported claims name proofs this office never received.
                None => ProofInfo { id: id.clone(), name: id.clone(), size: 0 },
            });
        }
        Ok(out)
    }

    pub async fn save_draft(&self, operator: OperatorId, body: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO drafts (operator, body, updated_at) VALUES (?, ?, ?)
             ON CONFLICT(operator) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
        )
        .bind(operator.to_string())
        .bind(body)
        .bind(ts(at))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The operator's draft and when it was last saved.
    pub async fn draft(&self, operator: OperatorId) -> Result<Option<(String, DateTime<Utc>)>, StoreError> {
        let r = sqlx::query("SELECT body, updated_at FROM drafts WHERE operator = ?").bind(operator.to_string()).fetch_optional(&self.pool).await?;
        r.map(|r| Ok((r.try_get("body")?, time(&r.try_get::<String, _>("updated_at")?)?))).transpose()
    }

    pub async fn discard_draft(&self, operator: OperatorId) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM drafts WHERE operator = ?").bind(operator.to_string()).execute(&self.pool).await?;
        Ok(())
    }

    /// «Өтінішті жіберу». `cmd` registers an application whose number is left empty: the
    /// number is given here, under the writer lock, as the next of `prefix`-year. Checks
    /// that each contact was confirmed by a code (unless confirmed in person), that the proofs
    /// are here, then writes the application, its history, its outbox row, the messages made by
    /// `notify(number)`, and forgets the used codes and the operator's draft, all at once.
    pub async fn submit(&self, op: &Operator, mut cmd: Command, prefix: &str, notify: impl FnOnce(&str) -> Vec<Notification>) -> Result<Submitted, ApplyError> {
        authorize(op, &cmd.kind)?;
        let CommandKind::RegisterApplication { application, confirmation: Some(confirmation) } = &mut cmd.kind else {
            return Err(ApplyError::NotFound("application"));
        };
        command::check_submission(application, confirmation, ProofPolicy::default().max_count)?;
        let targets = command::contact_targets(&application.contacts);
        let _writer = self.writer.lock().await;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        if *confirmation == ContactConfirmation::Codes {
            codes_confirmed(&mut tx, &targets, cmd.at).await?;
        }
        let proofs = application.benefit.as_ref().map(|b| b.proofs.clone()).unwrap_or_default();
        proofs_kept(&mut tx, &proofs).await?;
        let year = command::desk_date(cmd.at).format("%Y").to_string();
        application.number = next_number(&mut tx, prefix, &year).await?;
        let number = application.number.clone();
        apply_in(&mut tx, &cmd, &mut None).await?;
        let mut messages = vec![];
        for n in notify(&number) {
            messages.push(crate::messages::insert_message(&mut tx, &n, cmd.at).await?);
        }
        forget_codes(&mut tx, &targets).await?;
        sqlx::query("DELETE FROM drafts WHERE operator = ?").bind(op.id.to_string()).execute(&mut *tx).await?;
        tx.commit().await?;
        self.wrote_outbox();
        Ok(Submitted { number, messages })
    }

    /// «Өзгерту» taken at the desk: as `apply`, and first what the wizard asks of a new
    /// application — each phone or e-mail the application did not have is confirmed (its
    /// code, or the parent's document), a new benefit's proofs are here — all under the
    /// writer lock; the used codes are forgotten with the edit.
    pub async fn edit(&self, op: &Operator, cmd: &Command) -> Result<Applied, ApplyError> {
        authorize(op, &cmd.kind)?;
        let CommandKind::EditApplication { application, changes, confirmation, fields } = &cmd.kind else {
            return Err(ApplyError::NotFound("application"));
        };
        let _writer = self.writer.lock().await;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let before = crate::applications::load(&mut tx, *application).await?.ok_or(ApplyError::NotFound("application"))?;
        let changes = &command::changes_of(&before, changes, fields.as_deref());
        let targets = command::check_edit(&before, changes, confirmation.as_ref(), ProofPolicy::default().max_count)?;
        codes_confirmed(&mut tx, &targets, cmd.at).await?;
        proofs_kept(&mut tx, &changes.proofs).await?;
        let applied = apply_in(&mut tx, cmd, &mut None).await?;
        forget_codes(&mut tx, &targets).await?;
        tx.commit().await?;
        self.wrote_outbox();
        Ok(applied)
    }

    /// Benefit claims waiting for a decision, oldest registration first; `find`: only the
    /// application with this number or child's IIN.
    pub async fn pending_benefits(&self, find: Option<&str>, limit: u32) -> Result<Vec<BenefitCase>, StoreError> {
        let find = find.map(str::trim).filter(|f| !f.is_empty());
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM applications WHERE benefit_verification = 'pending' AND status = 'queued'
               AND (?1 IS NULL OR number = ?1 OR child_iin = ?1)
             ORDER BY registered_at LIMIT ?2",
        )
        .bind(find)
        .bind(limit as i64)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let a = self.application(ApplicationId(crate::codec::uuid(&id)?)).await?;
            let proofs = self.proof_infos(a.benefit.as_ref().map(|b| b.proofs.as_slice()).unwrap_or_default()).await?;
            out.push(BenefitCase { application: a, proofs });
        }
        Ok(out)
    }
}

/// Each of `targets` confirmed by a code still in force at `at`.
async fn codes_confirmed(tx: &mut sqlx::SqliteConnection, targets: &[String], at: DateTime<Utc>) -> Result<(), ApplyError> {
    for t in targets {
        let record = crate::messages::code_record_in(tx, t).await?;
        if !record.is_some_and(|r| codes::confirms(&r, at, &CodePolicy::default())) {
            return Err(RuleError::ContactNotConfirmed { target: t.clone() }.into());
        }
    }
    Ok(())
}

/// Each proof named was kept by `AddProof` on this desk.
async fn proofs_kept(tx: &mut sqlx::SqliteConnection, proofs: &[String]) -> Result<(), ApplyError> {
    for p in proofs {
        let known: bool = sqlx::query_scalar("SELECT count(*) > 0 FROM proofs WHERE id = ?").bind(p).fetch_one(&mut *tx).await?;
        if !known {
            return Err(ApplyError::NotFound("proof"));
        }
    }
    Ok(())
}

/// A code confirms once: used, it is gone.
async fn forget_codes(tx: &mut sqlx::SqliteConnection, targets: &[String]) -> Result<(), StoreError> {
    for t in targets {
        sqlx::query("DELETE FROM confirmation_codes WHERE target = ?").bind(t).execute(&mut *tx).await?;
    }
    Ok(())
}

/// The next number of a series: `VKO-2026-000123` after `VKO-2026-000122`. Reads the
/// highest through the unique index on `number`.
async fn next_number(tx: &mut sqlx::SqliteConnection, prefix: &str, year: &str) -> Result<String, StoreError> {
    next_in(tx, "applications", prefix, year).await
}

/// `table`: `applications` or `referrals` (a constant of this crate, never input).
pub(crate) async fn next_in(tx: &mut sqlx::SqliteConnection, table: &'static str, prefix: &str, year: &str) -> Result<String, StoreError> {
    let start = format!("{prefix}-{year}-");
    let end = format!("{prefix}-{year}.");
    let sql = format!("SELECT number FROM {table} WHERE number >= ? AND number < ? ORDER BY number DESC LIMIT 1");
    let last: Option<String> = sqlx::query_scalar(&sql).bind(&start).bind(&end).fetch_optional(&mut *tx).await?;
    let n = last.and_then(|l| l[start.len()..].parse::<u64>().ok()).unwrap_or(0) + 1;
    Ok(format!("{start}{n:06}"))
}

/// Benefit verification's effect: the core decides; tier and verification follow.
pub(crate) async fn decide_benefit(tx: &mut sqlx::SqliteConnection, id: ApplicationId, confirm: bool, reason: &str) -> Result<(), ApplyError> {
    let current = crate::applications::load(tx, id).await?.ok_or(ApplyError::NotFound("application"))?;
    let a = command::decide_benefit(&current, confirm, reason)?;
    sqlx::query("UPDATE applications SET benefit_verification = ?, tier = ? WHERE id = ?")
        .bind(a.benefit.as_ref().map(|b| b.verification.code()))
        .bind(a.tier().code())
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
    Ok(())
}
