//! What a print action did, as every page says it: where the file went and whether the
//! viewer opened, or why it could not be made.

use crate::i18n::use_i18n;
use baqsha_api::calls;
use baqsha_api::{ApiError, Printed};
use baqsha_i18n::{Arg, Lang};
use yew::prelude::*;

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

/// A «Басып шығару» for a printed list: the outcome goes into `printed`.
pub fn print_list(printed: &UseStateHandle<Option<Result<Printed, ApiError>>>, list: impl Fn() -> baqsha_api::PrintList + 'static, lang: Lang) -> Callback<MouseEvent> {
    let printed = printed.clone();
    Callback::from(move |_: MouseEvent| {
        let printed = printed.clone();
        let request = calls::PrintList { list: list(), lang, save_as: false };
        wasm_bindgen_futures::spawn_local(async move {
            printed.set(Some(crate::bridge::call(&request).await));
        });
    })
}
