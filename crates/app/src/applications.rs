//! «Кезекті тексеру» and what follows from it: a child's applications, «Өзгерту»,
//! «Қайтарып алу»; «Өтініштер кезегі»; «Жіберілген хабарламалар».

use crate::{allowed, Office, OrApi};
use baqsha_api::*;
use baqsha_core::command::{self, ApplicationChanges, CommandKind, ContactConfirmation};
use baqsha_core::roles::{Operator, Read};
use baqsha_core::{ApplicationId, Iin};

impl Office {
    /// Every application of the child with this IIN, newest first, that `op` may read. Staff
    /// see the applications naming their kindergarten; one that names none of theirs is
    /// refused, not hidden, so "not in the queue" is never said of a child who is.
    pub async fn check_queue(&self, op: &Operator, iin: &str) -> Result<Vec<ApplicationView>, ApiError> {
        let iin = Iin::parse(iin).map_err(|error| ApiError::Iin { error })?;
        let store = self.store();
        let all = store.applications_of_child(&iin).await.or_api("applications of a child")?;
        let mut out = vec![];
        let mut refused = None;
        for a in all {
            match allowed(op, Read::Application { naming: &a.preferences }) {
                Ok(()) => out.push(store.application_view(a, &Default::default()).await.or_api("application view")?),
                Err(e) => refused = Some(e),
            }
        }
        // Some readable: those are the answer; none readable but some there: the refusal.
        match refused {
            Some(e) if out.is_empty() => Err(e),
            _ => Ok(out),
        }
    }

    /// One application as «Кезекті тексеру» shows it, if `op` may read it.
    pub async fn application(&self, op: &Operator, id: ApplicationId) -> Result<ApplicationView, ApiError> {
        let a = self.store().application(id).await.or_api("application")?;
        allowed(op, Read::Application { naming: &a.preferences })?;
        self.store().application_view(a, &Default::default()).await.or_api("application view")
    }

    /// «Қайтарып алу»: withdraws an application with its reason.
    pub async fn withdraw_application(&self, op: &Operator, id: ApplicationId, reason: &str) -> Result<ApplicationView, ApiError> {
        let cmd = self.command(op, CommandKind::WithdrawApplication { application: id, reason: reason.trim().to_string() });
        self.store().apply(op, &cmd).await.or_api("withdraw")?;
        tracing::info!("application {id} withdrawn by {}", op.login);
        // A referred application's live referral was refused with it: its place returns.
        self.after_change();
        self.application(op, id).await
    }

    /// «Өзгерту»: contacts, address, preferences, language, benefit. A phone or e-mail the
    /// application did not have comes with its `confirmation`, a new benefit with its proofs.
    pub async fn edit_application(
        &self,
        op: &Operator,
        id: ApplicationId,
        changes: ApplicationChanges,
        confirmation: Option<ContactConfirmation>,
    ) -> Result<ApplicationView, ApiError> {
        // What the operator changed of what this desk shows: the region applies only that, over
        // whatever it holds newer of the rest.
        let shown = self.store().application(id).await.or_api("application")?;
        let fields = command::edit_application(&shown, &changes, usize::MAX).ok().map(|after| command::edited_fields(&shown, &after));
        let cmd = self.command(op, CommandKind::EditApplication { application: id, changes: Box::new(changes), confirmation, fields });
        self.store().edit(op, &cmd).await.or_api("edit")?;
        tracing::info!("application {id} changed by {}", op.login);
        self.after_change();
        self.application(op, id).await
    }

    /// «Өтініштер кезегі»: one page of a category's public queue (initials, masked IIN).
    pub async fn queue_page(&self, _op: &Operator, query: &QueueQuery) -> Result<QueuePage, ApiError> {
        self.store().queue_page(query, &Default::default()).await.or_api("queue page")
    }

    /// «Өтініштер кезегі» by an application's number (as printed, any letter case): its
    /// category and position; None for a number no application has, or one that left the queue.
    /// The public queue shows every number already, so any signed-in role may ask.
    pub async fn find_in_queue(&self, _op: &Operator, number: &str) -> Result<Option<QueueSpot>, ApiError> {
        let store = self.store();
        let a = match store.application_by_number(&number.trim().to_uppercase()).await {
            Ok(a) => a,
            Err(baqsha_store::StoreError::NotFound(_)) => return Ok(None),
            Err(e) => return Err(e).or_api("application by number"),
        };
        let at = store.position(&a, &Default::default()).await.or_api("queue position")?;
        Ok(at.map(|x| QueueSpot { category: baqsha_core::Category::of(a.child.birth_date()).0, position: x.position }))
    }

    /// «Жіберілген хабарламалар»: the newest 200 messages, sent or waiting.
    pub async fn sent_messages(&self, op: &Operator) -> Result<Vec<SentMessage>, ApiError> {
        allowed(op, Read::Messages)?;
        let list = self.store().recent_messages(200).await.or_api("messages")?;
        // The demo has no parent's phone: its codes are read here, and it says so.
        let demo = self.is_demo().await?;
        Ok(list.into_iter().map(sent_message).map(|m| if m.secret && !demo { hide_code(m) } else { m }).collect())
    }

    /// «Қазір жіберу»: tries the waiting messages now instead of at the next round.
    pub async fn send_messages_now(&self, op: &Operator) -> Result<(), ApiError> {
        allowed(op, Read::Messages)?;
        self.store().retry_messages_now().await.or_api("messages")?;
        self.deliver_pending().await;
        Ok(())
    }

    /// The messages `ids` as they stand after a delivery attempt.
    pub(crate) async fn messages_among(&self, ids: &[uuid::Uuid]) -> Result<Vec<SentMessage>, ApiError> {
        let recent = self.store().recent_messages(50).await.or_api("messages")?;
        Ok(recent.into_iter().filter(|m| ids.contains(&m.id)).map(sent_message).collect())
    }
}

pub fn sent_message(m: baqsha_store::StoredMessage) -> SentMessage {
    SentMessage {
        id: m.id,
        channel: m.notification.channel,
        recipient: m.notification.recipient,
        subject: m.notification.subject,
        body: m.notification.body,
        queued_at: m.queued_at,
        sent_at: m.sent_at,
        via: m.via,
        attempts: m.attempts,
        last_error: m.last_error,
        secret: m.notification.secret,
        gave_up: m.gave_up,
    }
}

fn hide_code(m: SentMessage) -> SentMessage {
    SentMessage { recipient: baqsha_core::codes::masked_recipient(m.channel, &m.recipient), subject: None, body: String::new(), ..m }
}
