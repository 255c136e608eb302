//! The bridge: each Tauri command takes the window's arguments, calls one method of the
//! office (`baqsha-app`) as the signed-in operator, and hands back its answer. No rule here.

use crate::state::AppState;
use baqsha_api::*;
use baqsha_core::command::{ApplicationChanges, ReferralRef};
use baqsha_core::{ApplicationId, Group, GroupId, KindergartenId};
use chrono::NaiveDate;
use tauri::{AppHandle, State};

pub type Answer<T> = Result<T, ApiError>;

#[tauri::command]
pub async fn start_info(state: State<'_, AppState>) -> Answer<StartInfo> {
    state.office().await?.start_info().await
}

#[tauri::command]
pub async fn sign_in(state: State<'_, AppState>, login: String, password: String) -> Answer<Session> {
    let session = state.office().await?.sign_in(&login, &password).await?;
    *state.session.lock().await = Some(session.operator.clone());
    Ok(session)
}

#[tauri::command]
pub async fn sign_out(state: State<'_, AppState>) -> Answer<()> {
    *state.session.lock().await = None;
    Ok(())
}

#[tauri::command]
pub async fn session(state: State<'_, AppState>) -> Answer<Option<Session>> {
    let office = state.office().await?;
    let Some(operator) = state.session.lock().await.clone() else {
        return Ok(None);
    };
    Ok(Some(office.session(operator).await?))
}

#[tauri::command]
pub async fn set_language(state: State<'_, AppState>, lang: String) -> Answer<()> {
    state.office().await?.set_language(&lang).await
}

#[tauri::command]
pub async fn search_kindergartens(state: State<'_, AppState>, query: RegistryQuery) -> Answer<RegistryPage> {
    let (office, op) = state.signed_in().await?;
    office.search_kindergartens(&op, &query).await
}

#[tauri::command]
pub async fn map_points(state: State<'_, AppState>, query: RegistryQuery) -> Answer<Vec<MapPoint>> {
    let (office, op) = state.signed_in().await?;
    office.map_points(&op, &query).await
}

#[tauri::command]
pub async fn passport(state: State<'_, AppState>, id: KindergartenId) -> Answer<Passport> {
    let (office, op) = state.signed_in().await?;
    office.passport(&op, id).await
}

/// Prints a list: the PDF goes to the documents folder (or "Save as") and opens.
#[tauri::command]
pub async fn print_list(app: AppHandle, state: State<'_, AppState>, request: PrintRequest) -> Answer<Printed> {
    let (office, op) = state.signed_in().await?;
    let file = office.list_pdf(&op, &request.list, &request.lang).await?;
    crate::documents::save_and_open(&app, file, request.save_as).await
}

#[tauri::command]
pub async fn check_referral(state: State<'_, AppState>, text: String, child_iin: Option<String>) -> Answer<ReferralCheck> {
    let (office, op) = state.signed_in().await?;
    office.check_seal(&op, &text, child_iin.as_deref()).await
}

#[tauri::command]
pub async fn check_referral_image(state: State<'_, AppState>, image: Vec<u8>, child_iin: Option<String>) -> Answer<ReferralCheck> {
    let (office, op) = state.signed_in().await?;
    office.check_seal_image(&op, image, child_iin.as_deref()).await
}

#[tauri::command]
pub async fn check_queue(state: State<'_, AppState>, iin: String) -> Answer<Vec<ApplicationView>> {
    let (office, op) = state.signed_in().await?;
    office.check_queue(&op, &iin).await
}

#[tauri::command]
pub async fn withdraw_application(state: State<'_, AppState>, id: ApplicationId, reason: String) -> Answer<ApplicationView> {
    let (office, op) = state.signed_in().await?;
    office.withdraw_application(&op, id, &reason).await
}

#[tauri::command]
pub async fn edit_application(state: State<'_, AppState>, id: ApplicationId, changes: ApplicationChanges) -> Answer<ApplicationView> {
    let (office, op) = state.signed_in().await?;
    office.edit_application(&op, id, changes).await
}

#[tauri::command]
pub async fn print_application(app: AppHandle, state: State<'_, AppState>, number: String, lang: String, save_as: bool) -> Answer<Printed> {
    let (office, op) = state.signed_in().await?;
    let file = office.application_pdf(&op, &number, &lang).await?;
    crate::documents::save_and_open(&app, file, save_as).await
}

#[tauri::command]
pub async fn queue_page(state: State<'_, AppState>, query: QueueQuery) -> Answer<QueuePage> {
    let (office, op) = state.signed_in().await?;
    office.queue_page(&op, &query).await
}

#[tauri::command]
pub async fn sent_messages(state: State<'_, AppState>) -> Answer<Vec<SentMessage>> {
    let (office, op) = state.signed_in().await?;
    office.sent_messages(&op).await
}

#[tauri::command]
pub async fn send_messages_now(state: State<'_, AppState>) -> Answer<()> {
    let (office, op) = state.signed_in().await?;
    office.send_messages_now(&op).await
}

#[tauri::command]
pub async fn lookup_person(state: State<'_, AppState>, iin: String) -> Answer<PersonLookup> {
    let (office, op) = state.signed_in().await?;
    office.lookup_person(&op, &iin).await
}

#[tauri::command]
pub async fn send_code(state: State<'_, AppState>, target: String) -> Answer<CodeSent> {
    let (office, op) = state.signed_in().await?;
    office.send_code(&op, &target).await
}

#[tauri::command]
pub async fn confirm_code(state: State<'_, AppState>, target: String, code: String) -> Answer<()> {
    let (office, op) = state.signed_in().await?;
    office.confirm_code(&op, &target, &code).await
}

#[tauri::command]
pub async fn add_proof(state: State<'_, AppState>, name: String, data: String, count: u32) -> Answer<ProofInfo> {
    let (office, op) = state.signed_in().await?;
    office.add_proof(&op, &name, &data, count).await
}

#[tauri::command]
pub async fn proof_image(state: State<'_, AppState>, id: String) -> Answer<String> {
    let (office, op) = state.signed_in().await?;
    office.proof_image(&op, &id).await
}

#[tauri::command]
pub async fn save_draft(state: State<'_, AppState>, body: serde_json::Value) -> Answer<()> {
    let (office, op) = state.signed_in().await?;
    office.save_draft(&op, &body).await
}

#[tauri::command]
pub async fn load_draft(state: State<'_, AppState>) -> Answer<Option<Draft<serde_json::Value>>> {
    let (office, op) = state.signed_in().await?;
    office.load_draft(&op).await
}

#[tauri::command]
pub async fn discard_draft(state: State<'_, AppState>) -> Answer<()> {
    let (office, op) = state.signed_in().await?;
    office.discard_draft(&op).await
}

#[tauri::command]
pub async fn submit_application(state: State<'_, AppState>, application: NewApplication) -> Answer<SubmitOutcome> {
    let (office, op) = state.signed_in().await?;
    office.submit_application(&op, &application).await
}

#[tauri::command]
pub async fn pending_benefits(state: State<'_, AppState>, find: Option<String>) -> Answer<Vec<BenefitCase>> {
    let (office, op) = state.signed_in().await?;
    office.pending_benefits(&op, find.as_deref()).await
}

#[tauri::command]
pub async fn decide_benefit(state: State<'_, AppState>, id: ApplicationId, confirm: bool, reason: String) -> Answer<()> {
    let (office, op) = state.signed_in().await?;
    office.decide_benefit(&op, id, confirm, &reason).await
}

#[tauri::command]
pub async fn place_choices(state: State<'_, AppState>, application: ApplicationId) -> Answer<Vec<PlaceChoice>> {
    let (office, op) = state.signed_in().await?;
    office.place_choices(&op, application).await
}

#[tauri::command]
pub async fn take_referral(state: State<'_, AppState>, request: TakeReferral) -> Answer<ReferralTaken> {
    let (office, op) = state.signed_in().await?;
    office.take_referral(&op, &request).await
}

#[tauri::command]
pub async fn referral_of(state: State<'_, AppState>, application: ApplicationId) -> Answer<Option<ReferralView>> {
    let (office, op) = state.signed_in().await?;
    office.referral_of(&op, application).await
}

#[tauri::command]
pub async fn find_referral(state: State<'_, AppState>, text: String) -> Answer<Option<ReferralView>> {
    let (office, op) = state.signed_in().await?;
    office.find_referral(&op, &text).await
}

#[tauri::command]
pub async fn referral_action(state: State<'_, AppState>, referral: ReferralRef, action: ReferralAction) -> Answer<ReferralView> {
    let (office, op) = state.signed_in().await?;
    office.referral_action(&op, referral, action).await
}

#[tauri::command]
pub async fn print_referral(app: AppHandle, state: State<'_, AppState>, number: String, lang: String, save_as: bool) -> Answer<Printed> {
    let (office, op) = state.signed_in().await?;
    let file = office.referral_pdf(&op, &number, &lang).await?;
    crate::documents::save_and_open(&app, file, save_as).await
}

#[tauri::command]
pub async fn bulletin(state: State<'_, AppState>, on: NaiveDate, district: Option<String>) -> Answer<Vec<BulletinEntry>> {
    let (office, op) = state.signed_in().await?;
    office.bulletin(&op, on, district.as_deref()).await
}

#[tauri::command]
pub async fn groups_of(state: State<'_, AppState>, kindergarten: Option<KindergartenId>) -> Answer<Passport> {
    let (office, op) = state.signed_in().await?;
    office.groups_of(&op, kindergarten).await
}

#[tauri::command]
pub async fn save_group(state: State<'_, AppState>, group: Group, was_enrolled: u32) -> Answer<()> {
    let (office, op) = state.signed_in().await?;
    office.save_group(&op, group, was_enrolled).await
}

#[tauri::command]
pub async fn publish_places(state: State<'_, AppState>, kindergarten: KindergartenId, group: GroupId, count: u32, on: NaiveDate) -> Answer<()> {
    let (office, op) = state.signed_in().await?;
    office.publish_places(&op, kindergarten, group, count, on).await
}

#[tauri::command]
pub async fn issued_referrals(state: State<'_, AppState>, from: NaiveDate, to: NaiveDate) -> Answer<Vec<ReferralEntry>> {
    let (office, op) = state.signed_in().await?;
    office.issued_referrals(&op, from, to).await
}

#[tauri::command]
pub async fn statistics_places(state: State<'_, AppState>) -> Answer<Vec<DistrictStats>> {
    let (office, op) = state.signed_in().await?;
    office.statistics_places(&op).await
}

#[tauri::command]
pub async fn statistics_allocated(state: State<'_, AppState>, from: NaiveDate, to: NaiveDate) -> Answer<Vec<AllocationStats>> {
    let (office, op) = state.signed_in().await?;
    office.statistics_allocated(&op, from, to).await
}

#[tauri::command]
pub async fn office_settings(state: State<'_, AppState>) -> Answer<OfficeSettings> {
    let (office, op) = state.signed_in().await?;
    office.office_settings(&op).await
}

#[tauri::command]
pub async fn save_office_settings(state: State<'_, AppState>, settings: OfficeSettings) -> Answer<OfficeSettings> {
    let (office, op) = state.signed_in().await?;
    office.save_office_settings(&op, &settings).await
}
