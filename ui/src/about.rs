//! «Бағдарлама туралы»: the version, where the database and the log are, the seal key's
//! name and the region's server — what a support person asks for — and «Журнал қалтасын
//! ашу».

use crate::bridge::call;
use crate::i18n::use_i18n;
use baqsha_api::{calls, About, ApiError};
use yew::prelude::*;

#[component]
pub fn AboutPage() -> Html {
    let i18n = use_i18n();
    let about = use_state(|| None::<Result<About, ApiError>>);
    let opened = use_state(|| None::<Result<String, ApiError>>);
    {
        let about = about.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                about.set(Some(call(&calls::About {}).await));
            });
        });
    }
    let open_logs = {
        let opened = opened.clone();
        Callback::from(move |_: MouseEvent| {
            let opened = opened.clone();
            wasm_bindgen_futures::spawn_local(async move {
                opened.set(Some(call(&calls::OpenLogFolder {}).await));
            });
        })
    };
    let body = match &*about {
        None => html! { <p class="muted">{ i18n.t("loading") }</p> },
        Some(Err(e)) => html! { <p class="error" role="alert">{ i18n.error(e) }</p> },
        Some(Ok(a)) => {
            let server = a.server.clone().unwrap_or_else(|| i18n.t("about-no-server"));
            html! { <>
                <dl class="facts card" id="about-facts">
                    <dt>{ i18n.t("about-version") }</dt><dd id="about-version">{ &a.version }{ if a.demo { format!(" · {}", i18n.t("demo-badge")) } else { String::new() } }</dd>
                    <dt>{ i18n.t("about-database") }</dt><dd id="about-database"><code>{ &a.database }</code></dd>
                    <dt>{ i18n.t("about-seal-key") }</dt><dd id="about-seal-key"><code>{ &a.seal_key }</code>
                        if a.demo { <span class="muted" id="about-seal-demo">{ " · " }{ i18n.t("about-seal-demo") }</span> }</dd>
                    <dt>{ i18n.t("about-server") }</dt><dd id="about-server">{ server }</dd>
                    <dt>{ i18n.t("about-documents") }</dt><dd id="about-documents"><code>{ &a.documents }</code></dd>
                    <dt>{ i18n.t("about-logs") }</dt><dd id="about-logs"><code>{ &a.logs }</code></dd>
                </dl>
                <p class="muted">{ i18n.t("about-logs-hint") }</p>
                <div class="print-actions">
                    <button class="primary" id="about-open-logs" onclick={open_logs}>{ i18n.t("about-open-logs") }</button>
                </div>
                { match &*opened {
                    Some(Ok(dir)) => html! { <p class="notice success" id="about-opened" role="status">{ i18n.tr.t_args("about-opened", &[("dir", baqsha_i18n::Arg::Str(dir))]) }</p> },
                    Some(Err(e)) => html! { <p class="error" role="alert">{ i18n.error(e) }</p> },
                    None => html! {},
                } }
            </> }
        }
    };
    html! {
        <section class="page about-page">
            <div class="page-head"><h1>{ i18n.t("about-title") }</h1></div>
            { body }
        </section>
    }
}
