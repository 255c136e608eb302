//! The bridge: each Tauri command takes the window's request (declared once, in
//! `baqsha_api::calls`), calls one method of the office (`baqsha-app`) as the signed-in
//! operator, and hands back its answer. No rule here.

use crate::state::AppState;
use baqsha_api::calls::{self, Reply};
use tauri::{AppHandle, State};

#[tauri::command]
pub async fn start_info(state: State<'_, AppState>, request: calls::StartInfo) -> Reply<calls::StartInfo> {
    let calls::StartInfo {} = request;
    state.office().await?.start_info().await
}

#[tauri::command]
pub async fn sign_in(state: State<'_, AppState>, request: calls::SignIn) -> Reply<calls::SignIn> {
    let office = state.office().await?;
    let session = office.sign_in(&request.login, &request.password).await?;
    *state.session.lock().await = Some(office.open_session(session.operator.clone()).await?);
    Ok(session)
}

#[tauri::command]
pub async fn sync_status(state: State<'_, AppState>, request: calls::SyncStatus) -> Reply<calls::SyncStatus> {
    let calls::SyncStatus {} = request;
    // Asked by the top bar on a timer, signed in or not.
    state.office().await?.sync_status().await
}

#[tauri::command]
pub async fn sync_problems(state: State<'_, AppState>, request: calls::SyncProblems) -> Reply<calls::SyncProblems> {
    let calls::SyncProblems {} = request;
    let (office, _) = state.signed_in().await?;
    office.sync_problems().await
}

#[tauri::command]
pub async fn acknowledge_sync_problem(state: State<'_, AppState>, request: calls::AcknowledgeSyncProblem) -> Reply<calls::AcknowledgeSyncProblem> {
    let (office, op) = state.signed_in().await?;
    office.acknowledge_sync_problem(&op, request.seq).await
}

#[tauri::command]
pub async fn join_region(state: State<'_, AppState>, request: calls::JoinRegion) -> Reply<calls::JoinRegion> {
    let (office, op) = state.signed_in().await?;
    office.join_region(&op, &request.address, &request.login, &request.password).await
}

#[tauri::command]
pub async fn leases(state: State<'_, AppState>, request: calls::Leases) -> Reply<calls::Leases> {
    let calls::Leases {} = request;
    let (office, op) = state.signed_in().await?;
    office.leases(&op).await
}

#[tauri::command]
pub async fn ask_lease(state: State<'_, AppState>, request: calls::AskLease) -> Reply<calls::AskLease> {
    let (office, op) = state.signed_in().await?;
    office.ask_lease(&op, request.vacancy, request.places).await
}

#[tauri::command]
pub async fn start_demo(state: State<'_, AppState>, request: calls::StartDemo) -> Reply<calls::StartDemo> {
    let calls::StartDemo {} = request;
    state.office().await?.start_demo().await
}

#[tauri::command]
pub async fn set_up_office(state: State<'_, AppState>, request: calls::SetUpOffice) -> Reply<calls::SetUpOffice> {
    let office = state.office().await?;
    let session = office.set_up_office(&request.setup).await?;
    *state.session.lock().await = Some(office.open_session(session.operator.clone()).await?);
    Ok(session)
}

#[tauri::command]
pub async fn sign_out(state: State<'_, AppState>, request: calls::SignOut) -> Reply<calls::SignOut> {
    let calls::SignOut {} = request;
    state.end_session("signed out").await;
    Ok(())
}

#[tauri::command]
pub async fn session(state: State<'_, AppState>, request: calls::Session) -> Reply<calls::Session> {
    let calls::Session {} = request;
    let office = state.office().await?;
    // Asked by the window on a timer: a look, not activity.
    let Some(operator) = state.operator(&office, false).await else {
        return Ok(None);
    };
    Ok(Some(office.session(operator).await?))
}

#[tauri::command]
pub async fn set_language(state: State<'_, AppState>, request: calls::SetLanguage) -> Reply<calls::SetLanguage> {
    state.office().await?.set_language(request.lang).await
}

/// Prints a list: the PDF goes to the documents folder (or "Save as") and opens.
#[tauri::command]
pub async fn print_list(app: AppHandle, state: State<'_, AppState>, request: calls::PrintList) -> Reply<calls::PrintList> {
    let (office, op) = state.signed_in().await?;
    let file = office.list_pdf(&op, &request.list, request.lang).await?;
    crate::documents::save_and_open(&app, file, request.save_as).await
}

#[tauri::command]
pub async fn print_application(app: AppHandle, state: State<'_, AppState>, request: calls::PrintApplication) -> Reply<calls::PrintApplication> {
    let (office, op) = state.signed_in().await?;
    let file = office.application_pdf(&op, &request.number, request.lang).await?;
    crate::documents::save_and_open(&app, file, request.save_as).await
}

#[tauri::command]
pub async fn print_referral(app: AppHandle, state: State<'_, AppState>, request: calls::PrintReferral) -> Reply<calls::PrintReferral> {
    let (office, op) = state.signed_in().await?;
    let file = office.referral_pdf(&op, &request.number, request.lang).await?;
    crate::documents::save_and_open(&app, file, request.save_as).await
}

#[tauri::command]
pub async fn save_draft(state: State<'_, AppState>, request: calls::SaveDraft<serde_json::Value>) -> Reply<calls::SaveDraft<serde_json::Value>> {
    let (office, op) = state.signed_in().await?;
    office.save_draft(&op, &request.body).await
}

#[tauri::command]
pub async fn load_draft(state: State<'_, AppState>, request: calls::LoadDraft<serde_json::Value>) -> Reply<calls::LoadDraft<serde_json::Value>> {
    let calls::LoadDraft { body: _ } = request;
    let (office, op) = state.signed_in().await?;
    office.load_draft(&op).await
}

#[tauri::command]
pub async fn search_kindergartens(state: State<'_, AppState>, request: calls::SearchKindergartens) -> Reply<calls::SearchKindergartens> {
    let (office, op) = state.signed_in().await?;
    office.search_kindergartens(&op, &request.query).await
}

#[tauri::command]
pub async fn map_points(state: State<'_, AppState>, request: calls::MapPoints) -> Reply<calls::MapPoints> {
    let (office, op) = state.signed_in().await?;
    office.map_points(&op, &request.query).await
}

#[tauri::command]
pub async fn passport(state: State<'_, AppState>, request: calls::Passport) -> Reply<calls::Passport> {
    let (office, op) = state.signed_in().await?;
    office.passport(&op, request.id).await
}

#[tauri::command]
pub async fn check_referral(state: State<'_, AppState>, request: calls::CheckReferral) -> Reply<calls::CheckReferral> {
    let (office, op) = state.signed_in().await?;
    office.check_seal(&op, &request.text, request.child_iin.as_deref()).await
}

#[tauri::command]
pub async fn check_referral_image(state: State<'_, AppState>, request: calls::CheckReferralImage) -> Reply<calls::CheckReferralImage> {
    let (office, op) = state.signed_in().await?;
    office.check_seal_image(&op, request.image, request.child_iin.as_deref()).await
}

#[tauri::command]
pub async fn check_queue(state: State<'_, AppState>, request: calls::CheckQueue) -> Reply<calls::CheckQueue> {
    let (office, op) = state.signed_in().await?;
    office.check_queue(&op, &request.iin).await
}

#[tauri::command]
pub async fn withdraw_application(state: State<'_, AppState>, request: calls::WithdrawApplication) -> Reply<calls::WithdrawApplication> {
    let (office, op) = state.signed_in().await?;
    office.withdraw_application(&op, request.id, &request.reason).await
}

#[tauri::command]
pub async fn edit_application(state: State<'_, AppState>, request: calls::EditApplication) -> Reply<calls::EditApplication> {
    let (office, op) = state.signed_in().await?;
    office.edit_application(&op, request.id, request.changes, request.confirmation).await
}

#[tauri::command]
pub async fn set_kurban_ait(state: State<'_, AppState>, request: calls::SetKurbanAit) -> Reply<calls::SetKurbanAit> {
    let (office, op) = state.signed_in().await?;
    office.set_kurban_ait(&op, request.year, request.first_day).await
}

#[tauri::command]
pub async fn queue_page(state: State<'_, AppState>, request: calls::QueuePage) -> Reply<calls::QueuePage> {
    let (office, op) = state.signed_in().await?;
    office.queue_page(&op, &request.query).await
}

#[tauri::command]
pub async fn find_in_queue(state: State<'_, AppState>, request: calls::FindInQueue) -> Reply<calls::FindInQueue> {
    let (office, op) = state.signed_in().await?;
    office.find_in_queue(&op, &request.number).await
}

#[tauri::command]
pub async fn sent_messages(state: State<'_, AppState>, request: calls::SentMessages) -> Reply<calls::SentMessages> {
    let calls::SentMessages {} = request;
    let (office, op) = state.signed_in().await?;
    office.sent_messages(&op).await
}

#[tauri::command]
pub async fn send_messages_now(state: State<'_, AppState>, request: calls::SendMessagesNow) -> Reply<calls::SendMessagesNow> {
    let calls::SendMessagesNow {} = request;
    let (office, op) = state.signed_in().await?;
    office.send_messages_now(&op).await
}

#[tauri::command]
pub async fn lookup_person(state: State<'_, AppState>, request: calls::LookupPerson) -> Reply<calls::LookupPerson> {
    let (office, op) = state.signed_in().await?;
    office.lookup_person(&op, &request.iin).await
}

#[tauri::command]
pub async fn send_code(state: State<'_, AppState>, request: calls::SendCode) -> Reply<calls::SendCode> {
    let (office, op) = state.signed_in().await?;
    office.send_code(&op, &request.target).await
}

#[tauri::command]
pub async fn confirm_code(state: State<'_, AppState>, request: calls::ConfirmCode) -> Reply<calls::ConfirmCode> {
    let (office, op) = state.signed_in().await?;
    office.confirm_code(&op, &request.target, &request.code).await
}

#[tauri::command]
pub async fn add_proof(state: State<'_, AppState>, request: calls::AddProof) -> Reply<calls::AddProof> {
    let (office, op) = state.signed_in().await?;
    office.add_proof(&op, &request.name, &request.data).await
}

#[tauri::command]
pub async fn proof_image(state: State<'_, AppState>, request: calls::ProofImage) -> Reply<calls::ProofImage> {
    let (office, op) = state.signed_in().await?;
    office.proof_image(&op, &request.id).await
}

#[tauri::command]
pub async fn discard_draft(state: State<'_, AppState>, request: calls::DiscardDraft) -> Reply<calls::DiscardDraft> {
    let calls::DiscardDraft {} = request;
    let (office, op) = state.signed_in().await?;
    office.discard_draft(&op).await
}

#[tauri::command]
pub async fn submit_application(state: State<'_, AppState>, request: calls::SubmitApplication) -> Reply<calls::SubmitApplication> {
    let (office, op) = state.signed_in().await?;
    office.submit_application(&op, &request.application).await
}

#[tauri::command]
pub async fn pending_benefits(state: State<'_, AppState>, request: calls::PendingBenefits) -> Reply<calls::PendingBenefits> {
    let (office, op) = state.signed_in().await?;
    office.pending_benefits(&op, request.find.as_deref()).await
}

#[tauri::command]
pub async fn decide_benefit(state: State<'_, AppState>, request: calls::DecideBenefit) -> Reply<calls::DecideBenefit> {
    let (office, op) = state.signed_in().await?;
    office.decide_benefit(&op, request.id, request.confirm, &request.reason).await
}

#[tauri::command]
pub async fn place_choices(state: State<'_, AppState>, request: calls::PlaceChoices) -> Reply<calls::PlaceChoices> {
    let (office, op) = state.signed_in().await?;
    office.place_choices(&op, request.application).await
}

#[tauri::command]
pub async fn take_referral(state: State<'_, AppState>, request: calls::TakeReferral) -> Reply<calls::TakeReferral> {
    let (office, op) = state.signed_in().await?;
    office.take_referral(&op, &request).await
}

#[tauri::command]
pub async fn referral_of(state: State<'_, AppState>, request: calls::ReferralOf) -> Reply<calls::ReferralOf> {
    let (office, op) = state.signed_in().await?;
    office.referral_of(&op, request.application).await
}

#[tauri::command]
pub async fn find_referral(state: State<'_, AppState>, request: calls::FindReferral) -> Reply<calls::FindReferral> {
    let (office, op) = state.signed_in().await?;
    office.find_referral(&op, &request.text).await
}

#[tauri::command]
pub async fn referral_action(state: State<'_, AppState>, request: calls::ReferralAction) -> Reply<calls::ReferralAction> {
    let (office, op) = state.signed_in().await?;
    office.referral_action(&op, request.referral, request.action).await
}

#[tauri::command]
pub async fn bulletin(state: State<'_, AppState>, request: calls::Bulletin) -> Reply<calls::Bulletin> {
    let (office, op) = state.signed_in().await?;
    office.bulletin(&op, request.on, request.district.as_deref()).await
}

#[tauri::command]
pub async fn groups_of(state: State<'_, AppState>, request: calls::GroupsOf) -> Reply<calls::GroupsOf> {
    let (office, op) = state.signed_in().await?;
    office.groups_of(&op, request.kindergarten).await
}

#[tauri::command]
pub async fn save_group(state: State<'_, AppState>, request: calls::SaveGroup) -> Reply<calls::SaveGroup> {
    let (office, op) = state.signed_in().await?;
    office.save_group(&op, request.group, request.was_enrolled).await
}

#[tauri::command]
pub async fn publish_places(state: State<'_, AppState>, request: calls::PublishPlaces) -> Reply<calls::PublishPlaces> {
    let (office, op) = state.signed_in().await?;
    office.publish_places(&op, request.kindergarten, request.group, request.count, request.on).await
}

#[tauri::command]
pub async fn issued_referrals(state: State<'_, AppState>, request: calls::IssuedReferrals) -> Reply<calls::IssuedReferrals> {
    let (office, op) = state.signed_in().await?;
    office.issued_referrals(&op, request.from, request.to).await
}

#[tauri::command]
pub async fn statistics_places(state: State<'_, AppState>, request: calls::StatisticsPlaces) -> Reply<calls::StatisticsPlaces> {
    let calls::StatisticsPlaces {} = request;
    let (office, op) = state.signed_in().await?;
    office.statistics_places(&op).await
}

#[tauri::command]
pub async fn statistics_allocated(state: State<'_, AppState>, request: calls::StatisticsAllocated) -> Reply<calls::StatisticsAllocated> {
    let (office, op) = state.signed_in().await?;
    office.statistics_allocated(&op, request.from, request.to).await
}

#[tauri::command]
pub async fn office_settings(state: State<'_, AppState>, request: calls::OfficeSettings) -> Reply<calls::OfficeSettings> {
    let calls::OfficeSettings {} = request;
    let (office, op) = state.signed_in().await?;
    office.office_settings(&op).await
}

#[tauri::command]
pub async fn save_office_settings(state: State<'_, AppState>, request: calls::SaveOfficeSettings) -> Reply<calls::SaveOfficeSettings> {
    let (office, op) = state.signed_in().await?;
    office.save_office_settings(&op, &request.settings).await
}

#[cfg(test)]
mod tests {
    /// Every call the UI may send has a command registered under its name.
    #[test]
    fn every_call_is_registered() {
        let shell = include_str!("lib.rs");
        let handler = shell.split("generate_handler![").nth(1).and_then(|s| s.split("])").next()).unwrap_or_default();
        let registered: Vec<&str> = handler.split(',').filter_map(|s| s.trim().rsplit("::").next()).filter(|s| !s.is_empty()).collect();
        for name in baqsha_api::calls::NAMES {
            assert!(registered.contains(name), "`{name}` is declared in baqsha_api::calls but not registered in the shell");
        }
        for name in &registered {
            assert!(baqsha_api::calls::NAMES.contains(name), "`{name}` is registered but not declared in baqsha_api::calls");
        }
    }
}

#[tauri::command]
pub async fn accounts(state: State<'_, AppState>, request: calls::Accounts) -> Reply<calls::Accounts> {
    let calls::Accounts {} = request;
    let (office, op) = state.signed_in().await?;
    office.accounts(&op).await
}

#[tauri::command]
pub async fn save_account(state: State<'_, AppState>, request: calls::SaveAccount) -> Reply<calls::SaveAccount> {
    let (office, op) = state.signed_in().await?;
    office.save_account(&op, &request.account).await
}

#[tauri::command]
pub async fn reset_password(state: State<'_, AppState>, request: calls::ResetPassword) -> Reply<calls::ResetPassword> {
    let (office, op) = state.signed_in().await?;
    office.reset_password(&op, request.id, &request.password).await
}

#[tauri::command]
pub async fn change_password(state: State<'_, AppState>, request: calls::ChangePassword) -> Reply<calls::ChangePassword> {
    let office = state.office().await?;
    let session = office.change_password(&request.login, &request.old, &request.new).await?;
    *state.session.lock().await = Some(office.open_session(session.operator.clone()).await?);
    Ok(session)
}
