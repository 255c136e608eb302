//! The «Өзгерту» dialog: contacts, address, preferences (kindergartens of the district),
//! language, benefit. A new phone or e-mail is confirmed by its code or the parent's
//! document, a new benefit brings its proofs, as in the wizard. A refused form keeps every
//! field and says which one is wrong.

use crate::bridge::call;
use crate::contact_form::{ContactAction, Which};
use crate::i18n::use_i18n;
use crate::queue_check::edit_form::{EditForm, Field, FieldError};
use crate::widgets::contacts::{confirm_codes, contact_fields};
use crate::widgets::proofs::{proof_picker, ProofEvent};
use crate::wizard::state::StepError;
use baqsha_api::*;
use baqsha_core::{BenefitKind, Language};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub view: ApplicationView,
    pub max_preferences: usize,
    pub on_done: Callback<ApplicationView>,
    pub on_cancel: Callback<()>,
}

#[derive(Clone, PartialEq)]
enum Problem {
    Field(FieldError),
    Api(ApiError),
}

#[component]
pub fn EditDialog(props: &Props) -> Html {
    let i18n = use_i18n();
    let form = use_reducer(|| EditForm::from_view(&props.view, props.max_preferences));
    let problem = use_state(|| None::<Problem>);
    let busy = use_state(|| false);
    let kindergartens = use_state(Vec::<MapPoint>::new);
    {
        let kindergartens = kindergartens.clone();
        let district = props.view.district.clone();
        let russian = i18n.lang == baqsha_core::Lang::Ru;
        use_effect_with((district.clone(), russian), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let q = RegistryQuery { district, ..Default::default() };
                if let Ok(points) = call(&calls::MapPoints { query: q.clone() }).await {
                    kindergartens.set(crate::wizard::state::preference_choices(points, russian));
                }
            });
        });
    }
    let text = |field: fn(String) -> Field| {
        let form = form.clone();
        Callback::from(move |e: InputEvent| form.dispatch(field(e.target_unchecked_into::<HtmlInputElement>().value())))
    };
    let choose = |field: Box<dyn Fn(String) -> Field>| {
        let form = form.clone();
        Callback::from(move |e: Event| form.dispatch(field(e.target_unchecked_into::<HtmlSelectElement>().value())))
    };
    let on_contact = {
        let form = form.clone();
        Callback::from(move |a: ContactAction| form.dispatch(Field::Contact(a)))
    };
    let on_proof = {
        let (form, problem, busy) = (form.clone(), problem.clone(), busy.clone());
        Callback::from(move |e: ProofEvent| match e {
            ProofEvent::Busy => busy.set(true),
            ProofEvent::Added(p) => {
                busy.set(false);
                form.dispatch(Field::ProofAdded(p));
            }
            ProofEvent::Removed(id) => form.dispatch(Field::ProofRemoved(id)),
            ProofEvent::Refused(e) => {
                busy.set(false);
                problem.set(Some(Problem::Api(e)));
            }
        })
    };
    let save = {
        let (form, problem, busy, done, on_contact) = (form.clone(), problem.clone(), busy.clone(), props.on_done.clone(), on_contact.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let changes = match form.changes() {
                Ok(c) => c,
                Err(f) => {
                    problem.set(Some(Problem::Field(f)));
                    return;
                }
            };
            busy.set(true);
            let (problem, busy, done, on_contact) = (problem.clone(), busy.clone(), done.clone(), on_contact.clone());
            // This render's form: the codes typed are checked first, then counted as confirmed.
            let mut f = (*form).clone();
            wasm_bindgen_futures::spawn_local(async move {
                let pending = f.contact.codes_to_confirm(&f.asked());
                let confirmed: Vec<Which> = pending.iter().map(|(w, ..)| *w).collect();
                if let Err(e) = confirm_codes(pending, &on_contact).await {
                    busy.set(false);
                    problem.set(Some(Problem::Api(e)));
                    return;
                }
                confirmed.into_iter().for_each(|w| f.contact.apply(ContactAction::Confirmed(w)));
                let confirmation = match f.confirmation() {
                    Ok(c) => c,
                    Err(e) => {
                        busy.set(false);
                        problem.set(Some(Problem::Field(e)));
                        return;
                    }
                };
                match call(&calls::EditApplication { id: f.application, changes, confirmation }).await {
                    Ok(v) => done.emit(v),
                    Err(e) => {
                        busy.set(false);
                        problem.set(Some(Problem::Api(e)));
                    }
                }
            });
        })
    };
    let message = problem.as_ref().map(|p| match p {
        Problem::Field(FieldError::Contact(e)) => crate::wizard::error_text(&i18n, &StepError::from(e.clone())),
        Problem::Field(FieldError::Address) => i18n.t("wz-address-required"),
        Problem::Field(FieldError::Preferences) => i18n.t("rule-no-preferences"),
        Problem::Field(FieldError::ProofRequired) => i18n.tr.rule_error(&baqsha_core::command::RuleError::ProofRequired),
        Problem::Api(e) => i18n.error(e),
    });
    let f = &*form;
    let preference = |i: usize| {
        let chosen = f.preferences.get(i).cloned().unwrap_or_default();
        html! {
            <select id={format!("edit-preference-{i}")} onchange={choose(Box::new(move |v| Field::Preference(i, v)))}>
                <option value="" selected={chosen.is_empty()}>{ "—" }</option>
                { for kindergartens.iter().map(|k| html! {
                    <option value={k.id.to_string()} selected={chosen == k.id.to_string()}>{ i18n.name(&k.name) }</option>
                }) }
            </select>
        }
    };
    let cancel = props.on_cancel.reform(|_: MouseEvent| ());
    html! {
        <div class="modal-backdrop">
            <form class="modal card edit-dialog" role="dialog" aria-modal="true" id="edit-dialog" onsubmit={save}>
                <h2>{ i18n.tr.t_args("qc-edit-title", &[("number", baqsha_i18n::Arg::Str(&f.number))]) }</h2>
                // At the top: a long form scrolls, and the reason must be seen.
                if let Some(m) = message {
                    <p class="error" role="alert" id="edit-error">{ m }</p>
                }
                { contact_fields(&i18n, &f.contact, "edit", &f.asked(), &on_contact) }
                if !f.asked().is_empty() {
                    <p class="muted" id="edit-confirm-note">{ i18n.t("qc-edit-confirm-note") }</p>
                }
                <label><span>{ i18n.t("wz-address") }{ " *" }</span><input id="edit-address" value={f.address.clone()} oninput={text(Field::Address)} /></label>
                <label><span>{ i18n.t("doc-wishes") }</span>{ for (0..f.preferences.len()).map(preference) }</label>
                <label><span>{ i18n.t("doc-language") }</span>
                    <select id="edit-language" onchange={choose(Box::new(Field::Language))}>
                        { for Language::ALL.iter().map(|l| html! { <option value={l.code()} selected={f.language == l.code()}>{ i18n.language(*l) }</option> }) }
                    </select>
                </label>
                <label><span>{ i18n.t("doc-benefit") }</span>
                    <select id="edit-benefit" onchange={choose(Box::new(Field::Benefit))}>
                        <option value="" selected={f.benefit.is_empty()}>{ i18n.t("doc-benefit-none") }</option>
                        { for BenefitKind::ALL.iter().map(|b| html! { <option value={b.code()} selected={f.benefit == b.code()}>{ i18n.t(&format!("benefit-{}", b.code())) }</option> }) }
                    </select>
                </label>
                if f.benefit_is_new() {
                    { proof_picker(&i18n, "edit", &f.proofs, *busy, &on_proof) }
                }
                <p class="muted">{ i18n.t("qc-edit-note") }</p>
                <div class="print-actions">
                    <button class="primary" id="edit-save" type="submit" disabled={*busy}>{ i18n.t("qc-edit-save") }</button>
                    <button id="edit-cancel" type="button" onclick={cancel}>{ i18n.t("qc-cancel") }</button>
                </div>
            </form>
        </div>
    }
}
