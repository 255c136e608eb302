//! «Балабақша паспорты».

use crate::app::Screen;
use crate::bridge::call;
use crate::i18n::use_i18n;
use crate::registry::state::{Action, RegistryState};
use baqsha_api::*;
use baqsha_core::KindergartenId;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub id: KindergartenId,
    pub open: Callback<Screen>,
    pub state: UseReducerHandle<RegistryState>,
}

#[component]
pub fn PassportPage(props: &Props) -> Html {
    let i18n = use_i18n();
    let data = use_state(|| None::<Result<Passport, ApiError>>);
    {
        let data = data.clone();
        use_effect_with(props.id, move |id| {
            let id = *id;
            data.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                data.set(Some(call(&calls::Passport { id }).await));
            });
        });
    }
    let back = {
        let open = props.open.clone();
        move |_| open.emit(Screen::Registry)
    };
    let head = html! { <button class="ghost" id="passport-back" onclick={back}>{ i18n.t("passport-back") }</button> };
    let p = match &*data {
        None => return html! { <section class="page">{ head }<div class="loading">{ i18n.t("loading") }</div></section> },
        Some(Err(e)) => return html! { <section class="page">{ head }<div class="card error-state" role="alert">{ i18n.error(e) }</div></section> },
        Some(Ok(p)) => p,
    };
    let k = &p.kindergarten;
    let none = || html! { <span class="muted">{ i18n.t("passport-none") }</span> };
    let show_on_map = {
        let (open, state) = (props.open.clone(), props.state.clone());
        let (id, district) = (k.id, p.district.code.clone());
        move |_| {
            state.dispatch(Action::ShowOnMap { id, district: district.clone() });
            open.emit(Screen::Registry)
        }
    };
    let fact = |label: &str, value: Html| html! { <div class="fact"><div class="fact-label">{ i18n.t(label) }</div><div class="fact-value">{ value }</div></div> };

    html! {
        <section class="page passport" id="passport">
            <div class="page-head">{ head }</div>
            <div class="card passport-head">
                <div class="passport-kicker">{ i18n.t("passport-title") }</div>
                <h1 id="passport-name">{ i18n.pick(&k.name_kk, &k.name_ru) }</h1>
                <div class="passport-sub">
                    <span class={classes!("kind", k.kind.code())}>{ i18n.kind(k.kind) }</span>
                    <span>{ i18n.pick3(&p.district.name_kk, &p.district.name_ru, &p.district.name_en) }</span>
                    <span class="muted">{ i18n.pick(&k.address_kk, &k.address_ru) }</span>
                    <button class="ghost small" id="passport-on-map" onclick={show_on_map}>{ i18n.t("passport-on-map") }</button>
                </div>
            </div>
            <div class="stats">
                <div class="stat card" id="passport-free"><div class="stat-value">{ p.free_places }</div><div class="stat-label">{ i18n.t("passport-free") }</div>
                    <div class="stat-note">{ i18n.t("passport-free-note") }</div></div>
                <div class="stat card" id="passport-queue"><div class="stat-value">{ p.queue_size }</div><div class="stat-label">{ i18n.t("passport-queue") }</div>
                    <div class="stat-note">{ i18n.n("passport-queue-first", "n", p.queue_first_choice as i64) }</div></div>
                <div class="stat card" id="passport-enrolled"><div class="stat-value">{ format!("{} / {}", p.enrolled, p.capacity) }</div><div class="stat-label">{ i18n.t("passport-enrolled") }</div>
                    <div class="stat-note">{ i18n.tr.t_args("passport-enrolled-note", &[
                        ("children", baqsha_i18n::Arg::Num(p.enrolled.into())),
                        ("places", baqsha_i18n::Arg::Num(p.capacity.into())),
                        // Places neither filled nor published: what the kindergarten could still publish.
                        ("unpublished", baqsha_i18n::Arg::Num(i64::from(p.capacity.saturating_sub(p.enrolled).saturating_sub(p.free_places)))),
                    ]) }</div></div>
                <div class="stat card"><div class="stat-value">{ k.design_capacity }</div><div class="stat-label">{ i18n.t("passport-capacity") }</div></div>
            </div>
            <div class="card facts">
                { fact("passport-head", html! { <span id="passport-head-name">{ &k.head }</span> }) }
                { fact("passport-phone", k.phone.as_ref().map(|x| html! { { x } }).unwrap_or_else(none)) }
                { fact("passport-email", k.email.as_ref().map(|x| html! { { x } }).unwrap_or_else(none)) }
                { fact("passport-hours", if k.hours.is_empty() { none() } else { html! { { &k.hours } } }) }
                { fact("passport-address", html! { { i18n.pick(&k.address_kk, &k.address_ru) } }) }
            </div>
            <div class="card">
                <h2>{ i18n.t("passport-groups") }</h2>
                if p.groups.is_empty() {
                    <p class="muted">{ i18n.t("passport-no-groups") }</p>
                } else {
                    <table id="passport-groups">
                        <thead><tr>
                            <th>{ i18n.t("group-name") }</th><th>{ i18n.t("group-age") }</th><th>{ i18n.t("group-language") }</th>
                            <th class="num">{ i18n.t("group-capacity") }</th><th class="num">{ i18n.t("group-enrolled") }</th><th class="num">{ i18n.t("group-open") }</th>
                            <th class="num">{ i18n.t("group-queue-fits") }</th>
                        </tr></thead>
                        <tbody>
                        { for p.groups.iter().map(|g| html! {
                            <tr>
                                <td>{ &g.group.name }</td>
                                <td>{ i18n.tr.t_args("age-band", &[("from", baqsha_i18n::Arg::Num(g.group.age.from_years as i64)), ("to", baqsha_i18n::Arg::Num(g.group.age.to_years as i64))]) }</td>
                                <td><span class={classes!("chip", g.group.language.code())}>{ i18n.language(g.group.language) }</span></td>
                                <td class="num">{ g.group.capacity }</td>
                                <td class="num">{ g.group.enrolled }</td>
                                <td class={classes!("num", (g.open_places > 0).then_some("has-free"))}>{ g.open_places }</td>
                                <td class="num queue-fits">{ g.queue_fits }</td>
                            </tr>
                        }) }
                        </tbody>
                    </table>
                    <p class="muted small" id="passport-queue-fits-note">{ i18n.t("group-queue-fits-note") }</p>
                }
            </div>
            <div class="two-col">
                <div class="card">
                    <h2>{ i18n.t("passport-programmes") }</h2>
                    if k.programmes.is_empty() { { none() } } else {
                        <ul id="passport-programmes">{ for k.programmes.iter().map(|x| html! { <li>{ x }</li> }) }</ul>
                    }
                </div>
                <div class="card">
                    <h2>{ i18n.t("passport-equipment") }</h2>
                    if k.equipment.is_empty() { { none() } } else {
                        <ul id="passport-equipment">{ for k.equipment.iter().map(|x| html! { <li>{ x }</li> }) }</ul>
                    }
                </div>
            </div>
        </section>
    }
}
