//! «Кеңсеге бөлінген орындар» on the bulletin of a desk of a region: the places the region has
//! set aside for this office (leases), from which alone referrals are given with the line
//! down, and asking for more before a day without a line. State pure, tested natively.

use crate::bridge::call;
use crate::i18n::use_i18n;
use baqsha_api::{calls, ApiError, BulletinEntry, LeaseView, SyncStatus};
use baqsha_core::VacancyId;
use baqsha_i18n::Arg;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct LeasesState {
    pub line: Option<SyncStatus>,
    pub leases: Vec<LeaseView>,
    pub vacancy: Option<VacancyId>,
    /// As typed: a refused request keeps it.
    pub places: String,
    pub busy: bool,
    pub error: Option<ApiError>,
    /// The lease just granted, announced.
    pub granted: Option<LeaseView>,
}

impl LeasesState {
    /// The request when a place is chosen and the count is a whole number from 1.
    pub fn request(&self) -> Option<(VacancyId, u32)> {
        let places: u32 = self.places.trim().parse().ok().filter(|n| *n >= 1)?;
        Some((self.vacancy?, places))
    }

    pub fn joined(&self) -> bool {
        self.line.as_ref().is_some_and(|l| l.joined)
    }

    /// Leases are asked of the server: only while it answers.
    pub fn online(&self) -> bool {
        self.line.as_ref().is_some_and(|l| l.joined && l.online != Some(false))
    }
}

pub enum Action {
    Line(SyncStatus),
    Loaded(Vec<LeaseView>),
    Vacancy(String),
    Places(String),
    Busy,
    Granted(LeaseView),
    Refused(ApiError),
}

impl Reducible for LeasesState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Line(l) => s.line = Some(l),
            Action::Loaded(l) => s.leases = l,
            Action::Vacancy(v) => s.vacancy = v.parse::<uuid::Uuid>().ok().map(VacancyId),
            Action::Places(p) => s.places = p.chars().filter(char::is_ascii_digit).take(3).collect(),
            Action::Busy => {
                s.busy = true;
                s.error = None;
                s.granted = None;
            }
            Action::Granted(l) => {
                s.leases.retain(|x| x.lease.id != l.lease.id);
                s.leases.insert(0, l.clone());
                s.granted = Some(l);
                s.busy = false;
                s.places.clear();
            }
            Action::Refused(e) => {
                s.error = Some(e);
                s.busy = false;
            }
        }
        Rc::new(s)
    }
}

fn until(l: &LeaseView) -> String {
    crate::bulletin::when(l.lease.end())
}

#[derive(Properties, PartialEq)]
pub struct Props {
    /// Today's bulletin lines (each names its newest open publication).
    pub entries: Vec<BulletinEntry>,
    pub role: baqsha_core::roles::Role,
}

/// Nothing at a desk of no region, or for a role that may not give referrals.
#[component]
pub fn LeasesPanel(props: &Props) -> Html {
    let i18n = use_i18n();
    let state = use_reducer(LeasesState::default);
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(line) = call(&calls::SyncStatus {}).await {
                    let joined = line.joined;
                    state.dispatch(Action::Line(line));
                    if joined {
                        if let Ok(l) = call(&calls::Leases {}).await {
                            state.dispatch(Action::Loaded(l));
                        }
                    }
                }
            });
        });
    }
    if !state.joined() || !baqsha_core::roles::may(props.role, "issue_referral") {
        return html! {};
    }
    let ask = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let Some((vacancy, places)) = state.request() else { return };
            state.dispatch(Action::Busy);
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match call(&calls::AskLease { vacancy, places }).await {
                    Ok(l) => state.dispatch(Action::Granted(l)),
                    Err(e) => state.dispatch(Action::Refused(e)),
                }
            });
        })
    };
    let on_vacancy = {
        let state = state.clone();
        Callback::from(move |e: Event| state.dispatch(Action::Vacancy(e.target_unchecked_into::<HtmlSelectElement>().value())))
    };
    let on_places = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.dispatch(Action::Places(e.target_unchecked_into::<HtmlInputElement>().value())))
    };
    let lines: Vec<&BulletinEntry> = props.entries.iter().filter(|e| e.vacancy.is_some()).collect();
    html! {
        <section class="card leases" id="leases">
            <h2>{ i18n.t("ls-title") }</h2>
            <p class="muted">{ i18n.t("ls-about") }</p>
            if state.leases.is_empty() {
                <p class="muted" id="leases-none">{ i18n.t("ls-none") }</p>
            } else {
                <ul id="leases-list">{ for state.leases.iter().map(|l| html! {
                    <li class="lease" data-lease={l.lease.id.0.to_string()}>
                        <strong>{ i18n.name(&l.kindergarten_name) }</strong>{ format!(" — {} · ", l.group_name) }
                        { i18n.tr.t_args("ls-line", &[("left", Arg::Num(l.left.into())), ("places", Arg::Num(l.lease.places.into())), ("until", Arg::Str(&until(l)))]) }
                    </li>
                }) }</ul>
            }
            if state.online() {
                <div class="row">
                    <label><span>{ i18n.t("ls-place") }</span>
                        <select id="lease-vacancy" onchange={on_vacancy}>
                            <option value="" selected={state.vacancy.is_none()}>{ "—" }</option>
                            { for lines.iter().filter_map(|e| e.vacancy.map(|v| (v, e))).map(|(v, e)| html! {
                                <option value={v.0.to_string()} selected={state.vacancy == Some(v)}>
                                    { format!("{} — {} ({})", i18n.name(&e.kindergarten_name), e.group_name, e.open_places) }
                                </option>
                            }) }
                        </select>
                    </label>
                    <label><span>{ i18n.t("ls-places") }</span>
                        <input id="lease-places" inputmode="numeric" value={state.places.clone()} oninput={on_places} />
                    </label>
                    <button id="lease-ask" disabled={state.busy || state.request().is_none()} onclick={ask}>{ i18n.t("ls-ask") }</button>
                </div>
            } else {
                <p class="muted" id="leases-offline">{ i18n.t("ls-offline") }</p>
            }
            if let Some(e) = &state.error {
                <p class="error" role="alert" id="lease-error">{ i18n.error(e) }</p>
            }
            if let Some(l) = &state.granted {
                <p class="notice success" role="status" id="lease-granted">{ i18n.tr.t_args("ls-granted", &[("places", Arg::Num(l.lease.places.into())), ("until", Arg::Str(&until(l)))]) }</p>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use baqsha_core::lease::Lease;
    use baqsha_core::{LeaseId, Names};
    use chrono::TimeZone;
    use uuid::Uuid;

    fn view(n: u128) -> LeaseView {
        let at = chrono::Utc.with_ymd_and_hms(2026, 12, 2, 4, 0, 0).unwrap();
        LeaseView {
            lease: Lease {
                id: LeaseId(Uuid::from_u128(n)),
                vacancy: VacancyId(Uuid::from_u128(9)),
                places: 2,
                used: 0,
                granted_at: at,
                expires_at: at + chrono::Duration::days(7),
                ended_at: None,
            },
            left: 2,
            kindergarten_name: Names::new("№ 1 балабақша", "Детский сад № 1"),
            group_name: "Балапан".into(),
        }
    }

    #[test]
    fn a_request_needs_a_place_and_a_count_and_a_refusal_keeps_what_was_typed() {
        let mut s = Rc::new(LeasesState::default());
        s = s.reduce(Action::Places("2a".into()));
        assert_eq!(s.places, "2");
        assert_eq!(s.request(), None, "no place chosen");
        let v = Uuid::from_u128(9);
        s = s.reduce(Action::Vacancy(v.to_string()));
        assert_eq!(s.request(), Some((VacancyId(v), 2)));
        s = s.reduce(Action::Places("0".into()));
        assert_eq!(s.request(), None, "at least one place");
        s = s.reduce(Action::Places("3".into())).reduce(Action::Busy).reduce(Action::Refused(ApiError::Offline));
        assert_eq!((s.places.as_str(), s.busy, s.error.clone()), ("3", false, Some(ApiError::Offline)));
        s = s.reduce(Action::Busy).reduce(Action::Granted(view(1)));
        assert_eq!((s.leases.len(), s.places.as_str(), s.error.is_none()), (1, "", true));
        s = s.reduce(Action::Granted(view(1)));
        assert_eq!(s.leases.len(), 1, "the same lease once");
    }

    #[test]
    fn leases_are_asked_only_while_the_server_answers() {
        let mut s = Rc::new(LeasesState::default());
        assert!(!s.joined() && !s.online());
        s = s.reduce(Action::Line(SyncStatus { joined: true, online: Some(false), ..SyncStatus::default() }));
        assert!(s.joined() && !s.online());
        s = s.reduce(Action::Line(SyncStatus { joined: true, online: Some(true), ..SyncStatus::default() }));
        assert!(s.online());
    }
}
