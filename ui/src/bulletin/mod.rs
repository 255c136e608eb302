//! «Бос орын бюллетені»: open places by date with filters, and to whom each is offered now
//! and why (the queue's explanation); printable.

pub mod state;

use crate::bridge::call;
use crate::bulletin::state::{Action, BulletinState};
use crate::i18n::{use_i18n, I18n};
use baqsha_api::*;
use baqsha_core::{AgeBand, District, Language};
use baqsha_i18n::Arg;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

pub fn age(i18n: &I18n, a: AgeBand) -> String {
    i18n.tr.t_args("age-band", &[("from", Arg::Num(a.from_years.into())), ("to", Arg::Num(a.to_years.into()))])
}

pub fn when(t: chrono::DateTime<chrono::Utc>) -> String {
    baqsha_core::command::desk_time(t).format("%d.%m.%Y %H:%M").to_string()
}

fn offers(i18n: &I18n, e: &BulletinEntry) -> Html {
    if e.offers.is_empty() {
        return html! { <span class="muted">{ i18n.t("bl-not-offered") }</span> };
    }
    html! {
        <ul class="offers">{ for e.offers.iter().map(|o| html! {
            <li class="offer" data-number={o.number.clone()}>
                { i18n.tr.t_args("bl-offer-line", &[
                    ("number", Arg::Str(&o.number)),
                    ("position", Arg::Num(o.position as i64)),
                    ("rank", Arg::Num(i64::from(o.preference_rank) + 1)),
                    ("date", Arg::Str(&crate::referral::day(o.respond_by))),
                ]) }
                if o.position > 1 {
                    <br /><small class="muted">{ i18n.tr.t_args("bl-offer-why", &[("total", Arg::Num(o.position as i64 - 1)), ("ahead", Arg::Num(o.ahead_not_offered as i64))]) }</small>
                }
            </li>
        }) }</ul>
    }
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub districts: Vec<District>,
    /// Who is signed in: leases for the office only for a role that gives referrals.
    pub role: baqsha_core::roles::Role,
}

#[component]
pub fn BulletinPage(props: &Props) -> Html {
    let i18n = use_i18n();
    let state = use_reducer(|| BulletinState::new(crate::clock::today()));
    let printed = use_state(|| None::<Result<Printed, ApiError>>);
    {
        let state = state.clone();
        use_effect_with(state.on, move |on| {
            let on = *on;
            wasm_bindgen_futures::spawn_local(async move {
                state.dispatch(Action::Loaded(call(&calls::Bulletin { on, district: None }).await));
            });
        });
    }
    let select = |f: fn(String) -> Action| {
        let state = state.clone();
        Callback::from(move |e: Event| state.dispatch(f(e.target_unchecked_into::<HtmlSelectElement>().value())))
    };
    let on_date = {
        let state = state.clone();
        Callback::from(move |iso: String| state.dispatch(Action::On(iso)))
    };
    let on_name = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.dispatch(Action::Kindergarten(e.target_unchecked_into::<HtmlInputElement>().value())))
    };
    let print = {
        let (on, district) = (state.on, state.district.clone());
        crate::widgets::printed::print_list(&printed, move || PrintList::Bulletin { date: on, district: district.clone() }, i18n.lang.of_documents())
    };
    let district_name = |code: &str| props.districts.iter().find(|d| d.code == code).map(|d| i18n.pick3(&d.name_kk, &d.name_ru, &d.name_en).to_string()).unwrap_or_default();
    let visible = state.visible();
    let places: u32 = visible.iter().map(|e| e.open_places).sum();
    let body = match &state.entries {
        None => html! { <p class="muted">{ i18n.t("loading") }</p> },
        Some(Err(e)) => html! { <p class="error" role="alert">{ i18n.error(e) }</p> },
        Some(Ok(_)) if state.future() => {
            html! { <p class="card empty" id="bulletin-empty">{ i18n.tr.t_args("bl-future", &[("date", Arg::Str(&crate::referral::day(state.on)))]) }</p> }
        }
        Some(Ok(_)) if visible.is_empty() => html! { <p class="card empty" id="bulletin-empty">{ i18n.t("bl-none") }</p> },
        Some(Ok(_)) => html! {
            <table id="bulletin-table" class="card">
                <thead><tr>
                    <th>{ i18n.t("bl-published") }</th><th>{ i18n.t("st-district") }</th><th>{ i18n.t("bl-kindergarten") }</th>
                    <th>{ i18n.t("bl-group") }</th><th>{ i18n.t("bl-age") }</th><th>{ i18n.t("bl-language") }</th>
                    <th class="num">{ i18n.t("bl-open") }</th><th>{ i18n.t("bl-offered-to") }</th>
                </tr></thead>
                <tbody>{ for visible.iter().map(|e| html! {
                    <tr class="bulletin-line" data-group={e.group.to_string()}>
                        <td>{ crate::referral::day(e.published_on) }</td>
                        <td>{ district_name(&e.district) }</td>
                        <td>{ i18n.name(&e.kindergarten_name) }</td>
                        <td>{ &e.group_name }</td>
                        <td>{ age(&i18n, e.age) }</td>
                        <td>{ i18n.language(e.language) }</td>
                        <td class="num open">{ e.open_places }</td>
                        <td>{ offers(&i18n, e) }</td>
                    </tr>
                }) }</tbody>
            </table>
        },
    };
    html! {
        <section class="page bulletin-page">
            <div class="page-head">
                <h1>{ i18n.t("bl-title") }</h1>
                <button id="bulletin-print" onclick={print}>{ i18n.t("print-button") }</button>
            </div>
            <div class="filters card">
                <label><span>{ i18n.t("bl-date") }</span>
                    <crate::widgets::date::DateInput id="bulletin-date" value={state.on.to_string()} on_change={on_date} />
                </label>
                <label><span>{ i18n.t("print-district") }</span>
                    <select id="bulletin-district" onchange={select(Action::District)}>
                        <option value="" selected={state.district.is_none()}>{ i18n.t("print-all-districts") }</option>
                        { for props.districts.iter().map(|d| html! {
                            <option value={d.code.clone()} selected={state.district.as_deref() == Some(d.code.as_str())}>{ i18n.pick3(&d.name_kk, &d.name_ru, &d.name_en) }</option>
                        }) }
                    </select>
                </label>
                <label class="search"><span>{ i18n.t("bl-filter-kindergarten") }</span>
                    <input id="bulletin-kindergarten" value={state.kindergarten.clone()} oninput={on_name} />
                </label>
                <label><span>{ i18n.t("bl-age") }</span>
                    <select id="bulletin-age" onchange={select(Action::Age)}>
                        <option value="" selected={state.age.is_none()}>{ i18n.t("bl-all") }</option>
                        { for state.bands().into_iter().map(|b| html! {
                            <option value={format!("{}-{}", b.from_years, b.to_years)} selected={state.age == Some(b)}>{ age(&i18n, b) }</option>
                        }) }
                    </select>
                </label>
                <label><span>{ i18n.t("bl-language") }</span>
                    <select id="bulletin-language" onchange={select(Action::Language)}>
                        <option value="" selected={state.language.is_none()}>{ i18n.t("bl-all") }</option>
                        { for Language::ALL.iter().map(|l| html! { <option value={l.code()} selected={state.language == Some(*l)}>{ i18n.language(*l) }</option> }) }
                    </select>
                </label>
            </div>
            <p class="muted" id="bulletin-count">{ i18n.tr.t_args("bl-count", &[("groups", Arg::Num(visible.len() as i64)), ("places", Arg::Num(places.into()))]) }</p>
            if let Some(r) = &*printed {
                <crate::widgets::printed::PrintOutcome result={r.clone()} />
            }
            { body }
            if state.on == state.today {
                if let Some(Ok(entries)) = &state.entries {
                    <crate::leases::LeasesPanel entries={entries.clone()} role={props.role} />
                }
            }
        </section>
    }
}
