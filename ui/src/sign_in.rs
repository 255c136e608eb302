use crate::app::LangSwitch;
use crate::bridge::call;
use crate::i18n::use_i18n;
use baqsha_api::*;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub info: Rc<StartInfo>,
    pub on_signed_in: Callback<(Rc<StartInfo>, Session)>,
}

#[component]
pub fn SignIn(props: &Props) -> Html {
    let i18n = use_i18n();
    let login = use_state(String::new);
    let password = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    // A password an administrator gave: its owner chooses a new one here first.
    let changing = use_state(|| false);
    let new_password = use_state(String::new);
    let repeat = use_state(String::new);

    let submit = {
        let (login, password, busy, error, changing, new_password, repeat) =
            (login.clone(), password.clone(), busy.clone(), error.clone(), changing.clone(), new_password.clone(), repeat.clone());
        let done = props.on_signed_in.clone();
        let info = props.info.clone();
        let i18n = i18n.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            if *changing && *new_password != *repeat {
                error.set(Some(i18n.t("setup-password-mismatch")));
                return;
            }
            busy.set(true);
            let (login, old, new, is_change) = ((*login).clone(), (*password).clone(), (*new_password).clone(), *changing);
            let (busy, error, done, info, changing, i18n) = (busy.clone(), error.clone(), done.clone(), info.clone(), changing.clone(), i18n.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let answer = if is_change { call(&calls::ChangePassword { login, old, new }).await } else { call(&calls::SignIn { login, password: old }).await };
                match answer {
                    Ok(s) => done.emit((info, s)),
                    Err(ApiError::PasswordChange) => {
                        changing.set(true);
                        error.set(Some(i18n.error(&ApiError::PasswordChange)));
                    }
                    Err(e) => error.set(Some(i18n.error(&e))),
                }
                busy.set(false);
            });
        })
    };
    let on_new = {
        let new_password = new_password.clone();
        Callback::from(move |e: InputEvent| new_password.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_repeat = {
        let repeat = repeat.clone();
        Callback::from(move |e: InputEvent| repeat.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_login = {
        let login = login.clone();
        Callback::from(move |e: InputEvent| login.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_password = {
        let password = password.clone();
        Callback::from(move |e: InputEvent| password.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let region = &props.info.region;

    html! {
        <div class="sign-in-page">
            <div class="sign-in-top"><LangSwitch /></div>
            <form class="card sign-in" onsubmit={submit} id="sign-in-form">
                <div class="brand big">
                    <img src="icon.png" alt="" />
                    <div>
                        <div class="brand-name">{ i18n.t("app-name") }</div>
                        <div class="brand-sub">{ i18n.t("app-subtitle") }</div>
                    </div>
                </div>
                <h1>{ i18n.t("sign-in-title") }</h1>
                <p class="muted">{ i18n.t("sign-in-intro") }</p>
                <p class="muted">{ i18n.name(&region.name) }</p>
                <label>{ i18n.t("sign-in-login") }
                    <input id="login" autocomplete="username" value={(*login).clone()} oninput={on_login} required=true />
                </label>
                <label>{ i18n.t("sign-in-password") }
                    <input id="password" type="password" autocomplete="current-password" value={(*password).clone()} oninput={on_password} required=true />
                </label>
                if *changing {
                    <label>{ i18n.t("sign-in-new-password") }
                        <input id="new-password" type="password" autocomplete="new-password" value={(*new_password).clone()} oninput={on_new} required=true />
                        <span class="muted small">{ i18n.t("setup-password-rule") }</span>
                    </label>
                    <label>{ i18n.t("setup-password-again") }
                        <input id="new-password-again" type="password" autocomplete="new-password" value={(*repeat).clone()} oninput={on_repeat} required=true />
                    </label>
                }
                if let Some(e) = &*error {
                    <div class="error" role="alert" id="sign-in-error">{ e }</div>
                }
                <button class="primary" id="sign-in" type="submit" disabled={*busy}>
                    { if *busy { i18n.t("sign-in-busy") } else { i18n.t("sign-in-submit") } }
                </button>
            </form>
            if !props.info.demo_accounts.is_empty() {
                <div class="card demo-accounts" id="demo-accounts">
                    <div class="demo-badge">{ i18n.t("demo-badge") }</div>
                    <h2>{ i18n.t("sign-in-demo") }</h2>
                    <table>
                        { for props.info.demo_accounts.iter().map(|a| {
                            let (l, p) = (login.clone(), password.clone());
                            let (al, ap) = (a.login.clone(), a.password.clone());
                            html! {
                                <tr>
                                    <td>{ i18n.t(&format!("role-{}", a.role.code())) }</td>
                                    <td><code>{ &a.login }</code></td>
                                    <td><code>{ &a.password }</code></td>
                                    <td><button type="button" class="ghost small" id={format!("use-{}", a.login)}
                                        onclick={move |_| { l.set(al.clone()); p.set(ap.clone()); }}>{ i18n.t("sign-in-demo-use") }</button></td>
                                </tr>
                            }
                        }) }
                    </table>
                </div>
            }
        </div>
    }
}
