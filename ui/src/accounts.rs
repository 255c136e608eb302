//! «Пайдаланушылар» (regional administrator): operators and kindergarten staff — a new
//! account with a temporary password, switching one off or on, a new temporary password.
//! Its owner sets their own password at the next sign-in. A refused form keeps what was typed.

use crate::bridge::call;
use crate::i18n::use_i18n;
use baqsha_api::*;
use baqsha_core::roles::Role;
use baqsha_core::KindergartenId;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

const ROLES: [Role; 3] = [Role::DepartmentOperator, Role::KindergartenStaff, Role::RegionalAdmin];

fn blank() -> AccountForm {
    AccountForm { id: None, login: String::new(), full_name: String::new(), role: Role::DepartmentOperator, kindergarten: None, active: true, password: Some(String::new()) }
}

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The administrator at the screen: their own account is not offered «Өшіру».
    pub me: baqsha_core::OperatorId,
}

#[component]
pub fn AccountsPage(props: &Props) -> Html {
    let i18n = use_i18n();
    let list = use_state(|| None::<Result<Vec<Account>, ApiError>>);
    let kindergartens = use_state(Vec::<KindergartenRow>::new);
    let form = use_state(blank);
    let reset_for = use_state(|| None::<(baqsha_core::OperatorId, String)>);
    let error = use_state(|| None::<String>);
    let saved = use_state(|| false);
    {
        let (list, kindergartens) = (list.clone(), kindergartens.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                list.set(Some(call(&calls::Accounts {}).await));
                let q = RegistryQuery { text: String::new(), language: None, kind: None, district: None, sort: RegistrySort::Name, russian_names: false, page: 0, page_size: 1000 };
                if let Ok(page) = call(&calls::SearchKindergartens { query: q }).await {
                    kindergartens.set(page.items);
                }
            });
        });
    }
    // Every change answers the list as it now stands.
    let send = {
        let (list, error, saved, i18n) = (list.clone(), error.clone(), saved.clone(), i18n.clone());
        move |after: Option<UseStateHandle<AccountForm>>, fut: std::pin::Pin<Box<dyn std::future::Future<Output = Result<Vec<Account>, ApiError>>>>| {
            let (list, error, saved, i18n) = (list.clone(), error.clone(), saved.clone(), i18n.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match fut.await {
                    Ok(v) => {
                        list.set(Some(Ok(v)));
                        error.set(None);
                        saved.set(true);
                        if let Some(f) = after {
                            f.set(blank());
                        }
                    }
                    Err(e) => {
                        saved.set(false);
                        error.set(Some(i18n.error(&e)));
                    }
                }
            });
        }
    };
    let text = |apply: fn(&mut AccountForm, String)| {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            let mut next = (*form).clone();
            apply(&mut next, e.target_unchecked_into::<HtmlInputElement>().value());
            form.set(next);
        })
    };
    let on_role = {
        let form = form.clone();
        Callback::from(move |e: Event| {
            let code = e.target_unchecked_into::<HtmlSelectElement>().value();
            let role = Role::from_code(&code).unwrap_or(Role::DepartmentOperator);
            form.set(AccountForm { role, ..(*form).clone() });
        })
    };
    let on_kindergarten = {
        let form = form.clone();
        Callback::from(move |e: Event| {
            let id = e.target_unchecked_into::<HtmlSelectElement>().value();
            form.set(AccountForm { kindergarten: uuid::Uuid::parse_str(&id).ok().map(KindergartenId), ..(*form).clone() });
        })
    };
    let create = {
        let (form, send) = (form.clone(), send.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let account = (*form).clone();
            send(Some(form.clone()), Box::pin(async move { call(&calls::SaveAccount { account }).await }));
        })
    };
    let rows = match &*list {
        None => html! { <p class="muted">{ i18n.t("loading") }</p> },
        Some(Err(e)) => html! { <p class="error" role="alert">{ i18n.error(e) }</p> },
        Some(Ok(v)) => html! {
            <table class="card" id="accounts-table">
                <thead><tr>
                    <th>{ i18n.t("field-login") }</th><th>{ i18n.t("ac-name") }</th><th>{ i18n.t("ac-role") }</th><th>{ i18n.t("field-kindergarten") }</th><th>{ i18n.t("ac-state") }</th><th></th>
                </tr></thead>
                <tbody>{ for v.iter().map(|a| {
                    let o = a.operator.clone();
                    let kg = o.kindergarten.and_then(|k| kindergartens.iter().find(|r| r.id == k)).map(|r| i18n.name(&r.name)).unwrap_or_default();
                    let toggle = {
                        let send = send.clone();
                        let account = AccountForm { id: Some(o.id), login: o.login.clone(), full_name: o.full_name.clone(), role: o.role, kindergarten: o.kindergarten, active: !a.active, password: None };
                        Callback::from(move |_: MouseEvent| {
                            let account = account.clone();
                            send(None, Box::pin(async move { call(&calls::SaveAccount { account }).await }));
                        })
                    };
                    let start_reset = {
                        let reset_for = reset_for.clone();
                        let id = o.id;
                        Callback::from(move |_: MouseEvent| reset_for.set(Some((id, String::new()))))
                    };
                    let resetting = reset_for.as_ref().filter(|(id, _)| *id == o.id).map(|(_, p)| p.clone());
                    html! {
                        <tr class="account" data-login={o.login.clone()}>
                            <td><code>{ &o.login }</code></td>
                            <td>{ &o.full_name }</td>
                            <td>{ i18n.t(&format!("role-{}", o.role.code())) }</td>
                            <td>{ kg }</td>
                            <td class="account-state">{ if !a.active { i18n.t("ac-off") } else if a.must_change { i18n.t("ac-must-change") } else { i18n.t("ac-on") } }</td>
                            <td>
                                if o.id != props.me {
                                    <button class="ghost small account-toggle" type="button" onclick={toggle}>{ if a.active { i18n.t("ac-switch-off") } else { i18n.t("ac-switch-on") } }</button>
                                }
                                if let Some(typed) = resetting {
                                    <input class="account-new-password" type="password" autocomplete="new-password" value={typed} oninput={{
                                        let reset_for = reset_for.clone();
                                        let id = o.id;
                                        Callback::from(move |e: InputEvent| reset_for.set(Some((id, e.target_unchecked_into::<HtmlInputElement>().value()))))
                                    }} />
                                    <button class="primary small account-reset-save" type="button" onclick={{
                                        let (send, reset_for) = (send.clone(), reset_for.clone());
                                        Callback::from(move |_: MouseEvent| {
                                            if let Some((id, password)) = (*reset_for).clone() {
                                                reset_for.set(None);
                                                send(None, Box::pin(async move { call(&calls::ResetPassword { id, password }).await }));
                                            }
                                        })
                                    }}>{ i18n.t("ac-reset-save") }</button>
                                } else {
                                    <button class="ghost small account-reset" type="button" onclick={start_reset}>{ i18n.t("ac-reset") }</button>
                                }
                            </td>
                        </tr>
                    }
                }) }</tbody>
            </table>
        },
    };
    html! {
        <section class="page" id="accounts-page">
            <h1>{ i18n.t("ac-title") }</h1>
            <p class="muted">{ i18n.t("ac-intro") }</p>
            if let Some(e) = &*error {
                <p class="error" role="alert" id="accounts-error">{ e }</p>
            } else if *saved {
                <p class="notice" role="status" id="accounts-saved">{ i18n.t("ac-saved") }</p>
            }
            { rows }
            <form class="card account-form" id="account-new" onsubmit={create}>
                <h2>{ i18n.t("ac-new") }</h2>
                <label>{ i18n.t("field-login") }<input id="account-login" value={form.login.clone()} oninput={text(|f, v| f.login = v)} required=true /></label>
                <label>{ i18n.t("ac-name") }<input id="account-name" value={form.full_name.clone()} oninput={text(|f, v| f.full_name = v)} required=true /></label>
                <label>{ i18n.t("ac-role") }
                    <select id="account-role" onchange={on_role}>
                        { for ROLES.iter().map(|r| html! { <option value={r.code()} selected={*r == form.role}>{ i18n.t(&format!("role-{}", r.code())) }</option> }) }
                    </select>
                </label>
                if form.role == Role::KindergartenStaff {
                    <label>{ i18n.t("field-kindergarten") }
                        <select id="account-kindergarten" onchange={on_kindergarten}>
                            <option value="" selected={form.kindergarten.is_none()}>{ "—" }</option>
                            { for kindergartens.iter().map(|k| html! { <option value={k.id.to_string()} selected={form.kindergarten == Some(k.id)}>{ i18n.name(&k.name) }</option> }) }
                        </select>
                    </label>
                }
                <label>{ i18n.t("ac-temporary-password") }
                    <input id="account-password" type="password" autocomplete="new-password" value={form.password.clone().unwrap_or_default()} oninput={text(|f, v| f.password = Some(v))} required=true />
                    <span class="muted small">{ i18n.t("setup-password-rule") }</span>
                </label>
                <button class="primary" id="account-create" type="submit">{ i18n.t("ac-create") }</button>
            </form>
        </section>
    }
}
