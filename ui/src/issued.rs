//! «Алынған жолдамалар»: referrals issued in a period (masked identity), filtered by
//! kindergarten and status; printable.

use crate::bridge::call;
use crate::i18n::use_i18n;
use baqsha_api::*;
use baqsha_core::ReferralStatus;
use baqsha_i18n::Arg;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[component]
pub fn IssuedPage() -> Html {
    let i18n = use_i18n();
    let today = crate::clock::today();
    let from = use_state(|| crate::clock::year_start(today));
    let to = use_state(|| today);
    let name = use_state(String::new);
    let status = use_state(|| None::<ReferralStatus>);
    let list = use_state(|| None::<Result<Vec<ReferralLine>, ApiError>>);
    let printed = use_state(|| None::<Result<Printed, ApiError>>);
    {
        let list = list.clone();
        use_effect_with((*from, *to), move |(from, to)| {
            let (from, to) = (*from, *to);
            wasm_bindgen_futures::spawn_local(async move {
                list.set(Some(call(&calls::IssuedReferrals { from, to }).await));
            });
        });
    }
    let date = |h: &UseStateHandle<chrono::NaiveDate>| {
        let h = h.clone();
        Callback::from(move |iso: String| {
            if let Ok(d) = iso.parse() {
                h.set(d);
            }
        })
    };
    let on_name = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| name.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_status = {
        let status = status.clone();
        Callback::from(move |e: Event| status.set(ReferralStatus::from_code(&e.target_unchecked_into::<HtmlSelectElement>().value())))
    };
    let print = {
        let (f, t) = (*from, *to);
        crate::widgets::printed::print_list(&printed, move || PrintList::Referrals { from: f, to: t, district: None }, i18n.lang.of_documents())
    };
    let typed = baqsha_core::text::fold(name.trim());
    let body = match &*list {
        None => html! { <p class="muted">{ i18n.t("loading") }</p> },
        Some(Err(e)) => html! { <p class="error" role="alert">{ i18n.error(e) }</p> },
        Some(Ok(all)) => {
            let shown: Vec<&ReferralLine> = all
                .iter()
                .filter(|r| status.is_none_or(|s| s == r.status))
                .filter(|r| {
                    typed.is_empty() || baqsha_core::text::fold(&r.kindergarten_name.kk).contains(&typed) || baqsha_core::text::fold(&r.kindergarten_name.ru).contains(&typed)
                })
                .collect();
            if shown.is_empty() {
                html! { <p class="card empty" id="issued-empty">{ i18n.t("ir-none") }</p> }
            } else {
                html! { <>
                    <p class="muted" id="issued-count">{ i18n.tr.t_args("ir-count", &[("count", Arg::Num(shown.len() as i64))]) }</p>
                    <table id="issued-table" class="card">
                        <thead><tr>
                            <th>{ i18n.t("ir-number") }</th><th>{ i18n.t("ir-issued") }</th><th>{ i18n.t("bl-kindergarten") }</th>
                            <th>{ i18n.t("bl-group") }</th><th>{ i18n.t("ir-child") }</th><th>{ i18n.t("ir-valid") }</th><th>{ i18n.t("ir-status") }</th>
                        </tr></thead>
                        <tbody>{ for shown.iter().map(|r| html! {
                            <tr class="issued-line" data-number={r.number.clone()}>
                                <td>{ &r.number }</td>
                                <td>{ crate::bulletin::when(r.issued_at) }</td>
                                <td>{ i18n.name(&r.kindergarten_name) }</td>
                                <td>{ &r.group_name }</td>
                                <td>{ &r.initials }{ " " }<span class="muted">{ &r.iin_masked }</span></td>
                                <td>{ crate::referral::day(r.valid_until) }</td>
                                <td class="issued-status">{ crate::referral::status(&i18n, r.status) }</td>
                            </tr>
                        }) }</tbody>
                    </table>
                </> }
            }
        }
    };
    html! {
        <section class="page issued-page">
            <div class="page-head">
                <h1>{ i18n.t("ir-title") }</h1>
                <button id="issued-print" onclick={print}>{ i18n.t("print-button") }</button>
            </div>
            <div class="filters card">
                <label><span>{ i18n.t("ir-from") }</span><crate::widgets::date::DateInput id="issued-from" value={from.to_string()} on_change={date(&from)} /></label>
                <label><span>{ i18n.t("ir-to") }</span><crate::widgets::date::DateInput id="issued-to" value={to.to_string()} on_change={date(&to)} /></label>
                <label class="search"><span>{ i18n.t("bl-filter-kindergarten") }</span><input id="issued-kindergarten" value={(*name).clone()} oninput={on_name} /></label>
                <label><span>{ i18n.t("ir-status") }</span>
                    <select id="issued-status" onchange={on_status}>
                        <option value="" selected={status.is_none()}>{ i18n.t("bl-all") }</option>
                        { for ReferralStatus::ALL.iter().map(|s| html! { <option value={s.code()} selected={*status == Some(*s)}>{ crate::referral::status(&i18n, *s) }</option> }) }
                    </select>
                </label>
            </div>
            if let Some(r) = &*printed {
                <crate::widgets::printed::PrintOutcome result={r.clone()} />
            }
            { body }
        </section>
    }
}
