//! The first start of a desk: the demo (every name invented, marked «ДЕМО» everywhere) or
//! this office, set up with its own administrator. A rejected form keeps what was typed.

use crate::app::LangSwitch;
use crate::bridge::call;
use crate::i18n::use_i18n;
use baqsha_api::*;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub info: Rc<StartInfo>,
    pub regions: Rc<Vec<SetupRegion>>,
    /// The demo was chosen: the sign-in screen with its demo accounts follows.
    pub on_demo: Callback<StartInfo>,
    /// The office is set up and its administrator signed in.
    pub on_done: Callback<(Rc<StartInfo>, Session)>,
}

#[component]
pub fn Setup(props: &Props) -> Html {
    let i18n = use_i18n();
    let first = props.regions.first().cloned();
    let form = use_state(|| OfficeSetup {
        region: first.as_ref().map(|r| r.code.clone()).unwrap_or_default(),
        district: first.as_ref().and_then(|r| r.districts.first()).map(|d| d.code.clone()).unwrap_or_default(),
        office_name: String::new(),
        admin_name: String::new(),
        admin_login: String::new(),
        password: String::new(),
    });
    let repeat = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);

    let edit = |apply: fn(&mut OfficeSetup, String)| {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            let mut next = (*form).clone();
            apply(&mut next, e.target_unchecked_into::<HtmlInputElement>().value());
            form.set(next);
        })
    };
    let on_region = {
        let (form, regions) = (form.clone(), props.regions.clone());
        Callback::from(move |e: Event| {
            let code = e.target_unchecked_into::<HtmlSelectElement>().value();
            let district = regions.iter().find(|r| r.code == code).and_then(|r| r.districts.first()).map(|d| d.code.clone()).unwrap_or_default();
            form.set(OfficeSetup { region: code, district, ..(*form).clone() });
        })
    };
    let on_district = {
        let form = form.clone();
        Callback::from(move |e: Event| form.set(OfficeSetup { district: e.target_unchecked_into::<HtmlSelectElement>().value(), ..(*form).clone() }))
    };
    let on_repeat = {
        let repeat = repeat.clone();
        Callback::from(move |e: InputEvent| repeat.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let submit = {
        let (form, repeat, busy, error, done, info, i18n) = (form.clone(), repeat.clone(), busy.clone(), error.clone(), props.on_done.clone(), props.info.clone(), i18n.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            if form.password != *repeat {
                error.set(Some(i18n.t("setup-password-mismatch")));
                return;
            }
            busy.set(true);
            let args = calls::SetUpOffice { setup: (*form).clone() };
            let (busy, error, done, info, i18n) = (busy.clone(), error.clone(), done.clone(), info.clone(), i18n.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match call(&args).await {
                    Ok(s) => done.emit((info, s)),
                    Err(e) => error.set(Some(i18n.error(&e))),
                }
                busy.set(false);
            });
        })
    };
    let demo = {
        let (busy, error, on_demo, i18n) = (busy.clone(), error.clone(), props.on_demo.clone(), i18n.clone());
        Callback::from(move |_: MouseEvent| {
            if *busy {
                return;
            }
            busy.set(true);
            let (busy, error, on_demo, i18n) = (busy.clone(), error.clone(), on_demo.clone(), i18n.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match call(&calls::StartDemo {}).await {
                    Ok(info) => on_demo.emit(info),
                    Err(e) => error.set(Some(i18n.error(&e))),
                }
                busy.set(false);
            });
        })
    };
    let districts = props.regions.iter().find(|r| r.code == form.region).map(|r| r.districts.clone()).unwrap_or_default();

    html! {
        <div class="sign-in-page">
            <div class="sign-in-top"><LangSwitch /></div>
            <div class="card sign-in" id="setup">
                <div class="brand big">
                    <img src="icon.png" alt="" />
                    <div>
                        <div class="brand-name">{ i18n.t("app-name") }</div>
                        <div class="brand-sub">{ i18n.t("app-subtitle") }</div>
                    </div>
                </div>
                <h1>{ i18n.t("setup-title") }</h1>
                <p class="muted">{ i18n.t("setup-intro") }</p>
                <div class="setup-demo">
                    <div class="demo-badge">{ i18n.t("demo-badge") }</div>
                    <p>{ i18n.t("setup-demo-note") }</p>
                    <button class="ghost" id="setup-demo" type="button" onclick={demo} disabled={*busy}>{ i18n.t("setup-demo") }</button>
                </div>
            </div>
            <form class="card sign-in" id="setup-form" onsubmit={submit}>
                <h2>{ i18n.t("setup-office") }</h2>
                <label>{ i18n.t("setup-region") }
                    <select id="setup-region" onchange={on_region}>
                        { for props.regions.iter().map(|r| html! { <option value={r.code.clone()} selected={r.code == form.region}>{ i18n.name(&r.name) }</option> }) }
                    </select>
                </label>
                <label>{ i18n.t("field-district") }
                    <select id="setup-district" onchange={on_district}>
                        { for districts.iter().map(|d| html! { <option value={d.code.clone()} selected={d.code == form.district}>{ i18n.pick3(&d.name_kk, &d.name_ru, &d.name_en) }</option> }) }
                    </select>
                </label>
                <label>{ i18n.t("field-office") }
                    <input id="setup-office-name" value={form.office_name.clone()} oninput={edit(|f, v| f.office_name = v)} required=true />
                </label>
                <label>{ i18n.t("field-name") }
                    <input id="setup-admin-name" value={form.admin_name.clone()} oninput={edit(|f, v| f.admin_name = v)} required=true />
                </label>
                <label>{ i18n.t("field-login") }
                    <input id="setup-login" autocomplete="username" value={form.admin_login.clone()} oninput={edit(|f, v| f.admin_login = v)} required=true />
                </label>
                <label>{ i18n.t("field-password") }
                    <input id="setup-password" type="password" autocomplete="new-password" value={form.password.clone()} oninput={edit(|f, v| f.password = v)} required=true />
                    <span class="muted small">{ i18n.t("setup-password-rule") }</span>
                </label>
                <label>{ i18n.t("setup-password-again") }
                    <input id="setup-password-again" type="password" autocomplete="new-password" value={(*repeat).clone()} oninput={on_repeat} required=true />
                </label>
                if let Some(e) = &*error {
                    <div class="error" role="alert" id="setup-error">{ e }</div>
                }
                <button class="primary" id="setup-submit" type="submit" disabled={*busy}>{ i18n.t("setup-submit") }</button>
            </form>
        </div>
    }
}
