//! «Кезекті тексеру»: by the child's IIN, the application(s), status, position with its
//! explanation, the history; «Басып шығару» prints the certificate, «Қайтарып алу»
//! withdraws after confirmation with a reason.

pub mod edit_dialog;
pub mod edit_form;
pub mod state;

use crate::bridge::call;
use crate::i18n::{use_i18n, I18n};
use crate::queue_check::state::{Action, Found, QueueCheckState};
use baqsha_api::*;
use baqsha_core::queue::Explanation;
use baqsha_core::roles::{may, Role};
use baqsha_core::Lang;
use baqsha_i18n::Arg;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

fn when(t: chrono::DateTime<chrono::Utc>) -> String {
    baqsha_core::command::desk_time(t).format("%d.%m.%Y %H:%M").to_string()
}

fn explanation(i18n: &I18n, e: &Explanation) -> String {
    let ahead = e.ahead_out_of_turn + e.ahead_priority + e.ahead_general;
    i18n.tr.t_args(
        "doc-position-why",
        &[
            ("ahead", Arg::Num(ahead as i64)),
            ("outOfTurn", Arg::Num(e.ahead_out_of_turn as i64)),
            ("priority", Arg::Num(e.ahead_priority as i64)),
            ("general", Arg::Num(e.ahead_general as i64)),
        ],
    )
}

fn history_what(i18n: &I18n, l: &HistoryLine) -> String {
    let what = i18n.tr.history_what(&l.kind, l.reason.as_deref(), &l.changed);
    use baqsha_core::command::ContactConfirmation as C;
    match (&l.reason, &l.confirmation) {
        (Some(_), _) => what,
        (None, Some(C::Codes)) => format!("{what} ({})", i18n.t("history-by-codes")),
        (None, Some(C::InPerson { document, number })) => {
            // The document number is masked: the history is read by every operator.
            let shown: String = number.chars().enumerate().map(|(i, c)| if i + 3 < number.chars().count() { '•' } else { c }).collect();
            let doc = i18n.t(&format!("iddoc-{}", document.code()));
            format!("{what} ({})", i18n.tr.t_args("history-in-person", &[("document", Arg::Str(&doc)), ("number", Arg::Str(&shown))]))
        }
        (None, None) => what,
    }
}

/// Asks the shell for the applications of the IIN typed (when it is valid).
fn fetch(state: &UseReducerHandle<QueueCheckState>) {
    let Some(iin) = state.valid_iin() else { return };
    let state = state.clone();
    wasm_bindgen_futures::spawn_local(async move {
        match call(&calls::CheckQueue { iin: iin.to_string() }).await {
            Ok(v) => state.dispatch(Action::Found(v)),
            Err(e) => state.dispatch(Action::Failed(e)),
        }
    });
}

fn card(i18n: &I18n, v: &ApplicationView, state: &UseReducerHandle<QueueCheckState>, role: Role) -> Html {
    let a = &v.application;
    let benefit = match &a.benefit {
        Some(b) => format!("{} — {}", i18n.t(&format!("benefit-{}", b.kind.code())), i18n.t(&format!("doc-verification-{}", b.verification.code()))),
        None => i18n.t("doc-benefit-none"),
    };
    let print = {
        let state = state.clone();
        let number = a.number.clone();
        Callback::from(move |_: MouseEvent| {
            let (state, number, lang) = (state.clone(), number.clone(), state.print_lang);
            wasm_bindgen_futures::spawn_local(async move {
                let r = call(&calls::PrintApplication { number: number.clone(), lang, save_as: false }).await;
                state.dispatch(Action::Printed(r));
            });
        })
    };
    let ask_edit = {
        let state = state.clone();
        let id = a.id;
        Callback::from(move |_: MouseEvent| state.dispatch(Action::AskEdit(id)))
    };
    let ask = {
        let state = state.clone();
        let (id, number) = (a.id, a.number.clone());
        Callback::from(move |_: MouseEvent| state.dispatch(Action::AskWithdraw(id, number.clone())))
    };
    html! {
        <article class="card application-card" data-number={a.number.clone()}>
            <div class="page-head">
                <h2 class="app-number">{ i18n.tr.t_args("doc-application-number", &[("number", Arg::Str(&a.number))]) }</h2>
                <span class={format!("status status-{}", a.status.code())}>{ i18n.t(&format!("doc-status-{}", a.status.code())) }</span>
            </div>
            if let Some(e) = &v.position {
                <div class="position">
                    <div class="position-number">{ e.position }</div>
                    <div>
                        <div class="position-label">{ i18n.t("doc-position") }{ " / " }{ e.total }</div>
                        <div class="position-why">{ explanation(i18n, e) }</div>
                    </div>
                </div>
            }
            <dl class="facts">
                <dt>{ i18n.t("doc-full-name") }</dt><dd>{ a.child.full_name() }</dd>
                <dt>{ i18n.t("doc-birth-date") }</dt><dd>{ a.child.birth_date().format("%d.%m.%Y").to_string() }</dd>
                <dt>{ i18n.t("doc-registered-at") }</dt><dd>{ when(a.registered_at) }</dd>
                <dt>{ i18n.t("doc-category") }</dt><dd>{ baqsha_core::Category::of(a.child.birth_date()).0 }</dd>
                <dt>{ i18n.t("doc-benefit") }</dt><dd>{ benefit }</dd>
                <dt>{ i18n.t("doc-language") }</dt><dd>{ i18n.language(a.language) }</dd>
                // What «Өзгерту» changes is on the card, so a saved edit is seen at once.
                <dt>{ i18n.t("wz-phone") }</dt><dd class="card-phone">{ a.contacts.phone.as_str() }</dd>
                if let Some(extra) = &a.contacts.extra_phone {
                    <dt>{ i18n.t("wz-extra-phone") }</dt><dd>{ extra.as_str() }</dd>
                }
                if let Some(email) = &a.contacts.email {
                    <dt>{ i18n.t("wz-email") }</dt><dd>{ email.as_str() }</dd>
                }
                <dt>{ i18n.t("wz-address") }</dt><dd class="card-address">{ &a.address }</dd>
                <dt>{ i18n.t("doc-wishes") }</dt>
                <dd><ol class="preferences">{ for v.preferences.iter().map(|n| html! { <li>{ i18n.name(n) }</li> }) }</ol></dd>
            </dl>
            <crate::referral::ReferralPanel view={v.clone()} print_lang={state.print_lang} role={role} on_changed={{
                let state = state.clone();
                Callback::from(move |()| fetch(&state))
            }} />
            <h3>{ i18n.t("doc-history") }</h3>
            <table class="history">
                <thead><tr><th>{ i18n.t("doc-history-when") }</th><th>{ i18n.t("doc-history-what") }</th><th>{ i18n.t("doc-history-who") }</th></tr></thead>
                <tbody>{ for v.history.iter().map(|l| html! {
                    <tr><td>{ when(l.at) }</td><td>{ history_what(i18n, l) }</td><td>{ &l.author }</td></tr>
                }) }</tbody>
            </table>
            <div class="print-actions">
                <button class="primary print-application" onclick={print}>{ i18n.t("print-button") }</button>
                if a.status == baqsha_core::ApplicationStatus::Queued && may(role, "edit_application") {
                    <button class="edit" onclick={ask_edit}>{ i18n.t("qc-edit") }</button>
                }
                if a.status.is_active() && may(role, "withdraw_application") {
                    <button class="danger withdraw" onclick={ask}>{ i18n.t("qc-withdraw") }</button>
                }
            </div>
        </article>
    }
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub max_preferences: usize,
    /// Who is signed in: only what the role may do is offered.
    pub role: baqsha_core::roles::Role,
}

#[component]
pub fn QueueCheckPage(props: &Props) -> Html {
    let max_preferences = props.max_preferences;
    let i18n = use_i18n();
    let state = use_reducer(|| QueueCheckState::new(i18n.lang));

    let search = {
        let state = state.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            state.dispatch(Action::Search);
            fetch(&state);
        })
    };
    let on_iin = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.dispatch(Action::Iin(e.target_unchecked_into::<HtmlInputElement>().value())))
    };
    let on_lang = {
        let state = state.clone();
        Callback::from(move |e: Event| state.dispatch(Action::PrintLang(e.target_unchecked_into::<HtmlSelectElement>().value())))
    };
    let results = match &state.found {
        Found::Nothing => html! {},
        Found::Searching => html! { <p class="muted">{ i18n.t("loading") }</p> },
        Found::Failed(e) => html! { <p class="error" role="alert" id="queue-error">{ i18n.error(e) }</p> },
        Found::Results(v) if v.is_empty() => html! { <p class="card empty" id="queue-none">{ i18n.t("qc-none") }</p> },
        Found::Results(v) => html! { <>{ for v.iter().map(|a| card(&i18n, a, &state, props.role)) }</> },
    };
    let printed = match &state.printed {
        None => html! {},
        Some(r) => html! { <crate::widgets::printed::PrintOutcome result={r.clone()} /> },
    };
    let dialog = state.withdrawal.as_ref().map(|w| {
        let on_reason = {
            let state = state.clone();
            Callback::from(move |e: InputEvent| state.dispatch(Action::Reason(e.target_unchecked_into::<HtmlTextAreaElement>().value())))
        };
        let cancel = {
            let state = state.clone();
            Callback::from(move |_: MouseEvent| state.dispatch(Action::CancelWithdraw))
        };
        let confirm = {
            let state = state.clone();
            let (id, reason) = (w.application, w.reason.clone());
            Callback::from(move |_: MouseEvent| {
                state.dispatch(Action::Withdrawing);
                let (state, reason) = (state.clone(), reason.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    match call(&calls::WithdrawApplication { id, reason: reason.clone() }).await {
                        Ok(v) => state.dispatch(Action::Updated(v)),
                        Err(e) => state.dispatch(Action::WithdrawFailed(e)),
                    }
                });
            })
        };
        html! {
            <div class="modal-backdrop">
                <div class="modal card" role="dialog" aria-modal="true" id="withdraw-dialog">
                    <h2>{ i18n.tr.t_args("qc-withdraw-title", &[("number", Arg::Str(&w.number))]) }</h2>
                    <p>{ i18n.t("qc-withdraw-warning") }</p>
                    <label><span>{ i18n.t("qc-withdraw-reason") }</span>
                        <textarea id="withdraw-reason" rows="3" value={w.reason.clone()} oninput={on_reason} autofocus=true />
                    </label>
                    if let Some(e) = &w.error {
                        <p class="error" role="alert" id="withdraw-error">{ i18n.error(e) }</p>
                    }
                    <div class="print-actions">
                        <button class="danger" id="withdraw-confirm" disabled={w.busy} onclick={confirm}>{ i18n.t("qc-withdraw-confirm") }</button>
                        <button id="withdraw-cancel" onclick={cancel}>{ i18n.t("qc-cancel") }</button>
                    </div>
                </div>
            </div>
        }
    });
    let editor = match (&state.editing, &state.found) {
        (Some(id), Found::Results(list)) => list.iter().find(|v| v.application.id == *id).map(|v| {
            let (done, cancel) = (state.clone(), state.clone());
            html! {
                <crate::queue_check::edit_dialog::EditDialog view={v.clone()} max_preferences={max_preferences}
                    on_done={Callback::from(move |v: ApplicationView| done.dispatch(Action::Updated(v)))}
                    on_cancel={Callback::from(move |()| cancel.dispatch(Action::CancelEdit))} />
            }
        }),
        _ => None,
    }
    .unwrap_or_default();
    html! {
        <section class="page queue-check-page">
            <div class="page-head"><h1>{ i18n.t("qc-title") }</h1></div>
            <form class="filters card" onsubmit={search}>
                <label class="search"><span>{ i18n.t("qc-iin") }</span>
                    <input id="queue-iin" inputmode="numeric" maxlength="14" value={state.iin.clone()} oninput={on_iin} autofocus=true />
                </label>
                <button class="primary" id="queue-search" type="submit">{ i18n.t("qc-search") }</button>
                <label><span>{ i18n.t("print-doc-language") }</span>
                    <select id="queue-print-lang" onchange={on_lang}>
                        <option value="kk" selected={state.print_lang == Lang::Kk}>{ "Қазақша" }</option>
                        <option value="ru" selected={state.print_lang == Lang::Ru}>{ "Русский" }</option>
                    </select>
                </label>
            </form>
            if let Some(e) = &state.iin_error {
                <p class="error" role="alert" id="queue-iin-error">{ i18n.tr.iin_error(e) }</p>
            }
            { printed }
            { results }
            { dialog.unwrap_or_default() }
            { editor }
        </section>
    }
}
