//! «Жолдама алу» and what follows: the places an application may take, the referral, its
//! extension, refusal and admission, finding one by number or seal, and its certificate.

use crate::sync::RegionWord;
use crate::{allowed, Office, OrApi};
use baqsha_api::*;
use baqsha_core::command::{CommandKind, ReferralRef};
use baqsha_core::roles::{Operator, Read};
use baqsha_core::{ApplicationId, ReferralId};
use baqsha_sync::{Adjustment, Decision};

impl Office {
    /// The places this application may take now (empty when its turn has not come). A desk
    /// of a region with the line down offers only its office's leased places.
    pub async fn place_choices(&self, op: &Operator, application: ApplicationId) -> Result<Vec<PlaceChoice>, ApiError> {
        allowed(op, Read::Registration)?;
        if self.offline().await? {
            return self.store().lease_choices(application, self.now()).await.or_api("lease choices");
        }
        self.store().choices(application, self.today()).await.or_api("choices")
    }

    /// «ТАҢДАУДЫ РАСТАУ» → «Жолдама алу»: the referral with its number; its SMS tried at once.
    /// At a desk of a region the region's server decides (the screen waits a few seconds):
    /// confirmed, it has the server's number and deadlines and the server sends the SMS;
    /// refused, it is undone here and the reason comes back as the error; no answer in time,
    /// it waits at the desk to be sent.
    pub async fn take_referral(&self, op: &Operator, request: &baqsha_api::calls::TakeReferral) -> Result<ReferralTaken, ApiError> {
        let prefix = self.number_prefix().await?;
        let joined = self.store().region_link().await.or_api("region link")?.is_some();
        let command = self.inner.ids.id();
        // The region's server tells the parent what it decided, once: a desk of a region
        // queues no message of its own.
        let texts = |v: &ReferralView| if joined { vec![] } else { crate::texts::referral(v) };
        let (view, ids) =
            self.store().take_referral(op, request, (command, ReferralId(self.inner.ids.id())), self.device(), self.now(), &prefix, texts).await.or_api("take referral")?;
        tracing::info!("referral {} taken for {} by {}", view.referral.number, view.application_number, op.login);
        self.deliver_now(&ids).await;
        let messages = self.messages_among(&ids).await?;
        self.after_change();
        if !joined {
            return Ok(ReferralTaken { referral: view, messages, region: RegionAnswer::Alone });
        }
        match self.region_decision(command, crate::sync::DECISION_WAIT).await? {
            RegionWord::Refused { reason, .. } => {
                tracing::info!("the region refused referral {}: {reason:?}", view.referral.number);
                Err(ApiError::RegionRefused { reason })
            }
            RegionWord::NoAnswer => Ok(ReferralTaken { referral: view, messages, region: RegionAnswer::Waiting }),
            RegionWord::Taken(decision) => {
                let view = self.region_referral(&decision, view).await?;
                Ok(ReferralTaken { referral: view, messages, region: RegionAnswer::Confirmed })
            }
        }
    }

    /// The referral as the region decided it, once the pull that follows the push has
    /// written it here (a moment later); until then the desk's own view with the server's
    /// number and deadlines.
    async fn region_referral(&self, decision: &Decision, mut view: ReferralView) -> Result<ReferralView, ApiError> {
        let decided = match decision {
            Decision::Changed { changes } => changes.iter().find_map(|a| match a {
                Adjustment::Referral { referral } => Some(referral.as_ref().clone()),
                _ => None,
            }),
            _ => None,
        };
        let Some(decided) = decided else { return Ok(view) };
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(2);
        while tokio::time::Instant::now() < deadline {
            if let Some(v) = self.store().referral_by_number(&decided.number).await.or_api("referral")? {
                return Ok(v);
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        view.referral = decided;
        Ok(view)
    }

    /// The application's newest referral, for «Кезекті тексеру».
    pub async fn referral_of(&self, op: &Operator, application: ApplicationId) -> Result<Option<ReferralView>, ApiError> {
        let found = self.store().referral_of(application).await.or_api("referral")?;
        if let Some(v) = &found {
            allowed(op, Read::Referral { kindergarten: v.referral.kindergarten })?;
        }
        Ok(found)
    }

    /// A referral by its number, as `op` may read it: numbers are sequential and the view
    /// holds the child's IIN, so staff get their own kindergarten's only.
    pub async fn referral_by_number(&self, op: &Operator, number: &str) -> Result<Option<ReferralView>, ApiError> {
        let found = self.store().referral_by_number(number).await.or_api("referral")?;
        if let Some(v) = &found {
            allowed(op, Read::Referral { kindergarten: v.referral.kindergarten })?;
        }
        Ok(found)
    }

    /// Admission: a referral by its number, or by the text of its QR seal.
    pub async fn find_referral(&self, op: &Operator, text: &str) -> Result<Option<ReferralView>, ApiError> {
        let text = text.trim();
        let number = if text.contains(";sig=") {
            match self.check_seal(op, text, None).await? {
                ReferralCheck::Valid { number, .. } => number,
                // A seal that is not ours or was altered names no referral here.
                _ => return Err(ApiError::InvalidInput { field: "seal".into() }),
            }
        } else {
            text.to_uppercase()
        };
        self.referral_by_number(op, &number).await
    }

    /// Extends, refuses or admits a referral; the place follows at once.
    pub async fn referral_action(&self, op: &Operator, referral: ReferralRef, action: ReferralAction) -> Result<ReferralView, ApiError> {
        let kind = match action {
            ReferralAction::Extend { until } => {
                crate::in_reach(&[until])?;
                CommandKind::ExtendReferral { referral, until }
            }
            ReferralAction::Refuse { reason } => CommandKind::RefuseReferral { referral, reason: reason.trim().to_string() },
            ReferralAction::Admit { documents } => CommandKind::AdmitReferral { referral, documents },
        };
        let code = kind.code();
        let cmd = self.command(op, kind);
        self.store().apply(op, &cmd).await.or_api(code)?;
        tracing::info!("{code} of referral {} by {}", referral.id, op.login);
        self.after_change();
        self.referral_of(op, referral.application).await?.ok_or(ApiError::NotFound)
    }

    /// Expires the referrals whose last day has passed; the office's own job.
    pub(crate) async fn expire_referrals(&self) {
        let system = crate::system();
        let due = match self.store().referrals_due(self.today()).await {
            Ok(due) => due,
            Err(e) => {
                tracing::error!("reading referrals due: {e}");
                return;
            }
        };
        for r in due {
            let cmd = self.command(&system, CommandKind::ExpireReferral { referral: ReferralRef::of(&r) });
            match self.store().apply(&system, &cmd).await {
                Ok(_) => tracing::info!("referral {} expired (valid until {})", r.number, r.valid_until),
                Err(e) => tracing::warn!("expiring referral {}: {e}", r.number),
            }
        }
    }
}
