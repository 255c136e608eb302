//! «Қабылдау», for kindergarten staff: the referral by the number the parent gives (or the
//! text of its QR seal), the documents checked, the child admitted. An unknown, expired or
//! used referral is named for what it is.

use crate::bridge::call;
use crate::i18n::use_i18n;
use baqsha_api::*;
use baqsha_core::command::ReferralRef;
use baqsha_core::referral::{check_admissible, missing_documents, needs_conclusion, AdmissionDocument, ADMISSION_DOCUMENTS};
use baqsha_core::ReferralStatus;
use baqsha_i18n::Arg;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Clone, PartialEq)]
enum Found {
    Nothing,
    Unknown(String),
    Referral(Box<ReferralView>),
    Failed(ApiError),
}

#[component]
pub fn AdmitPage() -> Html {
    let i18n = use_i18n();
    let text = use_state(String::new);
    let found = use_state(|| Found::Nothing);
    let ticked = use_state(|| [false; 5]);
    let outcome = use_state(|| None::<Result<String, ApiError>>);
    let find = {
        let (text, found, ticked, outcome) = (text.clone(), found.clone(), ticked.clone(), outcome.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let typed = text.trim().to_string();
            if typed.is_empty() {
                return;
            }
            let (found, ticked, outcome) = (found.clone(), ticked.clone(), outcome.clone());
            wasm_bindgen_futures::spawn_local(async move {
                outcome.set(None);
                ticked.set([false; 5]);
                found.set(match call(&calls::FindReferral { text: typed.clone() }).await {
                    Ok(Some(v)) => Found::Referral(Box::new(v)),
                    Ok(None) => Found::Unknown(typed),
                    Err(e) => Found::Failed(e),
                });
            });
        })
    };
    let on_text = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| text.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let body = match &*found {
        Found::Nothing => html! {},
        Found::Unknown(t) => html! { <p class="error" role="alert" id="admit-error">{ i18n.tr.t_args("ad-unknown", &[("text", Arg::Str(t))]) }</p> },
        Found::Failed(ApiError::InvalidInput { .. }) => html! { <p class="error" role="alert" id="admit-error">{ i18n.t("ad-bad-seal") }</p> },
        Found::Failed(e) => html! { <p class="error" role="alert" id="admit-error">{ i18n.error(e) }</p> },
        Found::Referral(v) => {
            let r = &v.referral;
            let today = crate::clock::today();
            let admissible = check_admissible(r, today).is_ok();
            let why = match check_admissible(r, today) {
                Err(lapsed @ baqsha_core::command::RuleError::ReferralLapsed { .. }) => i18n.tr.rule_error(&lapsed),
                _ => crate::referral::status(&i18n, r.status),
            };
            let seen: Vec<AdmissionDocument> = ADMISSION_DOCUMENTS.into_iter().zip(ticked.iter()).filter(|(_, t)| **t).map(|(d, _)| d).collect();
            // The consultation's conclusion is asked when the child's application calls for it.
            let needs = needs_conclusion(v.benefit.as_ref());
            let all_ticked = missing_documents(&seen, needs).is_empty();
            let admit = {
                let (found, outcome, referral) = (found.clone(), outcome.clone(), ReferralRef::of(r));
                let documents = seen.clone();
                let child = v.child.full_name();
                Callback::from(move |_: MouseEvent| {
                    let (found, outcome, child, documents) = (found.clone(), outcome.clone(), child.clone(), documents.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        match call(&calls::ReferralAction { referral, action: ReferralAction::Admit { documents } }).await {
                            Ok(v) => {
                                found.set(Found::Referral(Box::new(v)));
                                outcome.set(Some(Ok(child)));
                            }
                            Err(e) => outcome.set(Some(Err(e))),
                        }
                    });
                })
            };
            html! {
                <article class="card" id="admit-referral" data-number={r.number.clone()}>
                    <div class="page-head">
                        <h2>{ i18n.tr.t_args("rf-title", &[("number", Arg::Str(&r.number))]) }</h2>
                        <span class={format!("status status-{}", r.status.code())} id="admit-status">{ crate::referral::status(&i18n, r.status) }</span>
                    </div>
                    <dl class="facts">
                        <dt>{ i18n.t("ad-child") }</dt><dd id="admit-child">{ format!("{} · {}", v.child.full_name(), v.child.iin.as_str()) }</dd>
                        <dt>{ i18n.t("doc-parent") }</dt><dd>{ v.parent.full_name() }</dd>
                        <dt>{ i18n.t("doc-kindergarten") }</dt><dd>{ i18n.name(&v.kindergarten_name) }</dd>
                        <dt>{ i18n.t("rf-group") }</dt><dd>{ format!("{} · {} · {}", v.group_name, crate::bulletin::age(&i18n, v.age), i18n.language(v.group_language)) }</dd>
                        <dt>{ i18n.t("doc-valid-until") }</dt><dd>{ crate::referral::day(r.valid_until) }</dd>
                    </dl>
                    if admissible {
                        <h3>{ i18n.t("doc-admission-documents") }</h3>
                        <p class="muted">{ i18n.t("ad-check-docs") }</p>
                        <ul class="documents">{ for ADMISSION_DOCUMENTS.iter().enumerate().map(|(i, d)| {
                            let tick = {
                                let ticked = ticked.clone();
                                Callback::from(move |e: Event| {
                                    let mut t = *ticked;
                                    t[i] = e.target_unchecked_into::<HtmlInputElement>().checked();
                                    ticked.set(t);
                                })
                            };
                            html! {
                                <li><label class="check">
                                    <input type="checkbox" class="admit-doc" checked={ticked[i]} onchange={tick} />
                                    { i18n.t(baqsha_i18n::admission_document_text(*d)) }{ if !d.required(needs) { format!(" {}", i18n.t("ad-optional")) } else { String::new() } }
                                </label></li>
                            }
                        }) }</ul>
                        if !all_ticked {
                            <p class="muted" id="admit-docs-missing">{ i18n.t("ad-docs-missing") }</p>
                        }
                        <div class="print-actions"><button class="primary" id="admit-button" disabled={!all_ticked} onclick={admit}>{ i18n.t("ad-admit") }</button></div>
                    } else if r.status != ReferralStatus::Admitted || outcome.is_none() {
                        <p class="error" role="alert" id="admit-error">{ i18n.tr.t_args("ad-not-admissible", &[("status", Arg::Str(&why))]) }</p>
                    }
                </article>
            }
        }
    };
    let note = match &*outcome {
        None => html! {},
        Some(Ok(child)) => html! { <p class="notice success" role="status" id="admit-outcome">{ i18n.tr.t_args("ad-admitted", &[("child", Arg::Str(child))]) }</p> },
        Some(Err(e)) => html! { <p class="error" role="alert" id="admit-outcome">{ i18n.error(e) }</p> },
    };
    html! {
        <section class="page admit-page">
            <div class="page-head"><h1>{ i18n.t("ad-title") }</h1></div>
            <p class="muted">{ i18n.t("ad-intro") }</p>
            <form class="filters card" onsubmit={find}>
                <label class="search"><span>{ i18n.t("ad-find") }</span>
                    <input id="admit-text" value={(*text).clone()} oninput={on_text} autofocus=true />
                </label>
                <button class="primary" id="admit-find" type="submit">{ i18n.t("ad-search") }</button>
            </form>
            { note }
            { body }
        </section>
    }
}
