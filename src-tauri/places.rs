//! Places and referrals: «Жолдама алу», the referral's deadlines and endings, admission, the
//! bulletin, groups and publication, issued referrals, statistics, and the office's own
//! upkeep (expiry and offering, on start and every few minutes). Thin: the core decides, the
//! store keeps.

use crate::commands::{apply_error, store_error, Answer};
use crate::state::{internal, AppState};
use baqsha_api::*;
use baqsha_core::codes::{Channel, Notification};
use baqsha_core::command::{self, Command, CommandKind, ReferralRef};
use baqsha_core::queue::QueueRules;
use baqsha_core::roles::{Operator, Role};
use baqsha_core::*;
use baqsha_i18n::{Arg, Lang, Translator};
use baqsha_store::{OfferNotice, Store};
use chrono::NaiveDate;
use tauri::{AppHandle, State};

/// The office itself, for what no person presses: expiry.
fn system() -> Operator {
    Operator { id: OperatorId(uuid::Uuid::nil()), login: "system".into(), full_name: "Baqsha".into(), role: Role::RegionalAdmin, kindergarten: None }
}

async fn device(store: &Store) -> Result<DeviceId, ApiError> {
    Ok(DeviceId(store.device_id().await.map_err(|e| store_error("device", e))?))
}

async fn prefix(store: &Store) -> String {
    store.meta("number_prefix").await.ok().flatten().unwrap_or_else(|| "BQ".into())
}

/// The parent's language: Russian for an application for Russian groups, else Kazakh.
fn parents(language: Language) -> Translator {
    Translator::new(if language == Language::Ru { Lang::Ru } else { Lang::Kk })
}

fn offer_sms(n: &OfferNotice) -> Vec<Notification> {
    let t = parents(n.language);
    let day = n.respond_by.format("%d.%m.%Y").to_string();
    let body = t.t_args(
        "msg-offer-sms",
        &[
            ("number", Arg::Str(&n.offer.number)),
            ("kindergarten", Arg::Str(if n.language == Language::Ru { &n.kindergarten_ru } else { &n.kindergarten_kk })),
            ("date", Arg::Str(&day)),
        ],
    );
    vec![Notification { channel: Channel::Sms, recipient: n.phone.clone(), subject: None, body, secret: false }]
}

/// Expires referrals whose last day has passed, then offers the free places in queue order.
/// Run on start and every few minutes; errors are logged (the next run tries again).
pub async fn upkeep(store: &Store) {
    let now = chrono::Utc::now();
    let today = command::desk_date(now);
    match store.referrals_due(today).await {
        Ok(due) => {
            let dev = match device(store).await {
                Ok(d) => d,
                Err(_) => return,
            };
            for r in due {
                let cmd = Command { id: uuid::Uuid::now_v7(), author: system().id, device: dev, at: now, kind: CommandKind::ExpireReferral { referral: ReferralRef::of(&r) } };
                match store.apply(&system(), &cmd).await {
                    Ok(_) => tracing::info!("referral {} expired (valid until {})", r.number, r.valid_until),
                    Err(e) => tracing::warn!("expiring referral {}: {e}", r.number),
                }
            }
        }
        Err(e) => tracing::error!("reading referrals due: {e}"),
    }
    match store.offer_round(now, &QueueRules::default(), offer_sms).await {
        Ok(round) if round.passed > 0 || !round.offered.is_empty() => {
            tracing::info!("offers: {} new, {} turns passed", round.offered.len(), round.passed)
        }
        Ok(_) => {}
        Err(e) => tracing::error!("offer round: {e}"),
    }
}

/// After a change that frees or takes a place: offers follow at once, messages go out.
fn after_change(store: &Store) {
    let store = store.clone();
    tauri::async_runtime::spawn(async move {
        upkeep(&store).await;
        crate::notifications::deliver_pending(&store).await;
    });
}

/// «Жолдама алу»: the places this application may take now (empty when its turn has not come).
#[tauri::command]
pub async fn place_choices(state: State<'_, AppState>, application: ApplicationId) -> Answer<Vec<PlaceChoice>> {
    state.operator().await?;
    let today = command::desk_date(chrono::Utc::now());
    state.store().await?.choices(application, today).await.map_err(|e| store_error("choices", e))
}

fn referral_sms(v: &ReferralView) -> Vec<Notification> {
    let t = parents(v.language);
    let day = v.referral.valid_until.format("%d.%m.%Y").to_string();
    let kindergarten = if v.language == Language::Ru { &v.kindergarten_ru } else { &v.kindergarten_kk };
    let body = t.t_args("msg-referral-sms", &[("number", Arg::Str(&v.referral.number)), ("kindergarten", Arg::Str(kindergarten)), ("date", Arg::Str(&day))]);
    vec![Notification { channel: Channel::Sms, recipient: v.phone.clone(), subject: None, body, secret: false }]
}

/// «ТАҢДАУДЫ РАСТАУ» → «Жолдама алу»: the referral with its number; its SMS tried at once.
#[tauri::command]
pub async fn take_referral(state: State<'_, AppState>, request: TakeReferral) -> Answer<ReferralTaken> {
    let operator = state.operator().await?;
    let store = state.store().await?;
    let dev = device(&store).await?;
    let (view, ids) = store.take_referral(&operator, &request, dev, chrono::Utc::now(), &prefix(&store).await, referral_sms).await.map_err(|e| apply_error("take referral", e))?;
    tracing::info!("referral {} taken for {} by {}", view.referral.number, view.application_number, operator.login);
    crate::notifications::deliver_pending(&store).await;
    let recent = store.recent_messages(50).await.map_err(|e| store_error("messages", e))?;
    let messages = recent.into_iter().filter(|m| ids.contains(&m.id)).map(crate::commands::sent_message).collect();
    after_change(&store);
    Ok(ReferralTaken { referral: view, messages })
}

/// The application's newest referral, for «Кезекті тексеру».
#[tauri::command]
pub async fn referral_of(state: State<'_, AppState>, application: ApplicationId) -> Answer<Option<ReferralView>> {
    state.operator().await?;
    state.store().await?.referral_of(application).await.map_err(|e| store_error("referral", e))
}

/// Admission: a referral by its number, or by the text of its QR seal.
#[tauri::command]
pub async fn find_referral(state: State<'_, AppState>, text: String) -> Answer<Option<ReferralView>> {
    let operator = state.operator().await?;
    let text = text.trim();
    let number = if text.contains(";sig=") {
        match crate::documents::check(&state, text, None).await? {
            ReferralCheck::Valid { number, .. } => number,
            // A seal that is not ours or was altered names no referral here.
            _ => return Err(ApiError::InvalidInput { field: "seal".into() }),
        }
    } else {
        text.to_uppercase()
    };
    let found = state.store().await?.referral_by_number(&number).await.map_err(|e| store_error("referral", e))?;
    // Numbers are sequential and the view holds the child's IIN: staff see their own only.
    Ok(found.filter(|v| baqsha_core::roles::may_read_referral(&operator, v.referral.kindergarten)))
}

/// What a person does to a referral after it is issued.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ReferralAction {
    Extend { until: NaiveDate },
    Refuse { reason: String },
    Admit,
}

#[tauri::command]
pub async fn referral_action(state: State<'_, AppState>, referral: ReferralRef, action: ReferralAction) -> Answer<ReferralView> {
    let operator = state.operator().await?;
    let store = state.store().await?;
    let kind = match action {
        ReferralAction::Extend { until } => CommandKind::ExtendReferral { referral, until },
        ReferralAction::Refuse { reason } => CommandKind::RefuseReferral { referral, reason: reason.trim().to_string() },
        ReferralAction::Admit => CommandKind::AdmitReferral { referral },
    };
    let code = kind.code();
    let cmd = Command { id: uuid::Uuid::now_v7(), author: operator.id, device: device(&store).await?, at: chrono::Utc::now(), kind };
    store.apply(&operator, &cmd).await.map_err(|e| apply_error(code, e))?;
    tracing::info!("{code} of referral {} by {}", referral.id, operator.login);
    after_change(&store);
    let view = store.referral_of(referral.application).await.map_err(|e| store_error("referral", e))?;
    view.ok_or(ApiError::NotFound)
}

/// The referral certificate («ТАҒАЙЫНДАУҒА АРНАЛҒАН АНЫҚТАМА — ЖОЛДАМА») with its signed seal.
#[tauri::command]
pub async fn print_referral(app: AppHandle, state: State<'_, AppState>, number: String, lang: String, save_as: bool) -> Answer<Printed> {
    let operator = state.operator().await?;
    let store = state.store().await?;
    let v = store.referral_by_number(&number).await.map_err(|e| store_error("referral", e))?.ok_or(ApiError::NotFound)?;
    let region = crate::seed::region_info(&store).await.map_err(|e| store_error("region", e))?;
    let (key, _) = state.referral_key()?;
    let mut salt = [0u8; 8];
    getrandom::fill(&mut salt).map_err(|e| internal("randomness", e))?;
    let r = &v.referral;
    let seal = baqsha_core::seal::Seal::new(&r.number, r.kindergarten, r.group, command::desk_date(r.issued_at), r.valid_until, &v.child.iin, salt, &key.verifying_key());
    let lang = if lang == "ru" { Lang::Ru } else { Lang::Kk };
    let district = store.passport(r.kindergarten).await.ok().map(|p| p.district.code);
    // The translator is not Send: the PDF is made in one go, with no await inside.
    let pdf = {
        let t = Translator::new(lang);
        let kk = lang == Lang::Kk;
        let h = crate::documents::header(&region, &t, lang, district.as_deref());
        let c = baqsha_documents::ReferralCertificate {
            region: h.region,
            department: h.department,
            number: r.number.clone(),
            issued_at: r.issued_at,
            valid_until: r.valid_until,
            valid_working_days: baqsha_core::calendar::ReferralRules::default().valid_working_days,
            kindergarten: if kk { v.kindergarten_kk.clone() } else { v.kindergarten_ru.clone() },
            address: if kk { v.address_kk.clone() } else { v.address_ru.clone() },
            group: v.group_name.clone(),
            age: v.age,
            group_language: v.group_language,
            child: v.child.clone(),
            parent: v.parent.clone(),
            operator: operator.full_name.clone(),
            benefit: v.benefit.clone(),
            seal: baqsha_core::seal::sign(&seal, &key),
        };
        baqsha_documents::referral_certificate(&c, lang).map_err(|e| internal("referral certificate", e))?
    };
    let name = format!("zholdama-{}.pdf", r.number.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "_"));
    let printed = crate::documents::save_and_open(&app, pdf, &name, save_as).await?;
    tracing::info!("printed {}", printed.path);
    Ok(Printed { rows: 1, ..printed })
}

/// «Бос орын бюллетені» on a date, with to whom each place is offered now.
#[tauri::command]
pub async fn bulletin(state: State<'_, AppState>, on: NaiveDate, district: Option<String>) -> Answer<Vec<BulletinEntry>> {
    state.operator().await?;
    state.store().await?.bulletin(on, district.as_deref()).await.map_err(|e| store_error("bulletin", e))
}

/// Staff: the groups of their kindergarten (others: of the kindergarten asked for).
#[tauri::command]
pub async fn groups_of(state: State<'_, AppState>, kindergarten: Option<KindergartenId>) -> Answer<Passport> {
    let operator = state.operator().await?;
    let id = operator.kindergarten.or(kindergarten).ok_or(ApiError::InvalidInput { field: "kindergarten".into() })?;
    state.store().await?.passport(id).await.map_err(|e| store_error("passport", e))
}

#[tauri::command]
pub async fn save_group(state: State<'_, AppState>, group: Group, was_enrolled: u32) -> Answer<()> {
    let operator = state.operator().await?;
    let store = state.store().await?;
    let cmd = Command { id: uuid::Uuid::now_v7(), author: operator.id, device: device(&store).await?, at: chrono::Utc::now(), kind: CommandKind::SaveGroup { group } };
    store.save_group_from(&operator, &cmd, was_enrolled).await.map_err(|e| apply_error("save group", e))?;
    Ok(())
}

/// Publishes freed places of a group on a date; offers follow at once.
#[tauri::command]
pub async fn publish_places(state: State<'_, AppState>, kindergarten: KindergartenId, group: GroupId, count: u32, on: NaiveDate) -> Answer<()> {
    let operator = state.operator().await?;
    let store = state.store().await?;
    let vacancy = Vacancy { id: VacancyId(uuid::Uuid::now_v7()), kindergarten, group, count, published_on: on };
    let cmd = Command { id: uuid::Uuid::now_v7(), author: operator.id, device: device(&store).await?, at: chrono::Utc::now(), kind: CommandKind::PublishVacancy { vacancy } };
    store.apply(&operator, &cmd).await.map_err(|e| apply_error("publish", e))?;
    tracing::info!("{count} places of group {group} published by {}", operator.login);
    after_change(&store);
    Ok(())
}

/// «Алынған жолдамалар» between two dates.
#[tauri::command]
pub async fn issued_referrals(state: State<'_, AppState>, from: NaiveDate, to: NaiveDate) -> Answer<Vec<ReferralEntry>> {
    state.operator().await?;
    state.store().await?.issued_referrals(from, to, None).await.map_err(|e| store_error("issued referrals", e))
}

/// «Мем./жеке меншік балабақшалар саны және оның ішіндегі жалпы орын саны».
#[tauri::command]
pub async fn statistics_places(state: State<'_, AppState>) -> Answer<Vec<DistrictStats>> {
    state.operator().await?;
    state.store().await?.district_stats().await.map_err(|e| store_error("statistics", e))
}

/// «Балабақшаларға нақты бөлінген орын саны» for a period.
#[tauri::command]
pub async fn statistics_allocated(state: State<'_, AppState>, from: NaiveDate, to: NaiveDate) -> Answer<Vec<AllocationStats>> {
    state.operator().await?;
    state.store().await?.allocation_stats(from, to).await.map_err(|e| store_error("statistics", e))
}

/// The office's referral settings.
#[tauri::command]
pub async fn office_settings(state: State<'_, AppState>) -> Answer<OfficeSettings> {
    state.operator().await?;
    let (refusal, publication_pause) = state.store().await?.office_rules().await.map_err(|e| store_error("settings", e))?;
    Ok(OfficeSettings { refusal, publication_pause })
}

/// Changes them: the regional administrator only; checked by the core.
#[tauri::command]
pub async fn save_office_settings(state: State<'_, AppState>, settings: OfficeSettings) -> Answer<OfficeSettings> {
    let operator = state.operator().await?;
    if !operator.role.may_change_settings() {
        return Err(ApiError::Denied);
    }
    let store = state.store().await?;
    store.save_office_rules(&settings.refusal, settings.publication_pause.as_ref()).await.map_err(|e| apply_error("settings", e))?;
    tracing::info!("referral settings changed by {}: {:?}", operator.login, settings);
    let (refusal, publication_pause) = store.office_rules().await.map_err(|e| store_error("settings", e))?;
    Ok(OfficeSettings { refusal, publication_pause })
}

#[cfg(test)]
mod tests {
    use super::*;
    use baqsha_core::offer::Offer;
    use uuid::Uuid;

    fn offer_notice(language: Language) -> OfferNotice {
        OfferNotice {
            offer: Offer {
                vacancy: VacancyId(Uuid::from_u128(1)),
                kindergarten: KindergartenId(Uuid::from_u128(2)),
                group: GroupId(Uuid::from_u128(3)),
                application: ApplicationId(Uuid::from_u128(4)),
                number: "VKO-2026-000042".into(),
                position: 7,
                preference_rank: 0,
                ahead_not_offered: 2,
            },
            phone: "+77011234567".into(),
            kindergarten_kk: "№ 12 «Ақбота» бөбекжайы".into(),
            kindergarten_ru: "Ясли-сад № 12 «Акбота»".into(),
            respond_by: chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
            language,
        }
    }

    #[test]
    fn the_offer_sms_speaks_the_parents_language() {
        let kk = offer_sms(&offer_notice(Language::Kk));
        assert_eq!(kk[0].recipient, "+77011234567");
        assert!(kk[0].body.contains("VKO-2026-000042") && kk[0].body.contains("«№ 12 «Ақбота» бөбекжайы»") && kk[0].body.contains("02.12.2026 дейін"), "{}", kk[0].body);
        let ru = offer_sms(&offer_notice(Language::Ru));
        assert!(ru[0].body.contains("подошла очередь") && ru[0].body.contains("Ясли-сад № 12"), "{}", ru[0].body);
    }
}
