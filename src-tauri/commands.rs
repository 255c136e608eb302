//! Thin Tauri commands: parse, authorise, call the store, map errors. No rules here.

use crate::state::{internal, AppState};
use baqsha_api::*;
use baqsha_core::command::{Command, CommandKind};
use baqsha_core::{ApplicationId, DeviceId, Iin, KindergartenId};
use baqsha_store::{ApplyError, SignInError, StoreError};
use tauri::{AppHandle, State};

pub type Answer<T> = Result<T, ApiError>;

pub fn store_error(context: &str, e: StoreError) -> ApiError {
    match e {
        StoreError::NotFound(_) => ApiError::NotFound,
        other => internal(context, other),
    }
}

#[tauri::command]
pub async fn start_info(state: State<'_, AppState>) -> Answer<StartInfo> {
    let store = &state.store().await?;
    Ok(StartInfo {
        region: crate::seed::region_info(store).await.map_err(|e| store_error("region", e))?,
        demo_accounts: crate::seed::demo_accounts(store).await.map_err(|e| store_error("demo accounts", e))?,
        ui_language: store.setting("ui_language").await.map_err(|e| store_error("setting", e))?,
    })
}

#[tauri::command]
pub async fn sign_in(state: State<'_, AppState>, login: String, password: String) -> Answer<Session> {
    let store = &state.store().await?;
    let operator = match store.sign_in(&login, &password).await {
        Ok(op) => op,
        Err(SignInError::BadCredentials | SignInError::Disabled) => return Err(ApiError::BadCredentials),
        Err(SignInError::Store(e)) => return Err(store_error("sign in", e)),
    };
    tracing::info!("signed in: {} ({})", operator.login, operator.role.code());
    *state.session.lock().await = Some(operator.clone());
    Ok(Session { operator, region: crate::seed::region_info(store).await.map_err(|e| store_error("region", e))? })
}

#[tauri::command]
pub async fn sign_out(state: State<'_, AppState>) -> Answer<()> {
    *state.session.lock().await = None;
    Ok(())
}

#[tauri::command]
pub async fn session(state: State<'_, AppState>) -> Answer<Option<Session>> {
    let store = &state.store().await?;
    let Some(operator) = state.session.lock().await.clone() else {
        return Ok(None);
    };
    Ok(Some(Session { operator, region: crate::seed::region_info(store).await.map_err(|e| store_error("region", e))? }))
}

/// Remembers the UI language between runs (Kazakh until someone chooses otherwise).
#[tauri::command]
pub async fn set_language(state: State<'_, AppState>, lang: String) -> Answer<()> {
    if baqsha_i18n::Lang::from_code(&lang).is_some() {
        state.store().await?.set_setting("ui_language", &lang).await.map_err(|e| store_error("setting", e))
    } else {
        Err(ApiError::InvalidInput { field: "lang".into() })
    }
}

#[tauri::command]
pub async fn search_kindergartens(state: State<'_, AppState>, query: RegistryQuery) -> Answer<RegistryPage> {
    state.operator().await?;
    state.store().await?.search_kindergartens(&query).await.map_err(|e| store_error("registry search", e))
}

#[tauri::command]
pub async fn map_points(state: State<'_, AppState>, query: RegistryQuery) -> Answer<Vec<MapPoint>> {
    state.operator().await?;
    state.store().await?.map_points(&query).await.map_err(|e| store_error("map", e))
}

#[tauri::command]
pub async fn passport(state: State<'_, AppState>, id: KindergartenId) -> Answer<Passport> {
    state.operator().await?;
    state.store().await?.passport(id).await.map_err(|e| store_error("passport", e))
}

/// Prints a list: the PDF goes to the documents folder (or "Save as") and opens.
#[tauri::command]
pub async fn print_list(app: AppHandle, state: State<'_, AppState>, request: PrintRequest) -> Answer<Printed> {
    state.operator().await?;
    let (pdf, name, rows) = crate::documents::list_pdf(&state, &request.list, &request.lang).await?;
    let printed = crate::documents::save_and_open(&app, pdf, &name, request.save_as).await?;
    tracing::info!("printed {} ({rows} rows)", printed.path);
    Ok(Printed { rows, ..printed })
}

/// «Жолдаманы тексеру» with the text of a seal (pasted, or typed by a scanner gun).
#[tauri::command]
pub async fn check_referral(state: State<'_, AppState>, text: String, child_iin: Option<String>) -> Answer<ReferralCheck> {
    state.operator().await?;
    crate::documents::check(&state, &text, child_iin.as_deref()).await
}

/// «Жолдаманы тексеру» with a scanned or photographed certificate (PNG or JPEG bytes).
#[tauri::command]
pub async fn check_referral_image(state: State<'_, AppState>, image: Vec<u8>, child_iin: Option<String>) -> Answer<ReferralCheck> {
    state.operator().await?;
    let codes = match tauri::async_runtime::spawn_blocking(move || baqsha_documents::scan::read_codes(&image)).await {
        Ok(Ok(codes)) => codes,
        Ok(Err(e)) => {
            tracing::info!("unreadable image: {e}");
            return Ok(ReferralCheck::BadImage);
        }
        Err(e) => return Err(internal("image", e)),
    };
    // A page may carry other codes; the first one that is a seal decides.
    let mut answer = ReferralCheck::NoCode;
    for code in codes {
        answer = crate::documents::check(&state, &code, child_iin.as_deref()).await?;
        if answer != ReferralCheck::NotASeal {
            break;
        }
    }
    Ok(answer)
}

pub fn apply_error(context: &str, e: ApplyError) -> ApiError {
    match e {
        ApplyError::Denied(_) => ApiError::Denied,
        ApplyError::Rule(rule) => ApiError::Rule { rule },
        ApplyError::NotFound(_) => ApiError::NotFound,
        ApplyError::Store(e) => store_error(context, e),
    }
}

/// «Кезекті тексеру»: every application of the child with this IIN, newest first.
#[tauri::command]
pub async fn check_queue(state: State<'_, AppState>, iin: String) -> Answer<Vec<ApplicationView>> {
    state.operator().await?;
    let iin = Iin::parse(&iin).map_err(|_| ApiError::InvalidInput { field: "iin".into() })?;
    let store = state.store().await?;
    let mut out = vec![];
    for a in store.applications_of_child(&iin).await.map_err(|e| store_error("applications of a child", e))? {
        out.push(store.application_view(a, &Default::default()).await.map_err(|e| store_error("application view", e))?);
    }
    Ok(out)
}

/// «Қайтарып алу»: withdraws an application with its reason, as a command in the history.
#[tauri::command]
pub async fn withdraw_application(state: State<'_, AppState>, id: ApplicationId, reason: String) -> Answer<ApplicationView> {
    let operator = state.operator().await?;
    let store = state.store().await?;
    let device = DeviceId(store.device_id().await.map_err(|e| store_error("device", e))?);
    let cmd = Command {
        id: uuid::Uuid::now_v7(),
        author: operator.id,
        device,
        at: chrono::Utc::now(),
        kind: CommandKind::WithdrawApplication { application: id, reason: reason.trim().to_string() },
    };
    store.apply(&operator, &cmd).await.map_err(|e| apply_error("withdraw", e))?;
    tracing::info!("application {id} withdrawn by {}", operator.login);
    let a = store.application(id).await.map_err(|e| store_error("application", e))?;
    store.application_view(a, &Default::default()).await.map_err(|e| store_error("application view", e))
}

/// «Басып шығару»: the application certificate, `otinish-<number>.pdf`.
#[tauri::command]
pub async fn print_application(app: AppHandle, state: State<'_, AppState>, number: String, lang: String, save_as: bool) -> Answer<Printed> {
    state.operator().await?;
    let (pdf, name) = crate::documents::application_pdf(&state, &number, &lang).await?;
    let printed = crate::documents::save_and_open(&app, pdf, &name, save_as).await?;
    tracing::info!("printed {}", printed.path);
    Ok(Printed { rows: 1, ..printed })
}

/// «Өтініштер кезегі»: one page of a category's public queue (masked).
#[tauri::command]
pub async fn queue_page(state: State<'_, AppState>, query: QueueQuery) -> Answer<QueuePage> {
    state.operator().await?;
    state.store().await?.queue_page(&query, &Default::default()).await.map_err(|e| store_error("queue page", e))
}

/// «Жіберілген хабарламалар»: the newest 200 messages, sent or waiting.
#[tauri::command]
pub async fn sent_messages(state: State<'_, AppState>) -> Answer<Vec<SentMessage>> {
    state.operator().await?;
    let list = state.store().await?.recent_messages(200).await.map_err(|e| store_error("messages", e))?;
    Ok(list.into_iter().map(sent_message).collect())
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
    }
}

/// «Қазір жіберу»: tries the waiting messages now instead of at the next round.
#[tauri::command]
pub async fn send_messages_now(state: State<'_, AppState>) -> Answer<()> {
    state.operator().await?;
    crate::notifications::deliver_pending(&state.store().await?).await;
    Ok(())
}

/// «Өзгерту»: contacts, address, preferences, language, benefit, as a command in the history.
#[tauri::command]
pub async fn edit_application(state: State<'_, AppState>, id: ApplicationId, changes: baqsha_core::command::ApplicationChanges) -> Answer<ApplicationView> {
    let operator = state.operator().await?;
    let store = state.store().await?;
    let device = DeviceId(store.device_id().await.map_err(|e| store_error("device", e))?);
    let cmd = Command {
        id: uuid::Uuid::now_v7(),
        author: operator.id,
        device,
        at: chrono::Utc::now(),
        kind: CommandKind::EditApplication { application: id, changes: Box::new(changes) },
    };
    store.apply(&operator, &cmd).await.map_err(|e| apply_error("edit", e))?;
    tracing::info!("application {id} changed by {}", operator.login);
    let a = store.application(id).await.map_err(|e| store_error("application", e))?;
    store.application_view(a, &Default::default()).await.map_err(|e| store_error("application view", e))
}
