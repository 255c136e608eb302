//! What the server tells parents about what it decided — a place offered, a referral
//! issued, a referral expired — queued in the decision's own transaction under a key naming what it is about,
//! so a decision kept is told exactly once, and sent through the notifications port.

use crate::{Server, ServerError};
use baqsha_core::codes::{Channel, Notification};
use baqsha_core::{Application, Kindergarten, KindergartenId, Referral};
use baqsha_i18n::{PlaceSms, PlaceTexts};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

async fn kindergarten(tx: &mut PgConnection, id: KindergartenId) -> Result<Kindergarten, ServerError> {
    let body: String = sqlx::query_scalar("SELECT body::text FROM kindergartens WHERE id = $1").bind(id.0).fetch_one(&mut *tx).await?;
    crate::decode("kindergarten", &body)
}

async fn queue(tx: &mut PgConnection, key: &str, n: &Notification, at: DateTime<Utc>) -> Result<(), ServerError> {
    sqlx::query("INSERT INTO notifications (id, key, channel, recipient, subject, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (key) DO NOTHING")
        .bind(Uuid::now_v7())
        .bind(key)
        .bind(if n.channel == Channel::Email { "email" } else { "sms" })
        .bind(&n.recipient)
        .bind(&n.subject)
        .bind(&n.body)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

fn sms(to: &str, body: String) -> Notification {
    Notification { channel: Channel::Sms, recipient: to.to_string(), subject: None, body, secret: false }
}

/// What a parent is told of an offer: its key, the phone, and what the text needs.
pub(crate) struct OfferSms {
    key: String,
    phone: String,
    language: baqsha_core::Language,
    number: String,
    kindergarten: Uuid,
}

impl OfferSms {
    pub(crate) fn of(k: &crate::offers::Kept, respond_by: NaiveDate) -> OfferSms {
        let o = &k.offer;
        OfferSms {
            key: format!("offer:{}:{}:{}", o.application, o.vacancy, respond_by),
            phone: k.phone.clone(),
            language: k.language,
            number: o.number.clone(),
            kindergarten: o.kindergarten.0,
        }
    }
}

/// The round's messages made ready: «№ … өтінішке кезек келді …», each place offered and
/// the day to answer by. Plain work with no database, thousands at once: the round makes
/// them on a thread of their own while it writes its history.
pub(crate) struct OfferTexts {
    ids: Vec<Uuid>,
    keys: Vec<String>,
    recipients: Vec<String>,
    bodies: Vec<String>,
}

/// The kindergartens' names the messages quote.
pub(crate) async fn kindergarten_names(tx: &mut PgConnection, offers: &[OfferSms]) -> Result<std::collections::HashMap<Uuid, (String, String)>, ServerError> {
    let ks: Vec<Uuid> = offers.iter().map(|o| o.kindergarten).collect();
    Ok(sqlx::query_as::<_, (Uuid, String, String)>("SELECT id, body->>'name_kk', body->>'name_ru' FROM kindergartens WHERE id = ANY($1)")
        .bind(&ks)
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|(id, kk, ru)| (id, (kk, ru)))
        .collect())
}

pub(crate) fn offer_texts(offers: Vec<OfferSms>, names: &std::collections::HashMap<Uuid, (String, String)>, respond_by: NaiveDate) -> OfferTexts {
    let texts = PlaceTexts::default();
    let mut out = OfferTexts { ids: vec![], keys: vec![], recipients: vec![], bodies: vec![] };
    for o in offers {
        let (kk, ru) = names.get(&o.kindergarten).map(|(kk, ru)| (kk.as_str(), ru.as_str())).unwrap_or(("", ""));
        out.bodies.push(texts.sms(PlaceSms::Offer, o.language, &o.number, kk, ru, respond_by));
        out.ids.push(Uuid::now_v7());
        out.keys.push(o.key);
        out.recipients.push(o.phone);
    }
    out
}

/// Queues the round's messages, each once (`ON CONFLICT` on its key).
pub(crate) async fn queue_offers(tx: &mut PgConnection, t: &OfferTexts, at: DateTime<Utc>) -> Result<(), ServerError> {
    if t.ids.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO notifications (id, key, channel, recipient, body, created_at)
         SELECT i, k, 'sms', r, b, $5 FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS t(i, k, r, b) ON CONFLICT (key) DO NOTHING",
    )
    .bind(&t.ids)
    .bind(&t.keys)
    .bind(&t.recipients)
    .bind(&t.bodies)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The referral's number and its last day.
pub(crate) async fn referral(tx: &mut PgConnection, app: &Application, r: &Referral, at: DateTime<Utc>) -> Result<(), ServerError> {
    let k = kindergarten(tx, r.kindergarten).await?;
    let text = PlaceTexts::default().sms(PlaceSms::Referral, app.language, &r.number, &k.name_kk, &k.name_ru, r.valid_until);
    queue(tx, &format!("referral:{}", r.id), &sms(app.contacts.phone.as_str(), text), at).await
}

/// The referral was not used by its last day: the parent is told the place has gone on.
pub(crate) async fn expired(tx: &mut PgConnection, r: &Referral, at: DateTime<Utc>) -> Result<(), ServerError> {
    let body: Option<String> = sqlx::query_scalar("SELECT body::text FROM applications WHERE id = $1").bind(r.application.0).fetch_optional(&mut *tx).await?;
    let Some(body) = body else { return Ok(()) };
    let app: Application = crate::decode("application", &body)?;
    let k = kindergarten(tx, r.kindergarten).await?;
    let text = PlaceTexts::default().sms(PlaceSms::Expired, app.language, &r.number, &k.name_kk, &k.name_ru, baqsha_core::referral::last_day(r));
    queue(tx, &format!("expired:{}", r.id), &sms(app.contacts.phone.as_str(), text), at).await
}

/// What a sending pass did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Sent {
    pub sent: usize,
    pub failed: usize,
}

/// Messages given up on after this many tries (each failure is kept with its reason).
const MAX_ATTEMPTS: i32 = 20;

impl Server {
    /// Sends up to `limit` queued messages through `router`. Each is taken with its row
    /// locked and skipped by any other process sending at the same time, so it goes out once.
    pub async fn send_notifications(&self, router: &baqsha_notify::Router, limit: i64) -> Result<Sent, ServerError> {
        let mut done = Sent::default();
        let mut tx = self.pool.begin().await?;
        let rows: Vec<(Uuid, String, String, Option<String>, String)> = sqlx::query_as(
            "SELECT id, channel, recipient, subject, body FROM notifications WHERE sent_at IS NULL AND attempts < $1 ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED",
        )
        .bind(MAX_ATTEMPTS)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
        for (id, channel, recipient, subject, body) in rows {
            let n = Notification { channel: if channel == "email" { Channel::Email } else { Channel::Sms }, recipient, subject, body, secret: false };
            match router.send(&n).await {
                Ok(via) => {
                    sqlx::query("UPDATE notifications SET sent_at = $2, via = $3, attempts = attempts + 1 WHERE id = $1")
                        .bind(id)
                        .bind(self.clock.now())
                        .bind(via)
                        .execute(&mut *tx)
                        .await?;
                    done.sent += 1;
                }
                Err(e) => {
                    // A gateway that refuses the message will refuse it again: no more tries.
                    sqlx::query("UPDATE notifications SET attempts = CASE WHEN $3 THEN attempts + 1 ELSE $4 END, last_error = $2 WHERE id = $1")
                        .bind(id)
                        .bind(e.record())
                        .bind(e.is_temporary())
                        .bind(MAX_ATTEMPTS)
                        .execute(&mut *tx)
                        .await?;
                    done.failed += 1;
                }
            }
        }
        tx.commit().await?;
        Ok(done)
    }
}
