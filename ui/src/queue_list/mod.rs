//! «Өтініштер кезегі»: the public queue of one category with positions, masked identities,
//! filters (district, kindergarten, benefit tier), paging and print.

pub mod state;

use crate::bridge::call;
use crate::i18n::use_i18n;
use crate::queue_list::state::{Action, Load, QueueListState};
use baqsha_api::*;
use baqsha_core::{BenefitTier, District, KindergartenId};
use baqsha_i18n::Arg;
use chrono::Datelike;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub districts: Vec<District>,
}

fn this_year() -> i32 {
    crate::clock::today().year()
}

#[component]
pub fn QueueListPage(props: &Props) -> Html {
    let i18n = use_i18n();
    let state = use_reducer(|| QueueListState::new(this_year() - 3));
    let kindergartens = use_state(Vec::<MapPoint>::new);
    let printed = use_state(|| None::<Result<Printed, ApiError>>);

    {
        let state = state.clone();
        let (seq, query) = (state.seq, state.query.clone());
        use_effect_with(seq, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match call(&calls::QueuePage { query: query.clone() }).await {
                    Ok(page) => state.dispatch(Action::Loaded { seq, page }),
                    Err(error) => state.dispatch(Action::Failed { seq, error }),
                }
            });
        });
    }
    {
        // The kindergarten filter offers the chosen district's kindergartens.
        let kindergartens = kindergartens.clone();
        let district = state.query.district.clone();
        use_effect_with(district.clone(), move |_| {
            kindergartens.set(vec![]);
            if let Some(d) = district {
                wasm_bindgen_futures::spawn_local(async move {
                    let q = RegistryQuery { district: Some(d), ..Default::default() };
                    if let Ok(points) = call(&calls::MapPoints { query: q.clone() }).await {
                        kindergartens.set(points);
                    }
                });
            }
        });
    }

    let goto_text = use_state(String::new);
    // The number typed that no queued application has, or why it could not be looked up.
    let goto_missing = use_state(|| None::<Result<String, ApiError>>);
    let select = |f: fn(String) -> Action| {
        let state = state.clone();
        Callback::from(move |e: Event| state.dispatch(f(e.target_unchecked_into::<HtmlSelectElement>().value())))
    };
    let go = |page: u32| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::Page(page)))
    };
    let print = {
        let (printed, query, lang) = (printed.clone(), state.query.clone(), i18n.lang.of_documents());
        Callback::from(move |_: MouseEvent| {
            let printed = printed.clone();
            let request = calls::PrintList {
                list: PrintList::Queue { category: query.category, district: query.district.clone(), kindergarten: query.kindergarten, tier: query.tier },
                lang,
                save_as: false,
            };
            wasm_bindgen_futures::spawn_local(async move {
                printed.set(Some(call(&request).await));
            });
        })
    };
    let q = &state.query;
    let body = match &state.load {
        Load::Loading => html! { <p class="muted">{ i18n.t("loading") }</p> },
        Load::Failed(e) => html! { <p class="error" role="alert">{ i18n.error(e) }</p> },
        Load::Loaded(p) if p.lines.is_empty() => html! { <p class="card empty" id="queue-empty">{ i18n.t("doc-list-empty") }</p> },
        Load::Loaded(p) => html! {
            <table id="queue-table" class="card">
                <thead><tr>
                    <th class="num">{ i18n.t("doc-col-position") }</th><th>{ i18n.t("doc-col-number") }</th>
                    <th>{ i18n.t("doc-col-registered") }</th><th>{ i18n.t("doc-col-child") }</th>
                    <th>{ i18n.t("doc-col-tier") }</th><th>{ i18n.t("doc-col-status") }</th>
                </tr></thead>
                <tbody>{ for p.lines.iter().map(|l| html! {
                    <tr class={classes!("queue-line", (state.marked == Some(l.position)).then_some("marked"))}>
                        <td class="num pos">{ l.position }</td>
                        <td>{ &l.number }</td>
                        <td>{ baqsha_core::command::desk_time(l.registered_at).format("%d.%m.%Y %H:%M").to_string() }</td>
                        <td>{ &l.initials }{ " " }<span class="muted">{ &l.iin_masked }</span></td>
                        <td>{ i18n.t(&format!("tier-{}", l.tier.code())) }</td>
                        <td>{ i18n.t(&format!("doc-status-{}", l.status.code())) }</td>
                    </tr>
                }) }</tbody>
            </table>
        },
    };
    // A position (digits) opens its page; anything else is an application's number.
    let goto = {
        let (state, typed, missing) = (state.clone(), goto_text.clone(), goto_missing.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let text = typed.trim().to_string();
            missing.set(None);
            if text.is_empty() {
                return;
            }
            if let Ok(position) = text.parse::<u64>() {
                state.dispatch(Action::GoTo(position));
                return;
            }
            let (state, missing) = (state.clone(), missing.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match call(&calls::FindInQueue { number: text.clone() }).await {
                    Ok(Some(spot)) => state.dispatch(Action::Spot(spot)),
                    Ok(None) => missing.set(Some(Ok(text))),
                    Err(e) => missing.set(Some(Err(e))),
                }
            });
        })
    };
    let on_goto = {
        let typed = goto_text.clone();
        Callback::from(move |e: InputEvent| typed.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()))
    };
    // Above the table and below it; each id once on the page (`at` names the one below).
    let pager = |at: &str| {
        state.range().map(|(first, last, total)| html! {
            <div class="pager">
                <button id={format!("queue-prev{at}")} disabled={q.page == 0} onclick={go(q.page.saturating_sub(1))}>{ "‹" }</button>
                <span id={format!("queue-range{at}")}>{ i18n.tr.t_args("qs-range", &[("first", Arg::Num(first as i64)), ("last", Arg::Num(last as i64)), ("total", Arg::Num(total as i64))]) }</span>
                <button id={format!("queue-next{at}")} disabled={!state.has_next()} onclick={go(q.page + 1)}>{ "›" }</button>
            </div>
        })
    };
    let year = this_year();
    html! {
        <section class="page queue-list-page">
            <div class="page-head">
                <h1>{ i18n.t("qs-title") }</h1>
                <button id="queue-print" onclick={print}>{ i18n.t("print-button") }</button>
            </div>
            <div class="filters card">
                <label><span>{ i18n.t("print-category") }</span>
                    <select id="qs-category" onchange={select(|v| Action::Category(v.parse().unwrap_or_default()))}>
                        { for (year - 6..=year).rev().map(|y| html! { <option value={y.to_string()} selected={q.category == y}>{ y }</option> }) }
                    </select>
                </label>
                <label><span>{ i18n.t("print-district") }</span>
                    <select id="qs-district" onchange={select(|v| Action::District(Some(v).filter(|v| !v.is_empty())))}>
                        <option value="" selected={q.district.is_none()}>{ i18n.t("print-all-districts") }</option>
                        { for props.districts.iter().map(|d| html! {
                            <option value={d.code.clone()} selected={q.district.as_deref() == Some(d.code.as_str())}>{ i18n.pick3(&d.name_kk, &d.name_ru, &d.name_en) }</option>
                        }) }
                    </select>
                </label>
                <label><span>{ i18n.t("qs-kindergarten") }</span>
                    <select id="qs-kindergarten" disabled={q.district.is_none()}
                        onchange={select(|v| Action::Kindergarten(v.parse().ok().map(KindergartenId)))}>
                        <option value="" selected={q.kindergarten.is_none()}>{ i18n.t("filter-all") }</option>
                        { for kindergartens.iter().map(|k| html! {
                            <option value={k.id.to_string()} selected={q.kindergarten == Some(k.id)}>{ i18n.name(&k.name) }</option>
                        }) }
                    </select>
                </label>
                <label><span>{ i18n.t("doc-col-tier") }</span>
                    <select id="qs-tier" onchange={select(|v| Action::Tier(BenefitTier::from_code(&v)))}>
                        <option value="" selected={q.tier.is_none()}>{ i18n.t("filter-all") }</option>
                        { for [BenefitTier::OutOfTurn, BenefitTier::Priority, BenefitTier::General].into_iter().map(|t| html! {
                            <option value={t.code()} selected={q.tier == Some(t)}>{ i18n.t(&format!("tier-{}", t.code())) }</option>
                        }) }
                    </select>
                </label>
                <form class="goto" onsubmit={goto}>
                    <label><span>{ i18n.t("qs-goto") }</span>
                        <input id="queue-goto" placeholder={i18n.t("qs-goto-example")} value={(*goto_text).clone()} oninput={on_goto} /></label>
                    <button id="queue-goto-go" type="submit">{ i18n.t("qs-goto-go") }</button>
                </form>
            </div>
            { match &*goto_missing {
                Some(Ok(number)) => html! { <div class="notice warn" id="queue-goto-missing">{ i18n.tr.t_args("qs-goto-none", &[("number", Arg::Str(number))]) }</div> },
                Some(Err(e)) => html! { <div class="error" id="queue-goto-missing">{ i18n.error(e) }</div> },
                None => html! {},
            } }
            if let Some(r) = &*printed {
                <crate::widgets::printed::PrintOutcome result={r.clone()} />
            }
            { pager("").unwrap_or_default() }
            { body }
            { pager("-below").unwrap_or_default() }
        </section>
    }
}
