//! The region in the window: the top bar's sync line (online, the last sync, changes
//! waiting, problems), «Синхрондау мәселелері» (every change the server refused, with what
//! the desk undid, until someone acknowledges it), and joining a region from the settings.

use crate::bridge::call;
use crate::i18n::{use_i18n, I18n};
use baqsha_api::{calls, ApiError, SyncProblem, SyncStatus};
use baqsha_i18n::Arg;
use baqsha_sync::Rejection;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// How often the top bar asks: a change waits a second or two at most.
const POLL_MS: u32 = 3_000;

/// The sync line's words, decided apart from the markup so they are tested natively.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub class: &'static str,
    pub state: String,
    pub details: Vec<String>,
    pub warning: Option<String>,
    /// The warning's whole explanation, in its tooltip.
    pub warning_detail: Option<String>,
}

/// A first sync's progress: rows written, and of how many when the server said.
fn first_sync(i18n: &I18n, rows: u64, total: Option<u64>) -> String {
    match total.filter(|t| *t > 0) {
        Some(total) => {
            let percent = (rows.saturating_mul(100) / total).min(99);
            i18n.tr.t_args("sync-first-of", &[("rows", Arg::Num(rows as i64)), ("total", Arg::Num(total as i64)), ("percent", Arg::Num(percent as i64))])
        }
        None => i18n.tr.t_args("sync-first", &[("rows", Arg::Num(rows as i64))]),
    }
}

pub fn line(i18n: &I18n, s: &SyncStatus) -> Option<Line> {
    if !s.joined {
        return None;
    }
    let (class, state) = match (s.first_sync_rows, s.online) {
        (Some(rows), _) => ("sync first", first_sync(i18n, rows, s.first_sync_total)),
        (None, Some(false)) => ("sync offline", i18n.t("sync-offline")),
        (None, Some(true)) => ("sync online", i18n.t("sync-online")),
        (None, None) => ("sync unknown", i18n.t("sync-connecting")),
    };
    let mut details = vec![match s.last_sync_at {
        Some(at) => i18n.tr.t_args("sync-last", &[("time", Arg::Str(&baqsha_core::command::desk_time(at).format("%d.%m %H:%M").to_string()))]),
        None => i18n.t("sync-never"),
    }];
    if s.waiting > 0 {
        details.push(i18n.n("sync-waiting", "n", s.waiting as i64));
    }
    let (warning, warning_detail) = if s.needs_sign_in && s.waiting > 0 {
        (Some(i18n.t("sync-sign-in")), None)
    } else if s.stale {
        (Some(i18n.t("sync-stale")), None)
    } else if let Some(m) = s.clock_off_minutes {
        let (key, hours) = if m > 0 { ("sync-clock-behind", m / 60) } else { ("sync-clock-ahead", -m / 60) };
        let detail = i18n.tr.t_args(key, &[("hours", Arg::Num(hours)), ("minutes", Arg::Num(m.abs() % 60))]);
        let short = i18n.tr.t_args(&format!("{key}-short"), &[("span", Arg::Str(&span(i18n, m.abs())))]);
        (Some(short), Some(detail))
    } else {
        (None, None)
    };
    Some(Line { class, state, details, warning, warning_detail })
}

/// How far a clock is off, short: days past two days, hours and minutes below.
fn span(i18n: &I18n, minutes: i64) -> String {
    if minutes >= 48 * 60 {
        i18n.tr.t_args("sync-span-days", &[("days", Arg::Num(minutes / (24 * 60)))])
    } else {
        i18n.tr.t_args("sync-span-hours", &[("hours", Arg::Num(minutes / 60)), ("minutes", Arg::Num(minutes % 60))])
    }
}

#[derive(Properties, PartialEq)]
pub struct BadgeProps {
    /// Opens «Синхрондау мәселелері».
    pub on_problems: Callback<()>,
}

/// The top bar's sync line; nothing at a desk of no region.
#[component]
pub fn SyncBadge(props: &BadgeProps) -> Html {
    let i18n = use_i18n();
    let status = use_state(|| None::<SyncStatus>);
    {
        let status = status.clone();
        use_effect_with((), move |_| {
            let ask = move || {
                let status = status.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(s) = call(&calls::SyncStatus {}).await {
                        // A sync that corrected the computer's clock moves the window's too.
                        if let Some(now) = s.now {
                            crate::clock::set_desk_now(now);
                        }
                        status.set(Some(s));
                    }
                });
            };
            ask();
            let poll = gloo_timers::callback::Interval::new(POLL_MS, ask);
            move || drop(poll)
        });
    }
    let Some(s) = &*status else { return html! {} };
    let Some(l) = line(&i18n, s) else { return html! {} };
    let open = props.on_problems.reform(|_: MouseEvent| ());
    html! {
        <div class={classes!("sync-badge", l.class)} id="sync-badge" role="status" title={s.last_error.clone().unwrap_or_default()}>
            <span class="sync-dot"></span>
            <span class="sync-state" id="sync-state">{ l.state }</span>
            { for l.details.iter().map(|d| html! { <span class="sync-detail">{ d }</span> }) }
            if let Some(w) = l.warning { <span class="sync-warning" id="sync-warning" title={l.warning_detail.clone().unwrap_or_default()}>{ w }</span> }
            if s.problems > 0 {
                <button class="sync-problems" id="sync-problems" onclick={open}>{ i18n.n("sync-problems-count", "n", s.problems as i64) }</button>
            }
        </div>
    }
}

/// Why the server refused, in the operator's words.
pub fn reason(i18n: &I18n, r: &Rejection) -> String {
    match r {
        Rejection::Rule { rule } => i18n.tr.rule_error(rule),
        Rejection::Denied { .. } => i18n.t("error-denied"),
        Rejection::NotFound { what } => i18n.tr.t_args("sync-reason-not-found", &[("what", Arg::Str(&entity(i18n, what)))]),
        Rejection::Unsupported { .. } => i18n.t("sync-reason-unsupported"),
        Rejection::Quarantined { .. } => i18n.t("sync-reason-quarantined"),
        Rejection::Unreadable { .. } => i18n.t("sync-reason-unreadable"),
        Rejection::Unknown => i18n.t("sync-reason-unknown"),
    }
}

fn entity(i18n: &I18n, e: &str) -> String {
    let id = format!("sync-entity-{e}");
    if i18n.tr.has(&id) {
        i18n.t(&id)
    } else {
        e.to_string()
    }
}

/// What a change was, by its command's code.
pub fn kind(i18n: &I18n, code: &str) -> String {
    let id = format!("sync-kind-{code}");
    if i18n.tr.has(&id) {
        i18n.t(&id)
    } else {
        i18n.tr.t_args("sync-kind-other", &[("code", Arg::Str(code))])
    }
}

/// What the desk undid, and what the operator should do about it.
pub fn undone(i18n: &I18n, p: &SyncProblem) -> Vec<String> {
    let Some(list) = &p.undone else { return vec![i18n.t("sync-undone-pending")] };
    let mut out: Vec<String> =
        list.iter().map(|u| i18n.tr.t_args(if u.removed { "sync-undone-removed" } else { "sync-undone-restored" }, &[("what", Arg::Str(&entity(i18n, &u.entity)))])).collect();
    if list.iter().any(|u| u.entity == "application" || u.entity == "referral") {
        out.push(i18n.t("sync-advice-parent"));
    }
    out
}

/// «Синхрондау мәселелері».
#[component]
pub fn SyncProblemsPage() -> Html {
    let i18n = use_i18n();
    let list = use_state(|| None::<Result<Vec<SyncProblem>, ApiError>>);
    let reload = use_state(|| 0u32);
    {
        let list = list.clone();
        use_effect_with(*reload, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                list.set(Some(call(&calls::SyncProblems {}).await));
            });
        });
    }
    let acknowledge = |seq: u64| {
        let (reload, list) = (reload.clone(), list.clone());
        Callback::from(move |_: MouseEvent| {
            let (reload, list) = (reload.clone(), list.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match call(&calls::AcknowledgeSyncProblem { seq }).await {
                    Ok(()) => reload.set(*reload + 1),
                    Err(e) => list.set(Some(Err(e))),
                }
            });
        })
    };
    let body = match &*list {
        None => html! { <p class="muted">{ i18n.t("loading") }</p> },
        Some(Err(e)) => html! { <p class="error" role="alert">{ i18n.error(e) }</p> },
        Some(Ok(v)) if v.is_empty() => html! { <p class="card empty" id="sync-problems-none">{ i18n.t("sync-problems-none") }</p> },
        Some(Ok(v)) => html! {
            <table class="card" id="sync-problems-table">
                <thead><tr>
                    <th>{ i18n.t("sync-what") }</th><th>{ i18n.t("sync-who") }</th><th>{ i18n.t("sync-when") }</th>
                    <th>{ i18n.t("sync-why") }</th><th>{ i18n.t("sync-undone") }</th><th></th>
                </tr></thead>
                <tbody>{ for v.iter().map(|p| html! {
                    <tr class="sync-problem">
                        <td>{ kind(&i18n, &p.kind) }</td>
                        <td>{ &p.author }</td>
                        <td>{ baqsha_core::command::desk_time(p.made_at).format("%d.%m.%Y %H:%M").to_string() }</td>
                        <td class="sync-reason">{ reason(&i18n, &p.reason) }</td>
                        <td>{ for undone(&i18n, p).into_iter().map(|u| html! { <div>{ u }</div> }) }</td>
                        <td><button class="primary" id={format!("sync-ack-{}", p.seq)} onclick={acknowledge(p.seq)}>{ i18n.t("sync-acknowledge") }</button></td>
                    </tr>
                }) }</tbody>
            </table>
        },
    };
    html! {
        <section class="page sync-problems-page">
            <div class="page-head"><h1>{ i18n.t("sync-problems-title") }</h1></div>
            <p class="muted">{ i18n.t("sync-problems-intro") }</p>
            { body }
        </section>
    }
}

/// What the join form holds, as typed.
#[derive(Clone, PartialEq, Default)]
struct Join {
    address: String,
    login: String,
    password: String,
}

/// «Аймақ серверіне қосылу», in the settings of an administrator or an operator.
#[component]
pub fn JoinRegion() -> Html {
    let i18n = use_i18n();
    let status = use_state(|| None::<SyncStatus>);
    let form = use_state(Join::default);
    let outcome = use_state(|| None::<Result<(), ApiError>>);
    let busy = use_state(|| false);
    {
        let status = status.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(s) = call(&calls::SyncStatus {}).await {
                    status.set(Some(s));
                }
            });
        });
    }
    if let Some(SyncStatus { joined: true, server: Some(server), .. }) = &*status {
        return html! {
            <div class="card settings-form" id="join-region">
                <h2>{ i18n.t("join-title") }</h2>
                if matches!(&*outcome, Some(Ok(()))) { <p class="notice" role="status" id="join-outcome">{ i18n.t("join-done") }</p> }
                <p id="join-joined">{ i18n.tr.t_args("join-joined", &[("server", Arg::Str(server))]) }</p>
            </div>
        };
    }
    let typed = |apply: fn(&mut Join, String)| {
        let form = form.clone();
        Callback::from(move |e: Event| {
            let mut f = (*form).clone();
            apply(&mut f, e.target_unchecked_into::<HtmlInputElement>().value());
            form.set(f);
        })
    };
    let submit = {
        let (form, outcome, status, busy) = (form.clone(), outcome.clone(), status.clone(), busy.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let f = (*form).clone();
            let (form, outcome, status, busy) = (form.clone(), outcome.clone(), status.clone(), busy.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match call(&calls::JoinRegion { address: f.address.clone(), login: f.login.clone(), password: f.password.clone() }).await {
                    Ok(s) => {
                        outcome.set(Some(Ok(())));
                        status.set(Some(s));
                    }
                    Err(e) => {
                        // The address and login stay as typed; only the password is asked again.
                        form.set(Join { password: String::new(), ..f });
                        outcome.set(Some(Err(e)));
                    }
                }
                busy.set(false);
            });
        })
    };
    let f = &*form;
    html! {
        <form class="card settings-form" id="join-region" onsubmit={submit}>
            <h2>{ i18n.t("join-title") }</h2>
            <p class="muted">{ i18n.t("join-intro") }</p>
            if let Some(Err(e)) = &*outcome { <p class="error" role="alert" id="join-outcome">{ i18n.error(e) }</p> }
            <fieldset disabled={*busy}>
                <label><span>{ i18n.t("join-address") }</span>
                    <input id="join-address" placeholder="https://baqsha.example.kz" value={f.address.clone()} onchange={typed(|f, v| f.address = v)} />
                </label>
                <div class="row">
                    <label><span>{ i18n.t("sign-in-login") }</span><input id="join-login" autocomplete="username" value={f.login.clone()} onchange={typed(|f, v| f.login = v)} /></label>
                    <label><span>{ i18n.t("sign-in-password") }</span><input id="join-password" type="password" autocomplete="current-password" value={f.password.clone()} onchange={typed(|f, v| f.password = v)} /></label>
                </div>
                <div class="print-actions">
                    <button class="primary" id="join-submit" type="submit">{ if *busy { i18n.t("join-busy") } else { i18n.t("join-submit") } }</button>
                </div>
            </fieldset>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use baqsha_i18n::{Lang, Translator};
    use std::rc::Rc;

    fn kk() -> I18n {
        I18n { lang: Lang::Kk, tr: Rc::new(Translator::new(Lang::Kk)), set_lang: Callback::noop() }
    }

    #[test]
    fn a_desk_alone_shows_no_line_and_a_joined_one_says_where_it_stands() {
        let i18n = kk();
        assert_eq!(line(&i18n, &SyncStatus::default()), None);
        let at = chrono::DateTime::parse_from_rfc3339("2026-12-02T04:30:00Z").unwrap().with_timezone(&chrono::Utc);
        let s = SyncStatus { joined: true, online: Some(true), last_sync_at: Some(at), waiting: 3, ..SyncStatus::default() };
        let l = line(&i18n, &s).unwrap();
        assert_eq!((l.class, l.state.as_str()), ("sync online", "Желіде"));
        assert_eq!(l.details, vec!["Соңғы синхрондау: 02.12 09:30".to_string(), "Жіберуді күтуде: 3".to_string()], "the desk's time, UTC+5");
        let away = line(&i18n, &SyncStatus { online: Some(false), stale: true, ..s.clone() }).unwrap();
        assert_eq!(away.class, "sync offline");
        assert!(away.warning.is_some());
        let paused = line(&i18n, &SyncStatus { needs_sign_in: true, ..s.clone() }).unwrap();
        assert!(paused.warning.unwrap().contains("кіріңіз"));
        let behind = line(&i18n, &SyncStatus { clock_off_minutes: Some(365 * 24 * 60 + 7), ..s.clone() }).unwrap();
        assert_eq!(behind.warning.unwrap(), "Компьютер сағаты 365 күн кейін", "short in the top bar");
        assert_eq!(behind.warning_detail.unwrap(), "Компьютер сағаты аймақ уақытынан 8760 сағ 7 мин кейін тұр: аймақ уақыты қолданылады. Сағатты түзетіңіз.");
        let ahead = line(&i18n, &SyncStatus { clock_off_minutes: Some(-(6 * 60 + 58)), ..s.clone() }).unwrap();
        assert_eq!(ahead.warning.unwrap(), "Компьютер сағаты 6 сағ 58 мин алда");
        let first = line(&i18n, &SyncStatus { first_sync_rows: Some(1200), ..s.clone() }).unwrap();
        assert!(first.state.contains("1200") || first.state.contains("1 200"), "{}", first.state);
        let of = line(&i18n, &SyncStatus { first_sync_rows: Some(10_300), first_sync_total: Some(41_187), ..s }).unwrap();
        assert_eq!(of.state, "Алғашқы синхрондау: 10\u{a0}300 / 41\u{a0}187 жол (25%)", "grouped as the desk writes numbers");
    }

    #[test]
    fn a_refused_change_says_why_what_was_undone_and_what_to_do_in_kazakh() {
        let i18n = kk();
        let p = SyncProblem {
            seq: 7,
            kind: "register_application".into(),
            author: "Оператор 1".into(),
            made_at: chrono::DateTime::UNIX_EPOCH,
            received_at: chrono::DateTime::UNIX_EPOCH,
            reason: Rejection::Rule { rule: baqsha_core::command::RuleError::Duplicate { number: "VKO-01-000001".into() } },
            undone: Some(vec![baqsha_api::UndoneChange { entity: "application".into(), removed: true }]),
        };
        assert_eq!(kind(&i18n, &p.kind), "Кезекке қою");
        assert!(reason(&i18n, &p.reason).contains("VKO-01-000001"), "{}", reason(&i18n, &p.reason));
        let u = undone(&i18n, &p);
        assert_eq!(u.len(), 2, "{u:?}");
        assert!(u[0].contains("Өтініш"), "{u:?}");
        assert!(u[1].contains("ата-ана") || u[1].contains("Ата-ана"), "{u:?}");
        assert_eq!(undone(&i18n, &SyncProblem { undone: None, ..p.clone() }), vec![i18n.t("sync-undone-pending")]);
        assert!(kind(&i18n, "save_operator").contains("save_operator"));
    }
}
