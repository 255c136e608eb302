//! «Кезекке қою», the five-step wizard: «ТАӘ толтыру» from the person registry, confirmation
//! codes, benefit proofs, the draft, «Өтінішті жіберу»; and benefit verification.

use crate::{allowed, Office, OrApi};
use baqsha_api::*;
use baqsha_core::codes::{self, Channel, CodePolicy};
use baqsha_core::command::CommandKind;
use baqsha_core::proof::{self, ProofPolicy};
use baqsha_core::roles::{Operator, Read};
use baqsha_core::*;
use baqsha_persons::{LookupError, PersonRegistry};
use base64::Engine;
use std::sync::Arc;

/// The person registry: the gateway configured in the `person_registry` setting, else the
/// demo region's people on a demo database, else none (names are typed by hand).
async fn person_registry(office: &Office, setting: Option<String>, demo: bool, today: chrono::NaiveDate) -> Arc<dyn PersonRegistry> {
    let store = office.store();
    if let Some(text) = setting {
        let local = crate::gateways::local_allowed(store).await;
        match serde_json::from_str::<baqsha_persons::HttpConfig>(&text) {
            Ok(mut c) if crate::gateways::url_secure_enough(&c.url, local) => {
                // The token is kept as a secret (`secrets.rs`); one typed into the setting moves there.
                let typed = std::mem::take(&mut c.token);
                if !typed.is_empty() {
                    office.move_secret(store, "person_registry", "person_registry_token", &typed, &c).await;
                }
                c.token = office.secret("person_registry_token").unwrap_or_default();
                return Arc::new(baqsha_persons::Http::new(c));
            }
            Ok(_) => tracing::warn!("the person registry's address is not https: not used"),
            Err(e) => tracing::warn!("setting person_registry is not valid ({e}); no registry"),
        }
    }
    if demo {
        // The demo's people are those of the region generated on the seeding day.
        let seeded = store.meta("demo_today").await.ok().flatten().and_then(|d| d.parse().ok());
        let today = seeded.unwrap_or(today);
        let region = baqsha_demo::generate(baqsha_demo::Scale::Demo, baqsha_demo::DEMO_SEED, today);
        let people = baqsha_demo::registry_people(&region, today)
            .into_iter()
            .map(|p| (p.iin.clone(), baqsha_persons::Names { surname: p.surname, given_name: p.given_name, patronymic: p.patronymic }));
        return Arc::new(baqsha_persons::Memory::new(people));
    }
    Arc::new(baqsha_persons::Offline)
}

/// Where a code goes: a phone gets an SMS, an e-mail address a letter.
/// What is not a phone nor an address is refused by the rule it was meant for: an address
/// has an «@», anything else was meant as a phone.
fn channel_of(target: &str) -> Result<(Channel, String), ApiError> {
    if target.contains('@') {
        return Email::parse(target).map(|e| (Channel::Email, e.as_str().to_string())).map_err(|error| ApiError::Email { error });
    }
    Phone::parse(target).map(|p| (Channel::Sms, p.as_str().to_string())).map_err(|error| ApiError::Phone { error })
}

/// The application as registered now: in the queue, its benefit pending verification, its
/// number given by the store within the submission.
fn registration(a: &NewApplication, id: ApplicationId, now: chrono::DateTime<chrono::Utc>) -> Application {
    Application {
        id,
        number: String::new(),
        child: a.child.clone(),
        parent: a.parent.clone(),
        contacts: a.contacts.clone(),
        address: a.address.trim().to_string(),
        preferences: a.preferences.clone(),
        language: a.language,
        benefit: a.benefit.as_ref().map(|(kind, proofs)| BenefitClaim { kind: *kind, verification: Verification::Pending, proofs: proofs.clone() }),
        consent: a.consent,
        registered_at: now,
        status: ApplicationStatus::Queued,
    }
}

impl Office {
    async fn persons(&self) -> Arc<dyn PersonRegistry> {
        if let Some(given) = &self.inner.persons_given {
            return given.clone();
        }
        let store = self.store();
        let setting = store.setting("person_registry").await.ok().flatten();
        let demo = store.meta("demo").await.ok().flatten().as_deref() == Some("1");
        let made_from = format!("{demo}\n{}", setting.as_deref().unwrap_or_default());
        let mut kept = self.inner.persons.lock().await;
        if let Some((_, registry)) = kept.as_ref().filter(|(from, _)| *from == made_from) {
            return registry.clone();
        }
        let registry = person_registry(self, setting, demo, self.today()).await;
        *kept = Some((made_from, registry.clone()));
        registry
    }

    /// The series applications and referrals are numbered in (`VKO-2026-000123`,
    /// `VKO-ZH-2026-000045`): the office's prefix; a demo seeded before the prefix was
    /// recorded continues the demo's series; `BQ` where none was ever set.
    pub(crate) async fn number_prefix(&self) -> Result<String, ApiError> {
        match self.store().meta("number_prefix").await.or_api("number prefix")? {
            Some(p) => Ok(p),
            None if self.is_demo().await? => Ok("VKO".into()),
            None => Ok("BQ".into()),
        }
    }

    /// «ТАӘ толтыру»: names from the registry. Birth date and sex the screen reads from the IIN.
    pub async fn lookup_person(&self, op: &Operator, iin: &str) -> Result<PersonLookup, ApiError> {
        allowed(op, Read::Registration)?;
        let iin = Iin::parse(iin).map_err(|error| ApiError::Iin { error })?;
        let registry = self.persons().await;
        Ok(match registry.find(&iin).await {
            Ok(Some(n)) => {
                self.remember_lookup(&iin, &n).await;
                PersonLookup::Found { surname: n.surname, given_name: n.given_name, patronymic: n.patronymic }
            }
            Ok(None) => PersonLookup::NotFound,
            Err(LookupError::Unreachable(why) | LookupError::Refused(why)) => {
                tracing::warn!("person registry: {why}");
                PersonLookup::Unavailable
            }
        })
    }

    async fn remember_lookup(&self, iin: &Iin, n: &baqsha_persons::Names) {
        if let Err(e) = self.store().remember_lookup(iin.as_str(), &n.surname, &n.given_name, n.patronymic.as_deref(), self.now()).await {
            tracing::error!("keeping a registry answer: {e}");
        }
    }

    /// The person as submitted, «verified» only when the registry gave these very names at
    /// this desk (within a day).
    async fn as_looked_up(&self, p: &Person) -> Person {
        let given = (p.surname.trim(), p.given_name.trim(), p.patronymic.as_deref().map(str::trim).filter(|s| !s.is_empty()));
        let verified = match self.store().looked_up(p.iin.as_str(), self.now()).await {
            Ok(Some((surname, given_name, patronymic))) => (surname.as_str(), given_name.as_str(), patronymic.as_deref()) == given,
            Ok(None) => false,
            Err(e) => {
                tracing::error!("reading a registry answer: {e}");
                false
            }
        };
        Person { verified, ..p.clone() }
    }

    /// «Растау кодын SMS арқылы жіберу» / «… E-MAIL-ге жіберу»: a new code, queued and sent now.
    pub async fn send_code(&self, op: &Operator, target: &str) -> Result<CodeSent, ApiError> {
        allowed(op, Read::Registration)?;
        let store = self.store();
        let (channel, target) = channel_of(target)?;
        let policy = CodePolicy::default();
        let now = self.now();
        let mut random = [0u8; 12];
        self.random(&mut random)?;
        let salt: String = random[4..].iter().map(|b| format!("{b:02x}")).collect();
        let number = u32::from_le_bytes([random[0], random[1], random[2], random[3]]);
        let issued = store
            .with_code(&target, |last| match codes::issue(&target, last, now, number, &salt, &policy) {
                Ok((record, code)) => (Some(record), Ok(code)),
                Err(error) => (None, Err(ApiError::Code { error })),
            })
            .await
            .or_api("code")?;
        let code = issued?;
        let lang = crate::texts::office(crate::ui_language(store).await.ok().flatten());
        let message = crate::texts::code(channel, &target, &code, lang);
        let id = store.queue_message(&message, now).await.or_api("queue code")?;
        self.deliver_now(&[id]).await;
        let delivered = self.messages_among(&[id]).await?.iter().any(|m| m.sent_at.is_some());
        Ok(CodeSent { resend_after: policy.resend_after.num_seconds() as u32, delivered })
    }

    /// «Растау коды»: checks a typed code; the try is counted either way.
    pub async fn confirm_code(&self, op: &Operator, target: &str, code: &str) -> Result<(), ApiError> {
        allowed(op, Read::Registration)?;
        let store = self.store();
        let (_, target) = channel_of(target)?;
        let now = self.now();
        let verdict = store
            .with_code(&target, |record| match record {
                None => (None, Err(codes::CodeError::NotSent)),
                Some(record) => {
                    let (record, verdict) = codes::check(record, code, now, &CodePolicy::default());
                    (Some(record), verdict)
                }
            })
            .await
            .or_api("code")?;
        verdict.map_err(|error| ApiError::Code { error })
    }

    /// «Шолу»: one JPEG proof (base64), checked by its bytes, kept in the database.
    /// How many an application carries is counted at «Өтінішті жіберу» from the proofs it
    /// names, not from a number the screen sends.
    pub async fn add_proof(&self, op: &Operator, name: &str, data: &str) -> Result<ProofInfo, ApiError> {
        allowed(op, Read::Registration)?;
        let policy = ProofPolicy::default();
        // Refuse by size before decoding: base64 is 4/3 of the bytes.
        let approx = data.len() as u64 / 4 * 3;
        if approx > policy.max_bytes + 3 {
            return Err(ApiError::Proof { proof: proof::ProofError::TooLarge { size: approx, max: policy.max_bytes } });
        }
        let bytes = base64::engine::general_purpose::STANDARD.decode(data.as_bytes()).map_err(|_| ApiError::InvalidInput { field: "proof".into() })?;
        proof::check(bytes.len() as u64, &bytes[..bytes.len().min(16)], &policy).map_err(|proof| ApiError::Proof { proof })?;
        let name: String = name.chars().filter(|c| !c.is_control()).take(120).collect();
        self.store().save_proof(&name, &bytes, self.now()).await.or_api("proof")
    }

    /// A proof's bytes, base64, to show it: to whoever registers or verifies benefits.
    pub async fn proof_image(&self, op: &Operator, id: &str) -> Result<String, ApiError> {
        allowed(op, Read::BenefitClaims)?;
        let bytes = self.store().proof(id).await.or_api("proof")?;
        Ok(base64::engine::general_purpose::STANDARD.encode(bytes))
    }

    /// The operator's own draft of the wizard; local to this desk, never synced.
    pub async fn save_draft(&self, op: &Operator, body: &serde_json::Value) -> Result<(), ApiError> {
        allowed(op, Read::Registration)?;
        self.store().save_draft(op.id, &body.to_string(), self.now()).await.or_api("draft")
    }

    /// The draft; one that no longer reads as JSON is dropped (the wizard starts empty
    /// rather than failing).
    pub async fn load_draft(&self, op: &Operator) -> Result<Option<Draft<serde_json::Value>>, ApiError> {
        allowed(op, Read::Registration)?;
        let d = self.store().draft(op.id).await.or_api("draft")?;
        Ok(d.and_then(|(body, saved_at)| match serde_json::from_str(&body) {
            Ok(body) => Some(Draft { body, saved_at }),
            Err(e) => {
                tracing::warn!("unreadable draft dropped: {e}");
                None
            }
        }))
    }

    pub async fn discard_draft(&self, op: &Operator) -> Result<(), ApiError> {
        self.store().discard_draft(op.id).await.or_api("draft")
    }

    /// «Өтінішті жіберу»: registers the application at the desk's time, then tries its
    /// messages at once; a message a gateway refuses waits in the queue and is retried.
    pub async fn submit_application(&self, op: &Operator, a: &NewApplication) -> Result<SubmitOutcome, ApiError> {
        let now = self.now();
        let mut full = registration(a, ApplicationId(self.inner.ids.id()), now);
        full.child = self.as_looked_up(&a.child).await;
        full.parent = self.as_looked_up(&a.parent).await;
        let cmd = self.command(op, CommandKind::RegisterApplication { application: Box::new(full), confirmation: Some(a.confirmation.clone()) });
        let prefix = self.number_prefix().await?;
        let submitted = self.store().submit(op, cmd, &prefix, |number| crate::texts::registered(a, number)).await.or_api("submit")?;
        tracing::info!("application {} registered by {}", submitted.number, op.login);
        self.deliver_now(&submitted.messages).await;
        let messages = self.messages_among(&submitted.messages).await?;
        Ok(SubmitOutcome { number: submitted.number, messages })
    }

    /// Benefit verification: claims waiting for a decision.
    pub async fn pending_benefits(&self, op: &Operator, find: Option<&str>) -> Result<Vec<BenefitCase>, ApiError> {
        allowed(op, Read::BenefitClaims)?;
        self.store().pending_benefits(find, 200).await.or_api("pending benefits")
    }

    /// Confirms a claim, or rejects it with a reason.
    pub async fn decide_benefit(&self, op: &Operator, id: ApplicationId, confirm: bool, reason: &str) -> Result<(), ApiError> {
        let kind = if confirm { CommandKind::ConfirmBenefit { application: id } } else { CommandKind::RejectBenefit { application: id, reason: reason.trim().to_string() } };
        let cmd = self.command(op, kind);
        self.store().apply(op, &cmd).await.or_api("benefit decision")?;
        tracing::info!("benefit of {id} {} by {}", if confirm { "confirmed" } else { "rejected" }, op.login);
        // A confirmed benefit moves the application up: offers may change.
        self.after_change();
        Ok(())
    }
}
