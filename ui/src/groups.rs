//! «Топтар мен орындар», for kindergarten staff: the groups kept current (places, children)
//! and freed places published to the bulletin with a date. The rules (capacity, the August
//! pause) are the core's: a refusal is shown and what was typed stays.

use crate::bridge::call;
use crate::i18n::use_i18n;
use baqsha_api::*;
use baqsha_core::{Group, GroupId};
use baqsha_i18n::Arg;
use std::collections::HashMap;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// What is typed in one group's row, kept across refusals.
#[derive(Clone, PartialEq, Default)]
struct Row {
    capacity: String,
    enrolled: String,
    count: String,
    on: String,
}

#[component]
pub fn GroupsPage() -> Html {
    let i18n = use_i18n();
    let passport = use_state(|| None::<Result<Passport, ApiError>>);
    let rows = use_state(HashMap::<GroupId, Row>::new);
    let outcome = use_state(|| None::<Result<String, ApiError>>);
    let reload = {
        let passport = passport.clone();
        Callback::from(move |()| {
            let passport = passport.clone();
            wasm_bindgen_futures::spawn_local(async move {
                passport.set(Some(call(&calls::GroupsOf { kindergarten: None }).await));
            });
        })
    };
    {
        let reload = reload.clone();
        use_effect_with((), move |_| reload.emit(()));
    }
    let p = match &*passport {
        None => return html! { <section class="page"><p class="muted">{ i18n.t("loading") }</p></section> },
        Some(Err(ApiError::InvalidInput { .. })) => {
            return html! { <section class="page"><h1>{ i18n.t("gr-title") }</h1><p class="card empty">{ i18n.t("gr-staff-only") }</p></section> }
        }
        Some(Err(e)) => return html! { <section class="page"><p class="error" role="alert">{ i18n.error(e) }</p></section> },
        Some(Ok(p)) => p.clone(),
    };
    let today = crate::clock::today().to_string();
    let row_of =
        |g: &Group| rows.get(&g.id).cloned().unwrap_or_else(|| Row { capacity: g.capacity.to_string(), enrolled: g.enrolled.to_string(), count: "1".into(), on: today.clone() });
    let edit = |id: GroupId, current: Row, f: fn(&mut Row, String)| {
        let rows = rows.clone();
        Callback::from(move |e: InputEvent| {
            let mut all = (*rows).clone();
            let mut r = all.get(&id).cloned().unwrap_or_else(|| current.clone());
            f(&mut r, e.target_unchecked_into::<HtmlInputElement>().value());
            all.insert(id, r);
            rows.set(all);
        })
    };
    let edit_date = |id: GroupId, current: Row| {
        let rows = rows.clone();
        Callback::from(move |iso: String| {
            let mut all = (*rows).clone();
            let mut r = all.get(&id).cloned().unwrap_or_else(|| current.clone());
            r.on = iso;
            all.insert(id, r);
            rows.set(all);
        })
    };
    let body = if p.groups.is_empty() {
        html! { <p class="card empty">{ i18n.t("gr-none") }</p> }
    } else {
        html! {
            <table id="groups-table" class="card">
                <thead><tr>
                    <th>{ i18n.t("gr-name") }</th><th>{ i18n.t("bl-age") }</th><th>{ i18n.t("bl-language") }</th>
                    <th>{ i18n.t("gr-capacity") }</th><th>{ i18n.t("gr-enrolled") }</th><th></th>
                    <th class="num">{ i18n.t("gr-open") }</th><th>{ i18n.t("gr-publish-count") }</th><th>{ i18n.t("gr-publish-date") }</th><th></th>
                </tr></thead>
                <tbody>{ for p.groups.iter().map(|gr| {
                    let g = &gr.group;
                    let r = row_of(g);
                    let save = {
                        let (g, r, outcome, reload, rows) = (g.clone(), r.clone(), outcome.clone(), reload.clone(), rows.clone());
                        Callback::from(move |_: MouseEvent| {
                            let (Ok(capacity), Ok(enrolled)) = (r.capacity.trim().parse(), r.enrolled.trim().parse()) else {
                                outcome.set(Some(Err(ApiError::InvalidInput { field: "number".into() })));
                                return;
                            };
                            let group = Group { capacity, enrolled, ..g.clone() };
                            let (outcome, reload, rows, id, was_enrolled) = (outcome.clone(), reload.clone(), rows.clone(), g.id, g.enrolled);
                            wasm_bindgen_futures::spawn_local(async move {
                                match call(&calls::SaveGroup { group: group.clone(), was_enrolled }).await {
                                    Ok(()) => {
                                        let mut all = (*rows).clone();
                                        all.remove(&id);
                                        rows.set(all);
                                        outcome.set(Some(Ok("gr-saved".into())));
                                        reload.emit(());
                                    }
                                    Err(e) => {
                                        // Changed meanwhile: the page shows the new count;
                                        // what was typed stays in the form.
                                        if matches!(e, ApiError::Rule { rule: baqsha_core::command::RuleError::GroupChanged { .. } }) {
                                            reload.emit(());
                                        }
                                        outcome.set(Some(Err(e)));
                                    }
                                }
                            });
                        })
                    };
                    let publish = {
                        let (g, r, outcome, reload) = (g.clone(), r.clone(), outcome.clone(), reload.clone());
                        Callback::from(move |_: MouseEvent| {
                            let (Ok(count), Ok(on)) = (r.count.trim().parse::<u32>(), r.on.parse::<chrono::NaiveDate>()) else {
                                outcome.set(Some(Err(ApiError::InvalidInput { field: "number".into() })));
                                return;
                            };
                            let (outcome, reload) = (outcome.clone(), reload.clone());
                            let args = calls::PublishPlaces { kindergarten: g.kindergarten, group: g.id, count, on };
                            wasm_bindgen_futures::spawn_local(async move {
                                match call(&args).await {
                                    Ok(()) => {
                                        outcome.set(Some(Ok(format!("gr-published:{count}"))));
                                        reload.emit(());
                                    }
                                    Err(e) => outcome.set(Some(Err(e))),
                                }
                            });
                        })
                    };
                    html! {
                        <tr class="group-line" data-group={g.id.to_string()} data-name={g.name.clone()}>
                            <td>{ &g.name }</td>
                            <td>{ crate::bulletin::age(&i18n, g.age) }</td>
                            <td>{ i18n.language(g.language) }</td>
                            <td><input class="group-capacity narrow" inputmode="numeric" value={r.capacity.clone()} oninput={edit(g.id, r.clone(), |r, v| r.capacity = v)} /></td>
                            <td><input class="group-enrolled narrow" inputmode="numeric" value={r.enrolled.clone()} oninput={edit(g.id, r.clone(), |r, v| r.enrolled = v)} /></td>
                            <td><button class="group-save" onclick={save}>{ i18n.t("gr-save") }</button></td>
                            <td class="num group-open">{ gr.open_places }</td>
                            <td><input class="publish-count narrow" inputmode="numeric" value={r.count.clone()} oninput={edit(g.id, r.clone(), |r, v| r.count = v)} /></td>
                            <td><crate::widgets::date::DateInput id={format!("publish-date-{}", g.id)} class="publish-date" value={r.on.clone()} on_change={edit_date(g.id, r.clone())} /></td>
                            <td><button class="primary publish" onclick={publish}>{ i18n.t("gr-publish") }</button></td>
                        </tr>
                    }
                }) }</tbody>
            </table>
        }
    };
    let note = match &*outcome {
        None => html! {},
        Some(Ok(id)) => {
            let text = match id.split_once(':') {
                Some((id, n)) => i18n.tr.t_args(id, &[("count", Arg::Num(n.parse().unwrap_or(0)))]),
                None => i18n.t(id),
            };
            html! { <p class="notice success" role="status" id="groups-outcome">{ text }</p> }
        }
        Some(Err(e)) => html! { <p class="error" role="alert" id="groups-outcome">{ i18n.error(e) }</p> },
    };
    html! {
        <section class="page groups-page">
            <div class="page-head"><h1>{ i18n.t("gr-title") }</h1></div>
            <p class="muted">{ i18n.pick3(&p.kindergarten.name_kk, &p.kindergarten.name_ru, &p.kindergarten.name_ru) }</p>
            { note }
            { body }
        </section>
    }
}
