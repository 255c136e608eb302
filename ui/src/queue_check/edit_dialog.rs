//! The «Өзгерту» dialog: contacts, address, preferences (kindergartens of the district),
//! language, benefit. A refused form keeps every field and says which one is wrong.

use crate::bridge::call;
use crate::i18n::use_i18n;
use crate::queue_check::edit_form::{EditForm, Field, FieldError};
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
        use_effect_with(district.clone(), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let q = RegistryQuery { district, ..Default::default() };
                if let Ok(points) = call(&calls::MapPoints { query: q.clone() }).await {
                    kindergartens.set(points);
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
    let save = {
        let (form, problem, busy, done) = (form.clone(), problem.clone(), busy.clone(), props.on_done.clone());
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
            let (id, problem, busy, done) = (form.application, problem.clone(), busy.clone(), done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match call(&calls::EditApplication { id, changes }).await {
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
        Problem::Field(FieldError::Phone(e)) | Problem::Field(FieldError::ExtraPhone(e)) => i18n.tr.phone_error(e),
        Problem::Field(FieldError::Email(e)) => i18n.tr.email_error(e),
        Problem::Field(FieldError::Address) => i18n.t("qc-edit-address-required"),
        Problem::Field(FieldError::Preferences) => i18n.t("rule-no-preferences"),
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
                <label><span>{ i18n.t("qc-edit-phone") }</span><input id="edit-phone" value={f.phone.clone()} oninput={text(Field::Phone)} /></label>
                <label><span>{ i18n.t("qc-edit-extra-phone") }</span><input id="edit-extra-phone" value={f.extra_phone.clone()} oninput={text(Field::ExtraPhone)} /></label>
                <label><span>{ "E-mail" }</span><input id="edit-email" value={f.email.clone()} oninput={text(Field::Email)} /></label>
                <label><span>{ i18n.t("qc-edit-address") }</span><input id="edit-address" value={f.address.clone()} oninput={text(Field::Address)} /></label>
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
                <p class="muted">{ i18n.t("qc-edit-note") }</p>
                <div class="print-actions">
                    <button class="primary" id="edit-save" type="submit" disabled={*busy}>{ i18n.t("qc-edit-save") }</button>
                    <button id="edit-cancel" type="button" onclick={cancel}>{ i18n.t("qc-cancel") }</button>
                </div>
            </form>
        </div>
    }
}
