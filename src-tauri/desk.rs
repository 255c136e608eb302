//! The application wizard's commands: «ТАӘ толтыру», confirmation codes, proofs, the draft,
//! «Өтінішті жіберу»; and benefit verification. Thin: the core decides, the store keeps.

use crate::commands::{apply_error, store_error, Answer};
use crate::state::{internal, AppState};
use baqsha_api::*;
use baqsha_core::codes::{self, Channel, CodePolicy, Notification};
use baqsha_core::command::{self, Command, CommandKind};
use baqsha_core::proof::{self, ProofPolicy};
use baqsha_core::*;
use baqsha_i18n::{Arg, Lang, Translator};
use baqsha_persons::{LookupError, PersonRegistry};
use baqsha_store::Store;
use base64::Engine;
use std::sync::Arc;
use tauri::State;

/// The person registry: the gateway configured in the `person_registry` setting, else the
/// demo region's people on a demo database, else none (names are typed by hand).
pub async fn person_registry(store: &Store) -> Arc<dyn PersonRegistry> {
    if let Ok(Some(text)) = store.setting("person_registry").await {
        match serde_json::from_str::<baqsha_persons::HttpConfig>(&text) {
            Ok(c) => return Arc::new(baqsha_persons::Http::new(c)),
            Err(e) => tracing::warn!("setting person_registry is not valid ({e}); no registry"),
        }
    }
    if store.meta("demo").await.ok().flatten().as_deref() == Some("1") {
        // The demo's people are those of the region generated on the seeding day.
        let seeded = store.meta("demo_today").await.ok().flatten().and_then(|d| d.parse().ok());
        let today = seeded.unwrap_or_else(|| command::desk_date(chrono::Utc::now()));
        let region = baqsha_demo::generate(baqsha_demo::Scale::Demo, baqsha_demo::DEMO_SEED, today);
        let people = baqsha_demo::registry_people(&region, today)
            .into_iter()
            .map(|p| (p.iin.clone(), baqsha_persons::Names { surname: p.surname, given_name: p.given_name, patronymic: p.patronymic }));
        return Arc::new(baqsha_persons::Memory::new(people));
    }
    Arc::new(baqsha_persons::Offline)
}

/// «ТАӘ толтыру»: names from the registry. Birth date and sex the UI reads from the IIN.
#[tauri::command]
pub async fn lookup_person(state: State<'_, AppState>, iin: String) -> Answer<PersonLookup> {
    state.operator().await?;
    let iin = Iin::parse(&iin).map_err(|_| ApiError::InvalidInput { field: "iin".into() })?;
    let registry = state.persons().await?;
    let found = tauri::async_runtime::spawn_blocking(move || registry.find(&iin)).await.map_err(|e| internal("person registry", e))?;
    Ok(match found {
        Ok(Some(n)) => PersonLookup::Found { surname: n.surname, given_name: n.given_name, patronymic: n.patronymic },
        Ok(None) => PersonLookup::NotFound,
        Err(LookupError::Unreachable(why) | LookupError::Refused(why)) => {
            tracing::warn!("person registry: {why}");
            PersonLookup::Unavailable
        }
    })
}

fn channel_of(target: &str) -> Result<(Channel, String), ApiError> {
    if let Ok(p) = Phone::parse(target) {
        return Ok((Channel::Sms, p.as_str().to_string()));
    }
    match Email::parse(target) {
        Ok(e) => Ok((Channel::Email, e.as_str().to_string())),
        Err(_) => Err(ApiError::InvalidInput { field: "target".into() }),
    }
}

async fn ui_lang(store: &Store) -> Lang {
    store.setting("ui_language").await.ok().flatten().and_then(|l| Lang::from_code(&l)).filter(|l| *l != Lang::En).unwrap_or(Lang::Kk)
}

/// «Растау кодын SMS арқылы жіберу» / «… E-MAIL-ге жіберу»: a new code, queued and sent now.
#[tauri::command]
pub async fn send_code(state: State<'_, AppState>, target: String) -> Answer<CodeSent> {
    state.operator().await?;
    let store = state.store().await?;
    let (channel, target) = channel_of(&target)?;
    let policy = CodePolicy::default();
    let now = chrono::Utc::now();
    let last = store.code_record(&target).await.map_err(|e| store_error("code", e))?;
    let mut random = [0u8; 12];
    getrandom::fill(&mut random).map_err(|e| internal("randomness", e))?;
    let salt: String = random[4..].iter().map(|b| format!("{b:02x}")).collect();
    let number = u32::from_le_bytes([random[0], random[1], random[2], random[3]]);
    let (record, code) = codes::issue(&target, last.as_ref(), now, number, &salt, &policy).map_err(|error| ApiError::Code { error })?;
    let lang = ui_lang(&store).await;
    let (body, subject) = {
        // The translator is not Send: made and dropped between awaits.
        let t = Translator::new(lang);
        (t.t_args("msg-code-body", &[("code", Arg::Str(&code))]), (channel == Channel::Email).then(|| t.t("msg-code-subject")))
    };
    store.save_code_record(&record).await.map_err(|e| store_error("code", e))?;
    let id = store.queue_message(&Notification { channel, recipient: target.clone(), subject, body, secret: true }, now).await.map_err(|e| store_error("queue code", e))?;
    crate::notifications::deliver_pending(&store).await;
    let delivered = store.recent_messages(50).await.map_err(|e| store_error("messages", e))?.iter().any(|m| m.id == id && m.sent_at.is_some());
    Ok(CodeSent { resend_after: policy.resend_after.num_seconds() as u32, delivered })
}

/// «Растау коды»: checks a typed code; the try is counted either way.
#[tauri::command]
pub async fn confirm_code(state: State<'_, AppState>, target: String, code: String) -> Answer<()> {
    state.operator().await?;
    let store = state.store().await?;
    let (_, target) = channel_of(&target)?;
    let record = store.code_record(&target).await.map_err(|e| store_error("code", e))?.ok_or(ApiError::Code { error: codes::CodeError::NotSent })?;
    let (record, verdict) = codes::check(&record, &code, chrono::Utc::now(), &CodePolicy::default());
    store.save_code_record(&record).await.map_err(|e| store_error("code", e))?;
    verdict.map_err(|error| ApiError::Code { error })
}

/// «Шолу»: one JPEG proof, checked by its bytes, kept in the database.
#[tauri::command]
pub async fn add_proof(state: State<'_, AppState>, name: String, data: String, count: u32) -> Answer<ProofInfo> {
    state.operator().await?;
    let policy = ProofPolicy::default();
    proof::check_count(count as usize, &policy).map_err(|proof| ApiError::Proof { proof })?;
    // Refuse by size before decoding: base64 is 4/3 of the bytes.
    let approx = data.len() as u64 / 4 * 3;
    if approx > policy.max_bytes + 3 {
        return Err(ApiError::Proof { proof: proof::ProofError::TooLarge { size: approx, max: policy.max_bytes } });
    }
    let bytes = base64::engine::general_purpose::STANDARD.decode(data.as_bytes()).map_err(|_| ApiError::InvalidInput { field: "proof".into() })?;
    proof::check(bytes.len() as u64, &bytes[..bytes.len().min(16)], &policy).map_err(|proof| ApiError::Proof { proof })?;
    let name: String = name.chars().filter(|c| !c.is_control()).take(120).collect();
    state.store().await?.save_proof(&name, &bytes, chrono::Utc::now()).await.map_err(|e| store_error("proof", e))
}

/// A proof's bytes, base64, to show it.
#[tauri::command]
pub async fn proof_image(state: State<'_, AppState>, id: String) -> Answer<String> {
    state.operator().await?;
    let bytes = state.store().await?.proof(&id).await.map_err(|e| store_error("proof", e))?;
    Ok(base64::engine::general_purpose::STANDARD.encode(bytes))
}

#[tauri::command]
pub async fn save_draft(state: State<'_, AppState>, body: serde_json::Value) -> Answer<()> {
    let op = state.operator().await?;
    state.store().await?.save_draft(op.id, &body.to_string(), chrono::Utc::now()).await.map_err(|e| store_error("draft", e))
}

/// The operator's draft; one that no longer reads as JSON is dropped (the wizard starts
/// empty rather than failing).
#[tauri::command]
pub async fn load_draft(state: State<'_, AppState>) -> Answer<Option<Draft<serde_json::Value>>> {
    let op = state.operator().await?;
    let d = state.store().await?.draft(op.id).await.map_err(|e| store_error("draft", e))?;
    Ok(d.and_then(|(body, saved_at)| match serde_json::from_str(&body) {
        Ok(body) => Some(Draft { body, saved_at }),
        Err(e) => {
            tracing::warn!("unreadable draft dropped: {e}");
            None
        }
    }))
}

#[tauri::command]
pub async fn discard_draft(state: State<'_, AppState>) -> Answer<()> {
    let op = state.operator().await?;
    state.store().await?.discard_draft(op.id).await.map_err(|e| store_error("draft", e))
}

/// The SMS and e-mail that tell the parent the number, in the application's language.
fn registered_messages(a: &NewApplication, number: &str) -> Vec<Notification> {
    let t = Translator::new(if a.language == Language::Ru { Lang::Ru } else { Lang::Kk });
    let args = [("number", Arg::Str(number)), ("child", Arg::Str(&a.child.full_name()))];
    let mut out =
        vec![Notification { channel: Channel::Sms, recipient: a.contacts.phone.as_str().to_string(), subject: None, body: t.t_args("msg-registered-sms", &args), secret: false }];
    if let Some(e) = &a.contacts.email {
        out.push(Notification {
            channel: Channel::Email,
            recipient: e.as_str().to_string(),
            subject: Some(t.t_args("msg-registered-subject", &args)),
            body: t.t_args("msg-registered-mail", &args),
            secret: false,
        });
    }
    out
}

/// «Өтінішті жіберу»: registers the application at the desk's time, then tries its
/// messages at once; a message a gateway refuses waits in the queue and is retried.
#[tauri::command]
pub async fn submit_application(state: State<'_, AppState>, application: NewApplication) -> Answer<SubmitOutcome> {
    let operator = state.operator().await?;
    let store = state.store().await?;
    let device = DeviceId(store.device_id().await.map_err(|e| store_error("device", e))?);
    let now = chrono::Utc::now();
    let a = &application;
    let full = Application {
        id: ApplicationId(uuid::Uuid::now_v7()),
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
    };
    let cmd = Command {
        id: uuid::Uuid::now_v7(),
        author: operator.id,
        device,
        at: now,
        kind: CommandKind::RegisterApplication { application: Box::new(full), confirmation: Some(a.confirmation.clone()) },
    };
    let prefix = match store.meta("number_prefix").await.map_err(|e| store_error("meta", e))? {
        Some(p) => p,
        // Demo databases seeded before the prefix was recorded continue the demo's series.
        None if store.meta("demo").await.ok().flatten().as_deref() == Some("1") => "VKO".into(),
        None => "BQ".into(),
    };
    let submitted = store.submit(&operator, cmd, &prefix, |number| registered_messages(a, number)).await.map_err(|e| apply_error("submit", e))?;
    tracing::info!("application {} registered by {}", submitted.number, operator.login);
    crate::notifications::deliver_pending(&store).await;
    let recent = store.recent_messages(50).await.map_err(|e| store_error("messages", e))?;
    let messages = recent.into_iter().filter(|m| submitted.messages.contains(&m.id)).map(crate::commands::sent_message).collect();
    Ok(SubmitOutcome { number: submitted.number, messages })
}

/// Benefit verification: claims waiting for a decision.
#[tauri::command]
pub async fn pending_benefits(state: State<'_, AppState>, find: Option<String>) -> Answer<Vec<BenefitCase>> {
    state.operator().await?;
    state.store().await?.pending_benefits(find.as_deref(), 200).await.map_err(|e| store_error("pending benefits", e))
}

/// Confirms a claim, or rejects it with a reason; a command in the history either way.
#[tauri::command]
pub async fn decide_benefit(state: State<'_, AppState>, id: ApplicationId, confirm: bool, reason: String) -> Answer<()> {
    let operator = state.operator().await?;
    let store = state.store().await?;
    let device = DeviceId(store.device_id().await.map_err(|e| store_error("device", e))?);
    let kind = if confirm { CommandKind::ConfirmBenefit { application: id } } else { CommandKind::RejectBenefit { application: id, reason: reason.trim().to_string() } };
    let cmd = Command { id: uuid::Uuid::now_v7(), author: operator.id, device, at: chrono::Utc::now(), kind };
    store.apply(&operator, &cmd).await.map_err(|e| apply_error("benefit decision", e))?;
    tracing::info!("benefit of {id} {} by {}", if confirm { "confirmed" } else { "rejected" }, operator.login);
    Ok(())
}
