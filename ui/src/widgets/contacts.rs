//! The parent's phones and e-mail with «Код жіберу» and the code beside each, or the
//! parent's identity document instead: the wizard's step 2 and «Өзгерту» draw the same.

use crate::bridge::call;
use crate::contact_form::{ContactAction, ContactForm, ContactNote, Which};
use crate::i18n::I18n;
use baqsha_api::calls;
use baqsha_core::command::IdDocument;
use baqsha_i18n::Arg;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

pub fn field_label(i18n: &I18n, w: Which) -> String {
    i18n.t(match w {
        Which::Phone => "wz-phone",
        Which::ExtraPhone => "wz-extra-phone",
        Which::Email => "wz-email",
    })
}

fn typed(on: &Callback<ContactAction>, make: impl Fn(String) -> ContactAction + 'static) -> Callback<InputEvent> {
    on.reform(move |e: InputEvent| make(e.target_unchecked_into::<HtmlInputElement>().value()))
}

/// The three contacts; `asked`: those whose code (or the document) confirms them — the
/// others are shown without a code. `prefix` names the fields' ids (`wz`, `edit`).
pub fn contact_fields(i18n: &I18n, form: &ContactForm, prefix: &str, asked: &[Which], on: &Callback<ContactAction>) -> Html {
    let row = |which: Which| {
        let c = form.contact(which);
        let (suffix, send_label) = match which {
            Which::Phone => ("phone", "wz-send-sms"),
            Which::ExtraPhone => ("extra-phone", "wz-send-sms"),
            Which::Email => ("email", "wz-send-email"),
        };
        let id = format!("{prefix}-{suffix}");
        let send = {
            let (on, value) = (on.clone(), c.value.clone());
            Callback::from(move |_: MouseEvent| {
                let (on, value) = (on.clone(), value.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let r = call(&calls::SendCode { target: value.trim().to_string() }).await;
                    on.emit(ContactAction::Sent(which, r));
                });
            })
        };
        let note = match &c.note {
            Some(ContactNote::Sent(s)) if s.delivered => Some(("muted", i18n.tr.t_args("wz-code-sent", &[("seconds", Arg::Num(s.resend_after.into()))]))),
            Some(ContactNote::Sent(_)) => Some(("error", i18n.t("wz-code-queued"))),
            Some(ContactNote::Failed(e)) => Some(("error", i18n.error(e))),
            None => None,
        };
        let mark = if which == Which::Phone { " *" } else { "" };
        let ask = asked.contains(&which) && !form.in_person;
        html! {
            <div class="wz-contact">
                <label><span>{ field_label(i18n, which) }{ mark }</span>
                    <input id={id.clone()} value={c.value.clone()} oninput={typed(on, move |v| ContactAction::Value(which, v))}
                        inputmode={if which == Which::Email { "email" } else { "tel" }} autocomplete="off"
                        placeholder={i18n.t(if which == Which::Email { "wz-email-example" } else { "wz-phone-example" })} />
                </label>
                if ask {
                    if c.is_confirmed() {
                        <span class="chip ok" id={format!("{id}-confirmed")}>{ "✓ " }{ i18n.t("wz-confirmed") }</span>
                    } else {
                        <button type="button" id={format!("{id}-send")} onclick={send} disabled={c.value.trim().is_empty()}>{ i18n.t(send_label) }</button>
                        <label class="wz-code"><span>{ i18n.t("wz-code") }</span>
                            <input id={format!("{id}-code")} value={c.code.clone()} inputmode="numeric" maxlength="8" autocomplete="one-time-code"
                                oninput={typed(on, move |v| ContactAction::Code(which, v))} />
                        </label>
                    }
                }
                if let Some((class, n)) = note {
                    <p class={class} id={format!("{id}-note")}>{ n }</p>
                }
            </div>
        }
    };
    let toggle = on.reform(|e: Event| ContactAction::InPerson(e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()).is_some_and(|i| i.checked())));
    let document = on.reform(|e: Event| ContactAction::Document(e.target_unchecked_into::<HtmlSelectElement>().value()));
    html! {
        <>
            { for Which::ALL.into_iter().map(row) }
            if !asked.is_empty() {
                <label class="checkbox"><input type="checkbox" id={format!("{prefix}-in-person")} checked={form.in_person} onchange={toggle} /><span>{ i18n.t("wz-in-person") }</span></label>
            }
            if form.in_person && !asked.is_empty() {
                <div class="wz-document">
                    <label><span>{ i18n.t("wz-document") }</span>
                        <select id={format!("{prefix}-document")} onchange={document}>
                            { for IdDocument::ALL.iter().map(|d| html! { <option value={d.code()} selected={form.document == d.code()}>{ i18n.t(&format!("iddoc-{}", d.code())) }</option> }) }
                        </select>
                    </label>
                    <label><span>{ i18n.t("wz-document-number") }{ " *" }</span>
                        <input id={format!("{prefix}-document-number")} value={form.document_number.clone()} oninput={typed(on, ContactAction::DocumentNumber)} autocomplete="off" />
                    </label>
                </div>
            }
        </>
    }
}

/// Checks each typed code with the desk in turn; the first refusal ends it. Emits each
/// contact confirmed, and gives the refusal for the form to show.
pub async fn confirm_codes(pending: Vec<(Which, String, String)>, on: &Callback<ContactAction>) -> Result<(), baqsha_api::ApiError> {
    for (which, target, code) in pending {
        match call(&calls::ConfirmCode { target, code }).await {
            Ok(()) => on.emit(ContactAction::Confirmed(which)),
            Err(e) => {
                on.emit(ContactAction::Sent(which, Err(e.clone())));
                return Err(e);
            }
        }
    }
    Ok(())
}
