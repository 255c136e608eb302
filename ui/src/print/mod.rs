//! «Тізімдерді басып шығару»: the vacancy bulletin, issued referrals and the queue of a
//! category as PDF, in Kazakh or Russian.

pub mod state;

use crate::bridge::call;
use crate::i18n::use_i18n;
use crate::print::state::{Action, Kind, Outcome, PrintState};
use baqsha_api::*;
use baqsha_core::District;
use baqsha_core::Lang;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub districts: Vec<District>,
}

#[component]
pub fn PrintPage(props: &Props) -> Html {
    let i18n = use_i18n();
    let state = use_reducer(|| PrintState::new(crate::clock::today(), i18n.lang));

    let print = |kind: Kind, save_as: bool| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(list) = state.list(kind) else {
                state.dispatch(Action::Start(kind));
                return;
            };
            state.dispatch(Action::Start(kind));
            let request = calls::PrintList { list, lang: state.lang, save_as };
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match call(&request).await {
                    Ok(p) => state.dispatch(Action::Done(p)),
                    Err(e) => state.dispatch(Action::Failed(e)),
                }
            });
        })
    };
    let date = |f: fn(String) -> Action| {
        let state = state.clone();
        Callback::from(move |iso: String| state.dispatch(f(iso)))
    };
    let select = |f: fn(String) -> Action| {
        let state = state.clone();
        Callback::from(move |e: Event| state.dispatch(f(e.target_unchecked_into::<HtmlSelectElement>().value())))
    };
    let busy = matches!(state.outcome, Outcome::Working(_));
    let buttons = |kind: Kind, id: &str| {
        html! {
            <div class="print-actions">
                <button class="primary" id={format!("print-{id}")} disabled={busy} onclick={print(kind, false)}>{ i18n.t("print-button") }</button>
                <button id={format!("save-as-{id}")} disabled={busy} onclick={print(kind, true)}>{ i18n.t("print-save-as") }</button>
            </div>
        }
    };
    let outcome = match &state.outcome {
        Outcome::Idle => html! {},
        Outcome::Working(_) => html! { <p class="muted" id="print-outcome">{ i18n.t("print-working") }</p> },
        Outcome::BadDates => html! { <p class="error" role="alert" id="print-outcome">{ i18n.t("print-bad-dates") }</p> },
        Outcome::Failed(e) => html! { <crate::widgets::printed::PrintOutcome result={Err::<Printed, _>(e.clone())} /> },
        Outcome::Done(p) => html! { <crate::widgets::printed::PrintOutcome result={Ok::<_, ApiError>(p.clone())} /> },
    };
    let s = &*state;
    html! {
        <section class="page print-page">
            <div class="page-head"><h1>{ i18n.t("print-title") }</h1></div>
            <p class="muted">{ i18n.t("print-intro") }</p>
            <div class="filters card">
                <label><span>{ i18n.t("print-doc-language") }</span>
                    <select id="print-lang" onchange={select(Action::Lang)}>
                        <option value="kk" selected={s.lang == Lang::Kk}>{ "Қазақша" }</option>
                        <option value="ru" selected={s.lang == Lang::Ru}>{ "Русский" }</option>
                    </select>
                </label>
                <label><span>{ i18n.t("print-district") }</span>
                    <select id="print-district" onchange={select(Action::District)}>
                        <option value="" selected={s.district.is_none()}>{ i18n.t("print-all-districts") }</option>
                        { for props.districts.iter().map(|d| html! {
                            <option value={d.code.clone()} selected={s.district.as_deref() == Some(d.code.as_str())}>
                                { i18n.pick3(&d.name_kk, &d.name_ru, &d.name_en) }
                            </option>
                        }) }
                    </select>
                </label>
            </div>
            { outcome }
            <div class="print-cards">
                <div class="card print-card">
                    <h2>{ i18n.t("print-bulletin") }</h2>
                    <label><span>{ i18n.t("print-bulletin-date") }</span>
                        <crate::widgets::date::DateInput id="bulletin-date" value={s.bulletin_date.to_string()} on_change={date(Action::BulletinDate)} />
                    </label>
                    { buttons(Kind::Bulletin, "bulletin") }
                </div>
                <div class="card print-card">
                    <h2>{ i18n.t("print-referrals") }</h2>
                    <div class="row">
                        <label><span>{ i18n.t("print-from") }</span>
                            <crate::widgets::date::DateInput id="referrals-from" value={s.from.to_string()} on_change={date(Action::From)} />
                        </label>
                        <label><span>{ i18n.t("print-to") }</span>
                            <crate::widgets::date::DateInput id="referrals-to" value={s.to.to_string()} on_change={date(Action::To)} />
                        </label>
                    </div>
                    { buttons(Kind::Referrals, "referrals") }
                </div>
                <div class="card print-card">
                    <h2>{ i18n.t("print-queue") }</h2>
                    <label><span>{ i18n.t("print-category") }</span>
                        <select id="queue-category" onchange={select(Action::Category)}>
                            { for PrintState::categories(crate::clock::today()).into_iter().map(|y| html! {
                                <option value={y.to_string()} selected={s.category == y}>{ y }</option>
                            }) }
                        </select>
                    </label>
                    { buttons(Kind::Queue, "queue") }
                </div>
            </div>
        </section>
    }
}
