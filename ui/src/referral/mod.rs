//! «Жолдама алу» and the referral of an application, inside its «Кезекті тексеру» card.

pub mod state;

use crate::bridge::call;
use crate::i18n::{use_i18n, I18n};
use crate::referral::state::{Action, ReferralState, Step};
use baqsha_api::*;
use baqsha_core::command::{IdDocument, ReferralRef};
use baqsha_core::roles::may;
use baqsha_core::{ApplicationId, ApplicationStatus, Lang, ReferralStatus};
use baqsha_i18n::Arg;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

pub fn day(d: chrono::NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// A referral's status in the reader's language (the documents' words).
pub fn status(i18n: &I18n, s: ReferralStatus) -> String {
    i18n.t(&format!("doc-referral-status-{}", s.code()))
}

/// What the region's server said of the referral just taken, at a desk of a region.
fn region_answer(i18n: &I18n, answer: RegionAnswer) -> Html {
    match answer {
        RegionAnswer::Alone => html! {},
        RegionAnswer::Confirmed => html! { <p id="referral-region" data-answer="confirmed">{ i18n.t("rf-region-confirmed") }</p> },
        RegionAnswer::Waiting => html! { <p class="notice" id="referral-region" data-answer="waiting">{ i18n.t("rf-region-waiting") }</p> },
    }
}

/// What the referral asks of the parent, in the words the certificate prints.
fn terms(i18n: &I18n, r: &ReferralView) -> Html {
    let validity = baqsha_i18n::Validity {
        working_days: baqsha_core::calendar::ReferralRules::default().valid_working_days,
        valid_until: r.referral.valid_until,
        extended: r.referral.status == ReferralStatus::Extended,
    };
    let t = i18n.tr.referral_terms(&validity, r.benefit.is_some());
    html! {
        <section class="terms" id="referral-terms">
            <h4>{ i18n.t("doc-referral-title") }</h4>
            <p id="referral-validity">{ &t.validity }</p>
            <ul>{ for t.duties.iter().map(|d| html! { <li>{ d }</li> }) }</ul>
            if let Some(note) = &t.benefit_note {
                <p class="notice"><strong>{ note }</strong></p>
            }
            <h4>{ &t.documents_title }</h4>
            <p>{ &t.documents_intro }</p>
            <ul id="referral-documents">{ for t.documents.iter().map(|d| html! { <li>{ d }</li> }) }</ul>
        </section>
    }
}

/// The application's referral, and its place choices when `choices` (queued, and the role
/// may refer).
fn load(state: &UseReducerHandle<ReferralState>, application: ApplicationId, choices: bool) {
    let state = state.clone();
    wasm_bindgen_futures::spawn_local(async move {
        if choices {
            if let Ok(line) = call(&calls::SyncStatus {}).await {
                state.dispatch(Action::Line(line));
            }
            state.dispatch(Action::Choices(call(&calls::PlaceChoices { application }).await));
        }
        if let Ok(r) = call(&calls::ReferralOf { application }).await {
            state.dispatch(Action::Referral(r));
        }
    });
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub view: ApplicationView,
    pub print_lang: Lang,
    /// Who is signed in: «Жолдама алу», «Ұзарту», «Бас тарту» only for a role that may.
    pub role: baqsha_core::roles::Role,
    /// The application changed (a referral taken, refused): the card reloads.
    pub on_changed: Callback<()>,
}

#[component]
pub fn ReferralPanel(props: &Props) -> Html {
    let i18n = use_i18n();
    let state = use_reducer(ReferralState::default);
    let a = &props.view.application;
    {
        // A role that may not refer is not asked about places it could not take.
        let choices = a.status == ApplicationStatus::Queued && may(props.role, "issue_referral");
        let (state, id, status) = (state.clone(), a.id, a.status);
        use_effect_with((id, status), move |_| load(&state, id, choices));
    }
    let phone = a.contacts.phone.as_str().to_string();
    let printed = use_state(|| None::<Result<Printed, ApiError>>);
    let print = {
        let (printed, lang) = (printed.clone(), props.print_lang);
        Callback::from(move |number: String| {
            let (printed, lang) = (printed.clone(), lang);
            wasm_bindgen_futures::spawn_local(async move {
                let r = call(&calls::PrintReferral { number: number.clone(), lang, save_as: false }).await;
                printed.set(Some(r));
            });
        })
    };
    let error = state.error.as_ref().map(|e| html! { <p class="error" role="alert" id="referral-error">{ i18n.error(e) }</p> }).unwrap_or_default();
    let outcome = printed.as_ref().map(|r| html! { <crate::widgets::printed::PrintOutcome result={r.clone()} /> }).unwrap_or_default();

    // A referral that holds a place, or was used: its facts, print, extend, refuse. One that
    // expired or was refused is a line of the history, and the application may take a place
    // again when its turn comes.
    let current = state.referral.as_ref().filter(|r| r.referral.status.is_live() || r.referral.status == ReferralStatus::Admitted);
    let ended = state.referral.as_ref().filter(|r| !r.referral.status.is_live() && r.referral.status != ReferralStatus::Admitted).map(|r| {
        html! { <>
            if let Some((id, arg)) = &state.notice {
                <p class="notice" id="referral-notice">{ i18n.tr.t_args(id, &[("date", Arg::Str(arg))]) }</p>
            }
            <p class="muted" id="referral-ended">{ format!("{} — {}", i18n.tr.t_args("rf-title", &[("number", Arg::Str(&r.referral.number))]), status(&i18n, r.referral.status)) }</p>
        </> }
    });
    if let Some(r) = current {
        let live = r.referral.status.is_live();
        let number = r.referral.number.clone();
        let on_print = print.reform(move |_: MouseEvent| number.clone());
        let act = |action: fn(&ReferralState) -> Option<(ReferralAction, &'static str, String)>| {
            let (state, on_changed) = (state.clone(), props.on_changed.clone());
            let referral = ReferralRef::of(&r.referral);
            Callback::from(move |_: MouseEvent| {
                let Some((action, notice, arg)) = action(&state) else { return };
                state.dispatch(Action::Busy);
                let (state, on_changed) = (state.clone(), on_changed.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    match call(&calls::ReferralAction { referral, action }).await {
                        Ok(v) => {
                            state.dispatch(Action::Changed(v, notice, arg));
                            on_changed.emit(());
                        }
                        Err(e) => state.dispatch(Action::Refused(e)),
                    }
                });
            })
        };
        let extend = act(|s| {
            let until = s.extend_until.parse::<chrono::NaiveDate>().ok()?;
            Some((ReferralAction::Extend { until }, "rf-extended", day(until)))
        });
        // The reason is checked by the core (an empty one is refused with a message).
        let refuse = act(|s| Some((ReferralAction::Refuse { reason: s.refuse_reason.clone() }, "rf-refused", String::new())));
        let on_until = {
            let state = state.clone();
            Callback::from(move |iso: String| state.dispatch(Action::ExtendUntil(iso)))
        };
        let on_reason = {
            let state = state.clone();
            Callback::from(move |e: InputEvent| state.dispatch(Action::RefuseReason(e.target_unchecked_into::<HtmlInputElement>().value())))
        };
        let taken = match &state.step {
            Step::Done(t) => html! {
                <div class="notice success" id="referral-taken" role="status">
                    <strong>{ i18n.tr.t_args("rf-taken", &[("number", Arg::Str(&t.referral.referral.number))]) }</strong>
                    { region_answer(&i18n, t.region) }
                    <ul class="wz-messages">{ for t.messages.iter().map(|m| crate::wizard::message_line(&i18n, m)) }</ul>
                </div>
            },
            _ => html! {},
        };
        return html! {
            <div class="referral" id="referral-panel" data-number={r.referral.number.clone()}>
                { taken }
                <h3>{ i18n.tr.t_args("rf-title", &[("number", Arg::Str(&r.referral.number))]) }</h3>
                <dl class="facts">
                    <dt>{ i18n.t("rf-status") }</dt><dd id="referral-status">{ status(&i18n, r.referral.status) }</dd>
                    <dt>{ i18n.t("doc-kindergarten") }</dt><dd>{ i18n.name(&r.kindergarten_name) }</dd>
                    <dt>{ i18n.t("rf-group") }</dt><dd>{ format!("{} · {} · {}", r.group_name, crate::bulletin::age(&i18n, r.age), i18n.language(r.group_language)) }</dd>
                    <dt>{ i18n.t("doc-issued-at") }</dt><dd>{ crate::bulletin::when(r.referral.issued_at) }</dd>
                    <dt>{ i18n.t("doc-valid-until") }</dt><dd id="referral-valid-until">{ day(r.referral.valid_until) }</dd>
                </dl>
                if let Some((id, arg)) = &state.notice {
                    <p class="notice success" id="referral-notice">{ i18n.tr.t_args(id, &[("date", Arg::Str(arg))]) }</p>
                }
                { error.clone() }
                <div class="print-actions">
                    <button class="primary" id="referral-print" onclick={on_print}>{ i18n.t("rf-print") }</button>
                </div>
                { outcome.clone() }
                if live && may(props.role, "refuse_referral") {
                    <div class="referral-actions">
                        if r.referral.status == ReferralStatus::Confirmed {
                            <label><span>{ i18n.tr.t_args("rf-extend-until", &[("date", Arg::Str(&day(r.latest_extension)))]) }</span>
                                <crate::widgets::date::DateInput id="referral-extend-until" max={r.latest_extension.to_string()} value={state.extend_until.clone()} on_change={on_until} />
                            </label>
                            <button id="referral-extend" disabled={state.busy} onclick={extend}>{ i18n.t("rf-extend") }</button>
                        }
                        <label><span>{ i18n.t("rf-refuse-reason") }</span>
                            <input id="referral-refuse-reason" value={state.refuse_reason.clone()} oninput={on_reason} />
                        </label>
                        <button class="danger" id="referral-refuse" disabled={state.busy} onclick={refuse}>{ i18n.t("rf-refuse") }</button>
                    </div>
                }
                if live {
                    { terms(&i18n, r) }
                }
            </div>
        };
    }
    if a.status != ApplicationStatus::Queued || !may(props.role, "issue_referral") {
        return ended.unwrap_or_default();
    }
    let choices = state.choices.clone().unwrap_or_default();
    if state.choices.is_some() && choices.is_empty() && state.step == Step::Closed {
        return html! { <>{ ended.unwrap_or_default() }<p class="muted" id="referral-no-turn">{ i18n.t("rf-no-turn") }</p></> };
    }
    let flow = match &state.step {
        Step::Closed => {
            let open = {
                let state = state.clone();
                Callback::from(move |_: MouseEvent| state.dispatch(Action::Open))
            };
            html! { <div class="print-actions"><button class="primary" id="referral-open" disabled={choices.is_empty()} onclick={open}>{ i18n.t("rf-take") }</button></div> }
        }
        Step::Choose => {
            let next = {
                let state = state.clone();
                Callback::from(move |_: MouseEvent| state.dispatch(Action::Next))
            };
            html! {
                <div class="referral" id="referral-choose">
                    <h3>{ i18n.t("rf-choose") }</h3>
                    { error.clone() }
                    if state.offline {
                        <p class="notice" id="referral-offline">{ i18n.t("rf-offline-leases") }</p>
                    }
                    if choices.is_empty() {
                        <p class="muted">{ i18n.t(if state.offline { "rf-no-lease" } else { "rf-no-turn" }) }</p>
                    }
                    <ul class="choices">
                        { for choices.iter().map(|c| {
                            let select = {
                                let (state, v) = (state.clone(), c.vacancy);
                                Callback::from(move |_: Event| state.dispatch(Action::Select(v)))
                            };
                            html! {
                                <li class={if c.offered { "choice offered" } else { "choice" }}>
                                    <label>
                                        <input type="radio" name="place" value={c.vacancy.to_string()} checked={state.selected == Some(c.vacancy)} onchange={select} />
                                        <span>
                                            <strong>{ i18n.name(&c.kindergarten_name) }</strong>
                                            { format!(" — {} · {} · {}", c.group_name, crate::bulletin::age(&i18n, c.age), i18n.language(c.language)) }
                                            <br /><small>{ i18n.name(&c.address) }</small>
                                            <br />
                                            // A leased place is the office's own to give, not a turn of the queue.
                                            if let Some(l) = &c.lease {
                                                <small class="badge lease">{ i18n.tr.t_args("rf-from-lease", &[("date", Arg::Str(&day(baqsha_core::command::desk_date(l.end()))))]) }</small>
                                            } else {
                                                <small class="badge">{ i18n.t(if c.offered { "rf-offered" } else { "rf-also-open" }) }</small>
                                            }
                                        </span>
                                    </label>
                                </li>
                            }
                        }) }
                    </ul>
                    if let Some(c) = choices.first() {
                        <p class="muted">{ i18n.tr.t_args("rf-respond-by", &[("date", Arg::Str(&day(c.respond_by)))]) }</p>
                    }
                    <div class="print-actions"><button class="primary" id="referral-next" disabled={state.selected.is_none()} onclick={next}>{ i18n.t("wz-next") }</button></div>
                </div>
            }
        }
        Step::Confirm => {
            let back = {
                let state = state.clone();
                Callback::from(move |_: MouseEvent| state.dispatch(Action::Back))
            };
            let send = {
                let (state, phone) = (state.clone(), phone.clone());
                Callback::from(move |_: MouseEvent| {
                    state.dispatch(Action::Busy);
                    let (state, phone) = (state.clone(), phone.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        state.dispatch(Action::CodeSent(call(&calls::SendCode { target: phone.clone() }).await));
                    });
                })
            };
            let take = {
                let (state, phone, on_changed, application) = (state.clone(), phone.clone(), props.on_changed.clone(), a.id);
                Callback::from(move |_: MouseEvent| {
                    let (Some(confirmation), Some(vacancy)) = (state.confirmation(), state.selected) else { return };
                    let lease = state.chosen().and_then(|c| c.lease.as_ref()).map(|l| l.id);
                    state.dispatch(Action::Busy);
                    let (state, phone, on_changed, code) = (state.clone(), phone.clone(), on_changed.clone(), state.code.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        if confirmation == baqsha_core::command::ContactConfirmation::Codes {
                            if let Err(e) = call(&calls::ConfirmCode { target: phone.clone(), code: code.clone() }).await {
                                state.dispatch(Action::Refused(e));
                                return;
                            }
                        }
                        let request = calls::TakeReferral { application, vacancy, confirmation, lease };
                        match call(&request).await {
                            Ok(t) => {
                                state.dispatch(Action::Taken(t));
                                on_changed.emit(());
                            }
                            Err(e) => {
                                let taken = matches!(e, ApiError::Rule { rule: baqsha_core::command::RuleError::PlaceTaken });
                                state.dispatch(Action::Refused(e));
                                if taken {
                                    // Show the places still open.
                                    state.dispatch(Action::Choices(call(&calls::PlaceChoices { application }).await));
                                }
                            }
                        }
                    });
                })
            };
            let on_code = {
                let state = state.clone();
                Callback::from(move |e: InputEvent| state.dispatch(Action::Code(e.target_unchecked_into::<HtmlInputElement>().value())))
            };
            let on_in_person = {
                let state = state.clone();
                Callback::from(move |e: Event| state.dispatch(Action::InPerson(e.target_unchecked_into::<HtmlInputElement>().checked())))
            };
            let on_doc = {
                let state = state.clone();
                Callback::from(move |e: Event| {
                    if let Some(d) = IdDocument::from_code(&e.target_unchecked_into::<HtmlSelectElement>().value()) {
                        state.dispatch(Action::Document(d));
                    }
                })
            };
            let on_doc_number = {
                let state = state.clone();
                Callback::from(move |e: InputEvent| state.dispatch(Action::DocumentNumber(e.target_unchecked_into::<HtmlInputElement>().value())))
            };
            let chosen = state.chosen().map(|c| format!("{} — {}", i18n.name(&c.kindergarten_name), c.group_name)).unwrap_or_default();
            html! {
                <div class="referral" id="referral-confirm">
                    <h3>{ i18n.t("rf-confirm-title") }</h3>
                    <p><strong>{ chosen }</strong></p>
                    <dl class="facts"><dt>{ i18n.t("rf-phone") }</dt><dd id="referral-phone">{ &phone }</dd></dl>
                    <label class="check"><input type="checkbox" id="referral-in-person" checked={state.in_person} onchange={on_in_person} />{ i18n.t("wz-in-person") }</label>
                    if state.in_person {
                        <div class="row">
                            <label><span>{ i18n.t("wz-document") }</span>
                                <select id="referral-document" onchange={on_doc}>
                                    { for IdDocument::ALL.iter().map(|d| html! { <option value={d.code()} selected={*d == state.document}>{ i18n.t(&format!("iddoc-{}", d.code())) }</option> }) }
                                </select>
                            </label>
                            <label><span>{ i18n.t("wz-document-number") }</span>
                                <input id="referral-document-number" value={state.document_number.clone()} oninput={on_doc_number} />
                            </label>
                        </div>
                    } else {
                        <div class="row">
                            <button id="referral-send-code" disabled={state.busy} onclick={send}>{ i18n.t("wz-send-sms") }</button>
                            <label><span>{ i18n.t("wz-code") }</span>
                                <input id="referral-code" inputmode="numeric" maxlength="6" value={state.code.clone()} oninput={on_code} />
                            </label>
                        </div>
                        if let Some(sent) = &state.code_sent {
                            <p class="muted" id="referral-code-sent">{ i18n.tr.t_args(if sent.delivered { "wz-code-sent" } else { "wz-code-queued" }, &[("seconds", Arg::Num(sent.resend_after.into()))]) }</p>
                        }
                    }
                    if state.busy && state.joined {
                        <p class="notice" id="referral-waiting" role="status"><span class="spinner small"></span>{ i18n.t("rf-waiting-server") }</p>
                    }
                    { error }
                    <div class="print-actions">
                        <button id="referral-back" onclick={back}>{ i18n.t("wz-back") }</button>
                        <button class="primary" id="referral-take" disabled={state.busy || state.confirmation().is_none()} onclick={take}>{ i18n.t("rf-submit") }</button>
                    </div>
                </div>
            }
        }
        Step::Done(_) => html! {},
    };
    html! { <>{ ended.unwrap_or_default() }{ flow }</> }
}
