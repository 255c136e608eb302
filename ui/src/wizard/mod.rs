//! «Кезекке қою»: the seed's five steps. Thin: the state and its checks are in
//! `wizard_state`; this draws the step and calls the desk.

pub mod saver;
pub mod state;

use crate::bridge::call;
use crate::i18n::{use_i18n, I18n};
use crate::widgets::contacts::{confirm_codes, contact_fields};
use crate::widgets::proofs::{proof_picker, ProofEvent};
use crate::wizard::state::{Action, Contact, ContactAction, PersonForm, StepError, Which, Who, Wizard};
use baqsha_api::*;
use baqsha_core::command::IdDocument;
use baqsha_core::*;
use baqsha_i18n::Arg;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::widgets::contacts::field_label;

fn who_label(i18n: &I18n, w: Who) -> String {
    i18n.t(match w {
        Who::Parent => "wz-who-parent",
        Who::Child => "wz-who-child",
    })
}

pub fn error_text(i18n: &I18n, e: &StepError) -> String {
    match e {
        StepError::Phone(w, p) => format!("{}: {}", field_label(i18n, *w), i18n.tr.phone_error(p)),
        StepError::Email(e) => format!("{}: {}", field_label(i18n, Which::Email), i18n.tr.email_error(e)),
        StepError::NotConfirmed(w) => i18n.tr.t_args("wz-not-confirmed", &[("field", Arg::Str(&field_label(i18n, *w)))]),
        StepError::Document => i18n.t("rule-bad-document"),
        StepError::Iin(who, e) => format!("{}: {}", who_label(i18n, *who), i18n.tr.iin_error(e)),
        StepError::Names(who) => i18n.tr.t_args("wz-names-required", &[("who", Arg::Str(&who_label(i18n, *who)))]),
        StepError::Rule(r) => i18n.tr.rule_error(r),
        StepError::Address => i18n.t("wz-address-required"),
        StepError::Preferences => i18n.t("rule-no-preferences"),
        StepError::Api(e) => i18n.error(e),
    }
}

fn text(state: &UseReducerHandle<Wizard>, make: impl Fn(String) -> Action + 'static) -> Callback<InputEvent> {
    let state = state.clone();
    Callback::from(move |e: InputEvent| {
        if let Some(i) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) {
            state.dispatch(make(i.value()));
        }
    })
}

fn choose(state: &UseReducerHandle<Wizard>, make: impl Fn(String) -> Action + 'static) -> Callback<Event> {
    let state = state.clone();
    Callback::from(move |e: Event| {
        if let Some(s) = e.target().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok()) {
            state.dispatch(make(s.value()));
        }
    })
}

fn ticked(state: &UseReducerHandle<Wizard>, make: impl Fn(bool) -> Action + 'static) -> Callback<Event> {
    let state = state.clone();
    Callback::from(move |e: Event| {
        if let Some(i) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) {
            state.dispatch(make(i.checked()));
        }
    })
}

fn steps(i18n: &I18n, current: u8) -> Html {
    html! {
        <ol class="wizard-steps" aria-label={i18n.t("wz-title")}>
            { for (1..=5u8).map(|n| {
                let class = if n == current { "wz-step active" } else if n < current { "wz-step done" } else { "wz-step" };
                html! { <li class={class} aria-current={(n == current).then_some("step")}><span class="wz-step-n">{ n }</span>{ i18n.t(&format!("wz-step-{n}")) }</li> }
            }) }
        </ol>
    }
}

fn person_block(i18n: &I18n, state: &UseReducerHandle<Wizard>, who: Who, p: &PersonForm) -> Html {
    let (prefix, label) = match who {
        Who::Parent => ("wz-parent", "wz-parent-iin"),
        Who::Child => ("wz-child", "wz-child-iin"),
    };
    let parsed = Iin::parse(&p.iin);
    let fill = {
        let state = state.clone();
        let typed = p.iin.clone();
        Callback::from(move |_: MouseEvent| {
            let state = state.clone();
            match Iin::parse(&typed) {
                Err(e) => state.dispatch(Action::Refused(StepError::Iin(who, e))),
                Ok(iin) => wasm_bindgen_futures::spawn_local(async move {
                    match call(&calls::LookupPerson { iin: iin.to_string() }).await {
                        Ok(found) => state.dispatch(Action::LookedUp(who, iin.as_str().to_string(), found)),
                        Err(e) => state.dispatch(Action::Refused(StepError::Api(e))),
                    }
                }),
            }
        })
    };
    let verified = parsed.as_ref().ok().is_some_and(|i| p.verified_for.as_deref() == Some(i.as_str()));
    // As the seed has it: «ТАӘ толтыру» fills the birth date and sex (read from the IIN) with
    // the names; typing another IIN empties them again.
    let (born, sex) = match (&parsed, &p.lookup) {
        (Ok(iin), Some(_)) => (iin.birth_date().format("%d.%m.%Y").to_string(), i18n.t(if iin.sex() == Sex::Female { "wz-sex-female" } else { "wz-sex-male" })),
        _ => (String::new(), String::new()),
    };
    let lookup_note = match &p.lookup {
        Some(PersonLookup::NotFound) => Some(i18n.t("wz-registry-not-found")),
        Some(PersonLookup::Unavailable) => Some(i18n.t("wz-registry-offline")),
        _ => None,
    };
    html! {
        <fieldset class="wz-person" id={prefix}>
            <div class="wz-iin-row">
                <label><span>{ i18n.t(label) }{ " *" }</span>
                    <input id={format!("{prefix}-iin")} value={p.iin.clone()} inputmode="numeric" maxlength="14" autocomplete="off"
                        oninput={text(state, move |v| Action::Iin(who, v))} />
                </label>
                <button type="button" id={format!("{prefix}-fill")} onclick={fill}>{ i18n.t("wz-fill-names") }</button>
            </div>
            if let Some(e) = Iin::typing_error(&p.iin) {
                <p class="error" role="alert" id={format!("{prefix}-iin-error")}>{ i18n.tr.iin_error(&e) }</p>
            }
            if let Some(n) = lookup_note {
                <p class="notice warn" id={format!("{prefix}-lookup")}>{ n }</p>
            }
            <div class="wz-names">
                <label><span>{ i18n.t("wz-birth-date") }</span><input id={format!("{prefix}-birth-date")} readonly=true tabindex="-1" value={born.clone()} /></label>
                <label><span>{ i18n.t("wz-sex") }</span><input id={format!("{prefix}-sex")} readonly=true tabindex="-1" value={sex.clone()} /></label>
            </div>
            <div class="wz-names">
                <label><span>{ i18n.t("wz-surname") }{ " *" }</span><input id={format!("{prefix}-surname")} value={p.surname.clone()} oninput={text(state, move |v| Action::Surname(who, v))} /></label>
                <label><span>{ i18n.t("wz-given-name") }{ " *" }</span><input id={format!("{prefix}-given")} value={p.given_name.clone()} oninput={text(state, move |v| Action::GivenName(who, v))} /></label>
                <label><span>{ i18n.t("wz-patronymic") }</span><input id={format!("{prefix}-patronymic")} value={p.patronymic.clone()} oninput={text(state, move |v| Action::Patronymic(who, v))} /></label>
            </div>
            // Nothing is said of names not typed yet.
            if verified || !(p.surname.is_empty() && p.given_name.is_empty()) {
                <div><span class={if verified { "chip ok" } else { "chip" }} id={format!("{prefix}-verified")}>
                    { i18n.t(if verified { "wz-verified" } else { "wz-unverified" }) }
                </span></div>
            }
        </fieldset>
    }
}

fn contact_events(state: &UseReducerHandle<Wizard>) -> Callback<ContactAction> {
    let state = state.clone();
    Callback::from(move |a| state.dispatch(Action::Contact(a)))
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub districts: Vec<District>,
    pub max_preferences: usize,
}

#[component]
pub fn WizardPage(props: &Props) -> Html {
    let i18n = use_i18n();
    let state = use_reducer(Wizard::default);
    let kindergartens = use_state(Vec::<MapPoint>::new);

    // A draft left by a closed app (or another page) comes back.
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                // The page left a moment ago may still be saving its last keystrokes.
                saver::settled().await;
                // A draft of an older shape does not decode and is simply not restored.
                if let Ok(Some(d)) = call(&calls::LoadDraft::<Wizard>::default()).await {
                    state.dispatch(Action::Restore(Box::new(d.body), d.saved_at));
                }
            });
        });
    }
    // Every change is saved; the desk keeps one draft per operator.
    {
        let w = (*state).clone();
        use_effect_with(w, move |w| {
            if w.worth_saving() {
                saver::save(w.clone());
            }
        });
    }
    {
        let kindergartens = kindergartens.clone();
        let russian = i18n.lang == baqsha_core::Lang::Ru;
        use_effect_with((state.district.clone(), russian), move |(district, _)| {
            let district = (!district.is_empty()).then(|| district.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let Some(district) = district else {
                    kindergartens.set(vec![]);
                    return;
                };
                let q = RegistryQuery { district: Some(district), ..Default::default() };
                if let Ok(points) = call(&calls::MapPoints { query: q.clone() }).await {
                    kindergartens.set(state::preference_choices(points, russian));
                }
            });
        });
    }

    let w = &*state;
    let today = crate::clock::today();
    let back = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::Back))
    };
    let next = {
        let state = state.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let state = state.clone();
            let pending = state.codes_to_confirm();
            if state.step != 2 || pending.is_empty() {
                state.dispatch(Action::Next(today));
                return;
            }
            // Step 2: the typed codes are checked by the desk first, as the seed's «Әрі қарай» does.
            wasm_bindgen_futures::spawn_local(async move {
                state.dispatch(Action::Busy(true));
                let on = contact_events(&state);
                if let Err(e) = confirm_codes(pending, &on).await {
                    state.dispatch(Action::Refused(StepError::Api(e)));
                    return;
                }
                state.dispatch(Action::Busy(false));
                state.dispatch(Action::Next(today));
            });
        })
    };
    let start_over = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                saver::settled().await;
                let _ = call(&calls::DiscardDraft {}).await;
                state.dispatch(Action::Reset);
            });
        })
    };

    let error = w.error.as_ref().map(|e| html! { <p class="error" role="alert" id="wz-error">{ error_text(&i18n, e) }</p> });
    let restored = w.restored.filter(|_| (2..=5).contains(&w.step)).map(|at| {
        let t = baqsha_core::command::desk_time(at).format("%d.%m.%Y %H:%M").to_string();
        html! {
            <p class="notice" id="wz-restored">{ i18n.tr.t_args("wz-draft-restored", &[("time", Arg::Str(&t))]) }{ " " }
                <button type="button" class="ghost" id="wz-start-over" onclick={start_over.clone()}>{ i18n.t("wz-start-over") }</button>
            </p>
        }
    });
    let nav_buttons = html! {
        <div class="print-actions wz-nav">
            <button type="button" id="wz-back" onclick={back.clone()} disabled={w.busy}>{ i18n.t("wz-back") }</button>
            if w.step < 5 {
                <button class="primary" type="submit" id="wz-next" disabled={w.busy}>{ i18n.t("wz-next") }</button>
            }
        </div>
    };

    let body = match w.step {
        1 => {
            let start = {
                let state = state.clone();
                Callback::from(move |_: MouseEvent| state.dispatch(Action::Start))
            };
            html! {
                <div class="card wz-card">
                    <p>{ i18n.t("wz-intro") }</p>
                    <button class="primary" id="wz-start" onclick={start}>{ i18n.t("wz-start") }</button>
                </div>
            }
        }
        2 => html! {
            <form class="card wz-card" onsubmit={next.clone()} id="wz-form">
                <p class="muted">{ i18n.t("wz-required") }</p>
                { contact_fields(&i18n, &w.contact, "wz", &Which::ALL, &contact_events(&state)) }
                { nav_buttons.clone() }
            </form>
        },
        3 => {
            let preference = |i: usize| {
                let chosen = w.preferences.get(i).cloned().unwrap_or_default();
                html! {
                    <label><span>{ i18n.tr.t_args("wz-preference", &[("n", Arg::Num(i as i64 + 1))]) }{ if i == 0 { " *" } else { "" } }</span>
                        <select id={format!("wz-preference-{i}")} onchange={choose(&state, move |v| Action::Preference(i, v))}>
                            <option value="" selected={chosen.is_empty()}>{ i18n.t("wz-choose") }</option>
                            { for kindergartens.iter().map(|k| html! {
                                <option value={k.id.to_string()} selected={chosen == k.id.to_string()}>{ i18n.name(&k.name) }</option>
                            }) }
                        </select>
                    </label>
                }
            };
            html! {
                <form class="card wz-card" onsubmit={next.clone()} id="wz-form">
                    { person_block(&i18n, &state, Who::Parent, &w.parent) }
                    { person_block(&i18n, &state, Who::Child, &w.child) }
                    <label><span>{ i18n.t("wz-address") }{ " *" }</span><input id="wz-address" value={w.address.clone()} oninput={text(&state, Action::Address)} /></label>
                    <div class="wz-prefs">
                        <label><span>{ i18n.t("wz-district") }{ " *" }</span>
                            <select id="wz-district" onchange={choose(&state, Action::District)}>
                                <option value="" selected={w.district.is_empty()}>{ i18n.t("wz-choose") }</option>
                                { for props.districts.iter().map(|d| html! {
                                    <option value={d.code.clone()} selected={w.district == d.code}>{ i18n.pick3(&d.name_kk, &d.name_ru, &d.name_en) }</option>
                                }) }
                            </select>
                        </label>
                        <label><span>{ i18n.t("wz-language") }</span>
                            <select id="wz-language" onchange={choose(&state, Action::Language)}>
                                { for Language::ALL.iter().map(|l| html! { <option value={l.code()} selected={w.language == l.code()}>{ i18n.language(*l) }</option> }) }
                            </select>
                        </label>
                    </div>
                    if w.district.is_empty() {
                        <p class="muted" id="wz-district-first">{ i18n.t("wz-district-first") }</p>
                    }
                    // Each choice on its own line: a kindergarten's full name is read whole.
                    <div class="wz-choices">
                        { for (0..props.max_preferences.max(1)).map(preference) }
                    </div>
                    { nav_buttons.clone() }
                </form>
            }
        }
        4 => {
            let on_proof = {
                let state = state.clone();
                Callback::from(move |e: ProofEvent| {
                    state.dispatch(match e {
                        ProofEvent::Busy => Action::Busy(true),
                        ProofEvent::Added(p) => Action::ProofAdded(p),
                        ProofEvent::Removed(id) => Action::ProofRemoved(id),
                        ProofEvent::Refused(e) => Action::Refused(StepError::Api(e)),
                    })
                })
            };
            html! {
                <form class="card wz-card" onsubmit={next.clone()} id="wz-form">
                    <label><span>{ i18n.t("wz-benefit") }</span>
                        <select id="wz-benefit" onchange={choose(&state, Action::Benefit)}>
                            <option value="" selected={w.benefit.is_empty()}>{ i18n.t("wz-benefit-none") }</option>
                            { for BenefitKind::ALL.iter().map(|b| html! { <option value={b.code()} selected={w.benefit == b.code()}>{ i18n.t(&format!("benefit-{}", b.code())) }</option> }) }
                        </select>
                    </label>
                    <p class="muted">{ i18n.t("wz-benefit-hint") }</p>
                    { proof_picker(&i18n, "wz", &w.proofs, w.busy, &on_proof) }
                    { nav_buttons.clone() }
                </form>
            }
        }
        5 => review(&i18n, &state, &kindergartens, today, back.clone()),
        _ => match &w.outcome {
            Some(o) => html! { <Done outcome={o.clone()} on_new={Callback::from({ let state = state.clone(); move |_| state.dispatch(Action::Reset) })} /> },
            None => html! {},
        },
    };

    html! {
        <section class="page wizard" id="wizard">
            <div class="page-head"><h1>{ i18n.t("wz-title") }</h1></div>
            if (2..=5).contains(&w.step) { { steps(&i18n, w.step) } }
            { for restored }
            { for error }
            { body }
        </section>
    }
}

fn review(i18n: &I18n, state: &UseReducerHandle<Wizard>, kindergartens: &[MapPoint], today: chrono::NaiveDate, back: Callback<MouseEvent>) -> Html {
    let w = &**state;
    let consent = ticked(state, Action::Consent);
    let submit = {
        let state = state.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let application = match state.application(today) {
                Ok(a) => a,
                Err(err) => {
                    state.dispatch(Action::Refused(err));
                    return;
                }
            };
            let state = state.clone();
            state.dispatch(Action::Busy(true));
            wasm_bindgen_futures::spawn_local(async move {
                // A save still in flight must not bring the draft back after the submit ends it.
                saver::settled().await;
                match call(&calls::SubmitApplication { application: application.clone() }).await {
                    Ok(o) => state.dispatch(Action::Submitted(o)),
                    Err(e) => state.dispatch(Action::Refused(StepError::Api(e))),
                }
            });
        })
    };
    let person = |p: &PersonForm| {
        let iin = Iin::parse(&p.iin).map(|i| i.as_str().to_string()).unwrap_or_else(|_| p.iin.clone());
        format!("{} {} {} · {}", p.surname.trim(), p.given_name.trim(), p.patronymic.trim(), iin)
    };
    let contact = |c: &Contact| if c.value.trim().is_empty() { "—".to_string() } else { c.value.trim().to_string() };
    let confirmation = if w.contact.in_person {
        let doc = IdDocument::from_code(&w.contact.document).unwrap_or(IdDocument::IdCard);
        i18n.tr.t_args("history-in-person", &[("document", Arg::Str(&i18n.t(&format!("iddoc-{}", doc.code())))), ("number", Arg::Str(w.contact.document_number.trim()))])
    } else {
        i18n.t("history-by-codes")
    };
    let kg_name = |id: &str| kindergartens.iter().find(|k| k.id.to_string() == id).map(|k| i18n.name(&k.name).to_string()).unwrap_or_else(|| id.to_string());
    let benefit = match BenefitKind::from_code(&w.benefit) {
        Some(b) => format!("{} ({})", i18n.t(&format!("benefit-{}", b.code())), w.proofs.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")),
        None => i18n.t("wz-benefit-none"),
    };
    html! {
        <form class="card wz-card" onsubmit={submit} id="wz-form">
            <p>{ i18n.t("wz-review-intro") }</p>
            <dl class="facts" id="wz-review">
                <dt>{ i18n.t("wz-phone") }</dt><dd>{ contact(&w.contact.phone) }</dd>
                <dt>{ i18n.t("wz-extra-phone") }</dt><dd>{ contact(&w.contact.extra_phone) }</dd>
                <dt>{ i18n.t("wz-email") }</dt><dd>{ contact(&w.contact.email) }</dd>
                <dt>{ i18n.t("wz-contacts-by") }</dt><dd>{ confirmation }</dd>
                <dt>{ i18n.t("wz-who-parent") }</dt><dd>{ person(&w.parent) }</dd>
                <dt>{ i18n.t("wz-who-child") }</dt><dd>{ person(&w.child) }</dd>
                <dt>{ i18n.t("wz-address") }</dt><dd>{ w.address.trim() }</dd>
                <dt>{ i18n.t("doc-wishes") }</dt>
                <dd><ol class="preferences">{ for w.preferences.iter().filter(|p| !p.is_empty()).map(|p| html! { <li>{ kg_name(p) }</li> }) }</ol></dd>
                <dt>{ i18n.t("wz-language") }</dt><dd>{ Language::from_code(&w.language).map(|l| i18n.language(l)).unwrap_or_default() }</dd>
                <dt>{ i18n.t("wz-benefit") }</dt><dd>{ benefit }</dd>
            </dl>
            <p class="consent-text">{ i18n.t("wz-consent-text") }</p>
            <label class="checkbox"><input type="checkbox" id="wz-consent" checked={w.consent} onchange={consent} /><span>{ i18n.t("wz-consent") }</span></label>
            <div class="print-actions wz-nav">
                <button type="button" id="wz-back" onclick={back} disabled={w.busy}>{ i18n.t("wz-back") }</button>
                <button class="primary" type="submit" id="wz-submit" disabled={w.busy}>{ if w.busy { i18n.t("wz-working") } else { i18n.t("wz-submit") } }</button>
            </div>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct DoneProps {
    outcome: SubmitOutcome,
    on_new: Callback<()>,
}

#[component]
fn Done(props: &DoneProps) -> Html {
    let i18n = &use_i18n();
    let o = &props.outcome;
    let printed = use_state_eq(|| None::<Result<Printed, ApiError>>);
    let print = {
        let number = o.number.clone();
        let lang = i18n.lang.of_documents();
        let printed = printed.clone();
        Callback::from(move |_: MouseEvent| {
            let (number, printed) = (number.clone(), printed.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let r = call(&calls::PrintApplication { number: number.clone(), lang, save_as: false }).await;
                printed.set(Some(r));
            });
        })
    };
    let again = props.on_new.reform(|_: MouseEvent| ());
    html! {
        <div class="card wz-card wz-done" id="wz-done" role="status">
            <h2>{ i18n.t("wz-done") }</h2>
            <p class="wz-number" id="wz-number">{ i18n.tr.t_args("wz-done-number", &[("number", Arg::Str(&o.number))]) }</p>
            <ul class="wz-messages" id="wz-messages">
                { for o.messages.iter().map(|m| message_line(i18n, m)) }
            </ul>
            if let Some(r) = &*printed {
                <crate::widgets::printed::PrintOutcome result={r.clone()} />
            }
            <div class="print-actions">
                <button class="primary" id="wz-print" onclick={print}>{ i18n.t("print-button") }</button>
                <button id="wz-new" onclick={again}>{ i18n.t("wz-new") }</button>
            </div>
        </div>
    }
}

/// A message sent with an outcome (the number by SMS): sent, or waiting with the gateway's reason.
pub fn message_line(i18n: &I18n, m: &SentMessage) -> Html {
    let channel = i18n.t(&format!("msg-channel-{}", m.channel.code()));
    let (class, line) = if m.sent_at.is_some() {
        ("muted", i18n.tr.t_args("wz-msg-sent", &[("channel", Arg::Str(&channel)), ("to", Arg::Str(&m.recipient))]))
    } else {
        let why = m.last_error.clone().map(|e| crate::messages::error_text(i18n, &e)).unwrap_or_else(|| i18n.t("msg-waiting"));
        ("error", i18n.tr.t_args("wz-msg-waiting", &[("channel", Arg::Str(&channel)), ("to", Arg::Str(&m.recipient)), ("error", Arg::Str(&why))]))
    };
    html! { <li class={class} data-channel={m.channel.code()}>{ line }</li> }
}
