//! «Баптаулар» (regional administrator): what a refusal does, the stop-list, the summer pause
//! of publication. The core checks the values; a refused form keeps what was typed.

use crate::bridge::call;
use crate::i18n::use_i18n;
use baqsha_api::*;
use baqsha_core::referral::{PublicationPause, RefusalRules};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// What is typed, as typed.
#[derive(Clone, PartialEq, Default)]
struct Form {
    annuls: bool,
    stop_list_days: String,
    pause: bool,
    from: String,
    to: String,
}

impl Form {
    fn of(s: &OfficeSettings) -> Form {
        let p = s.publication_pause.unwrap_or_default();
        Form {
            annuls: s.refusal.annuls,
            stop_list_days: s.refusal.stop_list_days.to_string(),
            pause: s.publication_pause.is_some(),
            from: format!("{:02}-{:02}", p.from.0, p.from.1),
            to: format!("{:02}-{:02}", p.to.0, p.to.1),
        }
    }

    /// None names the field that does not read.
    fn settings(&self) -> Result<OfficeSettings, &'static str> {
        let stop_list_days = self.stop_list_days.trim().parse().map_err(|_| "stop_list_days")?;
        let publication_pause = if self.pause {
            let text = format!("{}..{}", self.from.trim(), self.to.trim());
            Some(PublicationPause::parse(&text).flatten().ok_or("publication_pause")?)
        } else {
            None
        };
        Ok(OfficeSettings { refusal: RefusalRules { annuls: self.annuls, stop_list_days }, publication_pause, kurban_ait: vec![] })
    }
}

/// «Құрбан айт» as typed: a year and its first day (`YYYY-MM-DD`, the date field's value).
fn kurban_day(year: &str, day: &str) -> Result<(i32, chrono::NaiveDate), &'static str> {
    let year = year.trim().parse().map_err(|_| "kurban_ait_year")?;
    let day = chrono::NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").map_err(|_| "kurban_ait_day")?;
    Ok((year, day))
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub admin: bool,
}

#[component]
pub fn SettingsPage(props: &Props) -> Html {
    let i18n = use_i18n();
    let form = use_state(|| None::<Form>);
    let outcome = use_state(|| None::<Result<(), ApiError>>);
    {
        let (form, outcome) = (form.clone(), outcome.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match call(&calls::OfficeSettings {}).await {
                    Ok(s) => form.set(Some(Form::of(&s))),
                    Err(e) => outcome.set(Some(Err(e))),
                }
            });
        });
    }
    let known = use_state(Vec::<KurbanAitDay>::new);
    let kurban = use_state(|| (String::new(), String::new()));
    let kurban_outcome = use_state(|| None::<Result<(), ApiError>>);
    {
        let known = known.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(s) = call(&calls::OfficeSettings {}).await {
                    known.set(s.kurban_ait);
                }
            });
        });
    }
    let Some(f) = (*form).clone() else {
        return html! { <section class="page"><h1>{ i18n.t("set-title") }</h1>
            if let Some(Err(e)) = &*outcome { <p class="error" role="alert">{ i18n.error(e) }</p> } else { <p class="muted">{ i18n.t("loading") }</p> }
        </section> };
    };
    let edit = |apply: fn(&mut Form, &HtmlInputElement)| {
        let form = form.clone();
        Callback::from(move |e: Event| {
            if let Some(mut f) = (*form).clone() {
                apply(&mut f, &e.target_unchecked_into::<HtmlInputElement>());
                form.set(Some(f));
            }
        })
    };
    let save = {
        let (form, outcome, f) = (form.clone(), outcome.clone(), f.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let settings = match f.settings() {
                Ok(s) => s,
                Err(field) => {
                    outcome.set(Some(Err(ApiError::Rule { rule: baqsha_core::command::RuleError::BadSetting { setting: field.into() } })));
                    return;
                }
            };
            let (form, outcome) = (form.clone(), outcome.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match call(&calls::SaveOfficeSettings { settings }).await {
                    Ok(s) => {
                        form.set(Some(Form::of(&s)));
                        outcome.set(Some(Ok(())));
                    }
                    Err(e) => outcome.set(Some(Err(e))),
                }
            });
        })
    };
    let note = match &*outcome {
        None => html! {},
        Some(Ok(())) => html! { <p class="notice" role="status" id="settings-outcome">{ i18n.t("set-saved") }</p> },
        Some(Err(e)) => html! { <p class="error" role="alert" id="settings-outcome">{ i18n.error(e) }</p> },
    };
    let save_kurban = {
        let (kurban, known, outcome) = (kurban.clone(), known.clone(), kurban_outcome.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (year, first_day) = match kurban_day(&kurban.0, &kurban.1) {
                Ok(v) => v,
                Err(field) => {
                    outcome.set(Some(Err(ApiError::Rule { rule: baqsha_core::command::RuleError::BadSetting { setting: field.into() } })));
                    return;
                }
            };
            let (known, outcome) = (known.clone(), outcome.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match call(&calls::SetKurbanAit { year, first_day }).await {
                    Ok(s) => {
                        known.set(s.kurban_ait);
                        outcome.set(Some(Ok(())));
                    }
                    Err(e) => outcome.set(Some(Err(e))),
                }
            });
        })
    };
    let kurban_note = match &*kurban_outcome {
        None => html! {},
        Some(Ok(())) => html! { <p class="notice" role="status" id="kurban-outcome">{ i18n.t("set-kurban-saved") }</p> },
        Some(Err(e)) => html! { <p class="error" role="alert" id="kurban-outcome">{ i18n.error(e) }</p> },
    };
    let typed = |second: bool| {
        let kurban = kurban.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            let (y, d) = (*kurban).clone();
            kurban.set(if second { (y, v) } else { (v, d) });
        })
    };
    let kurban_day = {
        let kurban = kurban.clone();
        Callback::from(move |iso: String| {
            let (y, _) = (*kurban).clone();
            kurban.set((y, iso));
        })
    };
    html! {
        <section class="page settings-page">
            <div class="page-head"><h1>{ i18n.t("set-title") }</h1></div>
            <p class="muted">{ i18n.t(if props.admin { "set-intro" } else { "set-admin-only" }) }</p>
            { note }
            <form class="card settings-form" onsubmit={save}>
                <fieldset disabled={!props.admin}>
                    <label class="check"><input type="checkbox" id="set-annuls" checked={f.annuls} onchange={edit(|f, i| f.annuls = i.checked())} />{ i18n.t("set-annuls") }</label>
                    <label><span>{ i18n.t("set-stop-list") }</span>
                        <input id="set-stop-list" class="narrow" inputmode="numeric" value={f.stop_list_days.clone()} onchange={edit(|f, i| f.stop_list_days = i.value())} />
                    </label>
                    <label class="check"><input type="checkbox" id="set-pause" checked={f.pause} onchange={edit(|f, i| f.pause = i.checked())} />{ i18n.t("set-pause") }</label>
                    if f.pause {
                        <div class="row">
                            <label><span>{ i18n.t("set-pause-from") }</span><input id="set-pause-from" class="narrow-date" value={f.from.clone()} onchange={edit(|f, i| f.from = i.value())} /></label>
                            <label><span>{ i18n.t("set-pause-to") }</span><input id="set-pause-to" class="narrow-date" value={f.to.clone()} onchange={edit(|f, i| f.to = i.value())} /></label>
                        </div>
                    }
                    <div class="print-actions"><button class="primary" id="set-save" type="submit">{ i18n.t("set-save") }</button></div>
                </fieldset>
            </form>
            <form class="card settings-form" id="kurban-form" onsubmit={save_kurban}>
                <h2>{ i18n.t("set-kurban-title") }</h2>
                <p class="muted">{ i18n.t("set-kurban-intro") }</p>
                { kurban_note }
                <ul class="kurban-days" id="kurban-days">
                    { for known.iter().rev().take(4).rev().map(|d| html! { <li>{ d.year }{ ": " }{ d.first_day.format("%d.%m.%Y").to_string() }</li> }) }
                </ul>
                <fieldset disabled={!props.admin}>
                    <div class="row">
                        <label><span>{ i18n.t("set-kurban-year") }</span><input id="kurban-year" class="narrow" inputmode="numeric" value={kurban.0.clone()} onchange={typed(false)} /></label>
                        <label><span>{ i18n.t("set-kurban-day") }</span><crate::widgets::date::DateInput id="kurban-day" value={kurban.1.clone()} on_change={kurban_day} /></label>
                    </div>
                    <div class="print-actions"><button class="primary" id="kurban-save" type="submit">{ i18n.t("set-kurban-save") }</button></div>
                </fieldset>
            </form>
            if props.admin { <crate::sync::JoinRegion /> }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_reads_back_what_it_shows_and_names_a_bad_field() {
        let s = OfficeSettings { refusal: RefusalRules { annuls: true, stop_list_days: 30 }, publication_pause: Some(PublicationPause::default()), kurban_ait: vec![] };
        let f = Form::of(&s);
        assert_eq!((f.from.as_str(), f.to.as_str()), ("08-01", "08-31"));
        assert_eq!(f.settings(), Ok(s));
        assert_eq!(Form { stop_list_days: "отыз".into(), ..f.clone() }.settings(), Err("stop_list_days"));
        assert_eq!(Form { to: "08-32".into(), ..f.clone() }.settings(), Err("publication_pause"));
        assert_eq!(Form { pause: false, to: "garbage".into(), ..f }.settings().map(|s| s.publication_pause), Ok(None));
    }

    #[test]
    fn a_kurban_ait_date_reads_from_the_date_field_and_names_a_bad_part() {
        assert_eq!(kurban_day(" 2031 ", "2031-04-02"), Ok((2031, chrono::NaiveDate::from_ymd_opt(2031, 4, 2).unwrap())));
        assert_eq!(kurban_day("жыл", "2031-04-02"), Err("kurban_ait_year"));
        assert_eq!(kurban_day("2031", ""), Err("kurban_ait_day"));
    }
}
