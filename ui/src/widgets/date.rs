//! A date typed the way the app's language writes it (`04.12.2026`), whatever the machine's
//! locale: the web engine's own date field shows mm/dd/yyyy on a machine set to English.
//! The pages keep dates as ISO text (`2026-12-04`); this field shows and reads them.

use crate::i18n::use_i18n;
use chrono::NaiveDate;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// A typed date: `04.12.2026`, `4.12.2026`, `04/12/2026`, `04-12-2026`, or ISO `2026-12-04`
/// (what a pasted or scripted value is). None until it is a whole, real date.
pub fn parse_typed(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    if let Ok(d) = t.parse::<NaiveDate>() {
        return Some(d);
    }
    let parts: Vec<&str> = t.split(['.', '/', '-', ' ']).filter(|p| !p.is_empty()).collect();
    let [d, m, y] = parts[..] else { return None };
    if y.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// How a page shows an ISO date in the field.
pub fn shown(iso: &str) -> String {
    iso.parse::<NaiveDate>().map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_else(|_| iso.to_string())
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub id: AttrValue,
    #[prop_or_default]
    pub class: Classes,
    /// ISO (`2026-12-04`), or empty.
    pub value: AttrValue,
    /// The latest day allowed, ISO; kept on the element for the reader (and tests).
    #[prop_or_default]
    pub max: Option<AttrValue>,
    /// Each whole date typed, as ISO.
    pub on_change: Callback<String>,
}

#[component]
pub fn DateInput(props: &Props) -> Html {
    let i18n = use_i18n();
    let text = use_state(|| shown(&props.value));
    {
        let text = text.clone();
        use_effect_with(props.value.clone(), move |v| text.set(shown(v)));
    }
    let on_input = {
        let (text, on_change) = (text.clone(), props.on_change.clone());
        Callback::from(move |e: InputEvent| {
            let typed = e.target_unchecked_into::<HtmlInputElement>().value();
            if let Some(d) = parse_typed(&typed) {
                on_change.emit(d.to_string());
            }
            text.set(typed);
        })
    };
    // A scripted value arrives with a change event only.
    let on_changed = {
        let (text, on_change) = (text.clone(), props.on_change.clone());
        Callback::from(move |e: Event| {
            let typed = e.target_unchecked_into::<HtmlInputElement>().value();
            if let Some(d) = parse_typed(&typed) {
                on_change.emit(d.to_string());
            }
            text.set(typed);
        })
    };
    let invalid = text.chars().filter(char::is_ascii_digit).count() >= 8 && parse_typed(&text).is_none();
    html! {
        <input type="text" inputmode="numeric" autocomplete="off" maxlength="10" id={props.id.clone()}
            class={classes!("date", props.class.clone(), invalid.then_some("invalid"))} aria-invalid={invalid.to_string()}
            placeholder={i18n.t("date-placeholder")} max={props.max.clone()} value={(*text).clone()}
            oninput={on_input} onchange={on_changed} />
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_is_read_as_the_app_writes_it() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 4);
        for typed in ["04.12.2026", "4.12.2026", "04/12/2026", "04-12-2026", "2026-12-04", " 04.12.2026 "] {
            assert_eq!(parse_typed(typed), d, "{typed}");
        }
        for half in ["04.12", "04.12.26", "31.02.2026", "12/04", "", "кеше"] {
            assert_eq!(parse_typed(half), None, "{half}");
        }
        assert_eq!(shown("2026-12-04"), "04.12.2026");
        assert_eq!(shown(""), "");
    }
}
