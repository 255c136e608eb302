//! «Жіберілген хабарламалар»: every SMS and e-mail the desk sent or is waiting to send. With
//! no gateway configured this is where they are delivered (the demo works offline); a
//! message a gateway refused stays here with the reason until it goes.

use crate::bridge::call;
use crate::i18n::{use_i18n, I18n};
use baqsha_api::{calls, ApiError, SentMessage};
use baqsha_i18n::Arg;
use yew::prelude::*;

/// A delivery failure as people read it, from `kind:gateway:detail`
/// (see baqsha_notify::NotifyError::record).
pub fn error_text(i18n: &I18n, e: &str) -> String {
    let mut parts = e.splitn(3, ':');
    let (kind, gateway, detail) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let id = format!("msg-error-{kind}");
    if !i18n.tr.has(&id) {
        return e.to_string();
    }
    let why = i18n.tr.t_args(&id, &[("gateway", Arg::Str(&i18n.t(&format!("msg-gateway-{}", if gateway.is_empty() { "none" } else { gateway }))))]);
    format!("{why} ({detail})")
}

#[component]
pub fn MessagesPage() -> Html {
    let i18n = use_i18n();
    let list = use_state(|| None::<Result<Vec<SentMessage>, ApiError>>);
    let reload = use_state(|| 0u32);
    {
        let list = list.clone();
        use_effect_with(*reload, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                list.set(Some(call(&calls::SentMessages {}).await));
            });
        });
    }
    let send_now = {
        let reload = reload.clone();
        Callback::from(move |_: MouseEvent| {
            let reload = reload.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let _ = call(&calls::SendMessagesNow {}).await;
                reload.set(*reload + 1);
            });
        })
    };
    let body = match &*list {
        None => html! { <p class="muted">{ i18n.t("loading") }</p> },
        Some(Err(e)) => html! { <p class="error" role="alert">{ i18n.error(e) }</p> },
        Some(Ok(v)) if v.is_empty() => html! { <p class="card empty" id="messages-empty">{ i18n.t("msg-none") }</p> },
        Some(Ok(v)) => html! {
            <table class="card" id="messages-table">
                <thead><tr>
                    <th>{ i18n.t("msg-when") }</th><th>{ i18n.t("msg-to") }</th><th>{ i18n.t("msg-text") }</th><th>{ i18n.t("msg-state") }</th>
                </tr></thead>
                <tbody>{ for v.iter().map(|m| {
                    let state = match (&m.sent_at, &m.via) {
                        (Some(_), Some(via)) => i18n.t(&format!("msg-sent-{via}")),
                        _ => match &m.last_error {
                            Some(e) if m.gave_up => i18n.tr.t_args("msg-gave-up", &[("error", Arg::Str(&error_text(&i18n, e)))]),
                            Some(e) => i18n.tr.t_args("msg-waiting-error", &[("attempts", Arg::Num(m.attempts as i64)), ("error", Arg::Str(&error_text(&i18n, e)))]),
                            None => i18n.t("msg-waiting"),
                        },
                    };
                    let class = if m.sent_at.is_some() { "message sent" } else { "message waiting" };
                    html! {
                        <tr class={class}>
                            <td>{ baqsha_core::command::desk_time(m.queued_at).format("%d.%m.%Y %H:%M").to_string() }</td>
                            <td>{ i18n.t(&format!("msg-channel-{}", m.channel.code())) }<br/><span class="muted">{ &m.recipient }</span></td>
                            <td class="message-text">
                                if let Some(s) = &m.subject { <strong>{ s }</strong><br/> }
                                if m.secret && m.body.is_empty() { <span class="muted">{ i18n.t("msg-code-hidden") }</span> } else { { &m.body } }
                            </td>
                            <td>{ state }</td>
                        </tr>
                    }
                }) }</tbody>
            </table>
        },
    };
    html! {
        <section class="page messages-page">
            <div class="page-head">
                <h1>{ i18n.t("msg-title") }</h1>
                <button id="messages-send-now" onclick={send_now}>{ i18n.t("msg-send-now") }</button>
            </div>
            <p class="muted">{ i18n.t("msg-intro") }</p>
            { body }
        </section>
    }
}
