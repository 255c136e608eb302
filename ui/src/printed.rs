//! What a print action did, as every page says it: where the file went and whether the
//! viewer opened, or why it could not be made.

use crate::i18n::use_i18n;
use baqsha_api::{ApiError, Printed};
use baqsha_i18n::Arg;
use yew::prelude::*;

/// The arguments of `print_application`.
#[derive(serde::Serialize)]
pub struct PrintApplicationArgs<'a> {
    pub number: &'a str,
    pub lang: &'a str,
    #[serde(rename = "saveAs")]
    pub save_as: bool,
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub result: Result<Printed, ApiError>,
}

#[component]
pub fn PrintOutcome(props: &Props) -> Html {
    let i18n = use_i18n();
    match &props.result {
        Ok(p) => html! {
            <p class="notice" role="status" id="print-outcome">
                { i18n.tr.t_args("print-saved", &[("path", Arg::Str(&p.path)), ("rows", Arg::Num(p.rows as i64))]) }
                { " " }
                { if p.opened { i18n.t("print-opened") } else { i18n.t("print-not-opened") } }
            </p>
        },
        Err(e) => html! { <p class="error" role="alert" id="print-outcome">{ i18n.error(e) }</p> },
    }
}

#[derive(serde::Serialize)]
struct PrintArgs {
    request: baqsha_api::PrintRequest,
}

/// A «Басып шығару» for a printed list: the outcome goes into `printed`.
pub fn print_list(printed: &UseStateHandle<Option<Result<Printed, ApiError>>>, list: impl Fn() -> baqsha_api::PrintList + 'static, lang: &str) -> Callback<MouseEvent> {
    let (printed, lang) = (printed.clone(), lang.to_string());
    Callback::from(move |_: MouseEvent| {
        let printed = printed.clone();
        let request = baqsha_api::PrintRequest { list: list(), lang: lang.clone(), save_as: false };
        wasm_bindgen_futures::spawn_local(async move {
            printed.set(Some(crate::bridge::call::<_, Printed>("print_list", &PrintArgs { request }).await));
        });
    })
}
