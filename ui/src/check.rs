//! «Жолдаманы тексеру»: is this referral genuine? From the QR code's text (pasted, or typed
//! by a scanner that ends with Enter) or from a scanned image. Works offline.

use crate::bridge::call;
use crate::i18n::{use_i18n, I18n};
use baqsha_api::*;
use baqsha_i18n::Arg;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Clone, PartialEq)]
enum Answer {
    None,
    Working,
    Got(ReferralCheck),
    Failed(ApiError),
}

fn day(d: chrono::NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

fn verdict(i18n: &I18n, c: &ReferralCheck) -> Html {
    let (class, title, lines): (&str, String, Vec<String>) = match c {
        ReferralCheck::Valid { number, issuer, kindergarten_name, group, issued_on, valid_until, expired, status, child_matches } => {
            let mut lines =
                vec![i18n.tr.t_args("check-valid-detail", &[("number", Arg::Str(number)), ("issued", Arg::Str(&day(*issued_on))), ("until", Arg::Str(&day(*valid_until)))])];
            lines.push(if issuer == "self" { i18n.t("check-issuer-self") } else { i18n.tr.t_args("check-issuer", &[("issuer", Arg::Str(issuer))]) });
            match kindergarten_name {
                Some(name) => lines.push(i18n.tr.t_args("check-kindergarten", &[("name", Arg::Str(i18n.name(name)))])),
                None => lines.push(i18n.t("check-not-in-database")),
            }
            if let Some(g) = group {
                lines.push(i18n.tr.t_args("check-group", &[("name", Arg::Str(g))]));
            }
            if let Some(s) = status {
                lines.push(i18n.tr.t_args("check-status", &[("status", Arg::Str(&i18n.t(&format!("doc-referral-status-{}", s.code()))))]));
            }
            if *expired {
                lines.push(i18n.t("check-expired"));
            }
            match child_matches {
                Some(true) => lines.push(i18n.t("check-child-yes")),
                Some(false) => lines.push(i18n.t("check-child-no")),
                None => {}
            }
            let warn = *expired || *child_matches == Some(false);
            (if warn { "verdict warn" } else { "verdict valid" }, i18n.t("check-valid"), lines)
        }
        ReferralCheck::Tampered => ("verdict bad", i18n.t("check-tampered"), vec![]),
        ReferralCheck::UnknownIssuer { key_id } => ("verdict warn", i18n.tr.t_args("check-unknown", &[("key", Arg::Str(key_id))]), vec![]),
        ReferralCheck::NotASeal => ("verdict bad", i18n.t("check-not-a-seal"), vec![]),
        ReferralCheck::Demo { number } => ("verdict bad", i18n.tr.t_args("check-demo", &[("number", Arg::Str(number))]), vec![]),
        ReferralCheck::NoCode => ("verdict warn", i18n.t("check-no-code"), vec![]),
        ReferralCheck::BadImage => ("verdict warn", i18n.t("check-bad-image"), vec![]),
    };
    html! {
        <div class={class} id="check-verdict" role="status">
            <div class="verdict-title">{ title }</div>
            { for lines.into_iter().map(|l| html! { <div>{ l }</div> }) }
        </div>
    }
}

#[component]
pub fn CheckPage() -> Html {
    let i18n = use_i18n();
    let text = use_state(String::new);
    let iin = use_state(String::new);
    let answer = use_state(|| Answer::None);

    let run = {
        let (text, iin, answer) = (text.clone(), iin.clone(), answer.clone());
        Callback::from(move |()| {
            let (t, i, answer) = ((*text).clone(), (*iin).clone(), answer.clone());
            if t.trim().is_empty() {
                return;
            }
            answer.set(Answer::Working);
            wasm_bindgen_futures::spawn_local(async move {
                let child_iin = Some(i.as_str()).filter(|s| !s.trim().is_empty());
                match call(&calls::CheckReferral { text: t.clone(), child_iin: child_iin.map(str::to_string) }).await {
                    Ok(c) => answer.set(Answer::Got(c)),
                    Err(e) => answer.set(Answer::Failed(e)),
                }
            });
        })
    };
    let on_text = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| text.set(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    // A scanner gun types the code and presses Enter.
    let on_key = {
        let run = run.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && !e.shift_key() {
                e.prevent_default();
                run.emit(());
            }
        })
    };
    let on_iin = {
        let iin = iin.clone();
        Callback::from(move |e: InputEvent| iin.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_image = {
        let (iin, answer) = (iin.clone(), answer.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            let (i, answer) = ((*iin).clone(), answer.clone());
            answer.set(Answer::Working);
            wasm_bindgen_futures::spawn_local(async move {
                let bytes = match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                    Ok(buf) => js_sys::Uint8Array::new(buf.unchecked_ref()).to_vec(),
                    Err(_) => {
                        answer.set(Answer::Got(ReferralCheck::BadImage));
                        return;
                    }
                };
                let child_iin = Some(i.as_str()).filter(|s| !s.trim().is_empty());
                match call(&calls::CheckReferralImage { image: bytes, child_iin: child_iin.map(str::to_string) }).await {
                    Ok(c) => answer.set(Answer::Got(c)),
                    Err(e) => answer.set(Answer::Failed(e)),
                }
            });
            // Choosing the same file again must fire `change` again.
            input.set_value("");
        })
    };
    let body = match &*answer {
        Answer::None => html! {},
        Answer::Working => html! { <p class="muted" id="check-verdict">{ i18n.t("check-working") }</p> },
        Answer::Got(c) => verdict(&i18n, c),
        Answer::Failed(e) => html! { <p class="error" role="alert" id="check-verdict">{ i18n.error(e) }</p> },
    };
    html! {
        <section class="page check-page">
            <div class="page-head"><h1>{ i18n.t("check-title") }</h1></div>
            <p class="muted">{ i18n.t("check-intro") }</p>
            <div class="card check-form">
                <label><span>{ i18n.t("check-text") }</span>
                    <textarea id="check-text" rows="4" value={(*text).clone()} oninput={on_text} onkeydown={on_key} autofocus=true />
                </label>
                <label><span>{ i18n.t("check-iin") }</span>
                    <input id="check-iin" inputmode="numeric" maxlength="14" value={(*iin).clone()} oninput={on_iin} />
                </label>
                <div class="print-actions">
                    <button class="primary" id="check-run" onclick={run.reform(|_| ())}>{ i18n.t("check-run") }</button>
                    <label class="file-button"><span>{ i18n.t("check-image") }</span>
                        <input type="file" id="check-image" accept="image/png,image/jpeg" onchange={on_image} />
                    </label>
                </div>
            </div>
            { body }
        </section>
    }
}
