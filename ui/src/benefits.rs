//! «Жеңілдіктерді тексеру»: claims waiting for a decision, oldest first, with their JPEG
//! proofs; confirm, or reject with a reason (the application stays in the general queue at
//! its original time). Each decision is a command in the history, with who made it.

use crate::bridge::call;
use crate::i18n::use_i18n;
use baqsha_api::*;
use baqsha_i18n::Arg;
use wasm_bindgen::JsCast;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// Cases shown at once; the rest come as these are decided.
const SHOWN: usize = 20;

#[derive(Properties, PartialEq)]
struct ProofProps {
    proof: ProofInfo,
}

#[component]
fn ProofImage(props: &ProofProps) -> Html {
    let src = use_state(|| None::<String>);
    {
        let src = src.clone();
        let id = props.proof.id.clone();
        use_effect_with(id, move |id| {
            let id = id.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(b64) = call(&calls::ProofImage { id: id.clone() }).await {
                    src.set(Some(format!("data:image/jpeg;base64,{b64}")));
                }
            });
        });
    }
    html! {
        <figure class="proof">
            if let Some(s) = &*src {
                <a href={s.clone()} target="_blank"><img src={s.clone()} alt={props.proof.name.clone()} /></a>
            } else {
                <div class="proof-missing">{ "…" }</div>
            }
            <figcaption>{ &props.proof.name }</figcaption>
        </figure>
    }
}

#[derive(Properties, PartialEq)]
struct CaseProps {
    case: BenefitCase,
    on_decided: Callback<(String, bool)>,
}

#[component]
fn Case(props: &CaseProps) -> Html {
    let i18n = use_i18n();
    let reason = use_state(String::new);
    let error = use_state(|| None::<ApiError>);
    let a = &props.case.application;
    let decide = |confirm: bool| {
        let (reason, error, on_decided) = (reason.clone(), error.clone(), props.on_decided.clone());
        let (id, number) = (a.id, a.number.clone());
        Callback::from(move |_: MouseEvent| {
            let (reason, error, on_decided, number) = (reason.clone(), error.clone(), on_decided.clone(), number.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match call(&calls::DecideBenefit { id, confirm, reason: (*reason).clone() }).await {
                    Ok(()) => on_decided.emit((number, confirm)),
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let on_reason = {
        let reason = reason.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target().and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok()) {
                reason.set(t.value());
            }
        })
    };
    let kind = a.benefit.as_ref().map(|b| i18n.t(&format!("benefit-{}", b.kind.code()))).unwrap_or_default();
    html! {
        <article class="card benefit-case" data-number={a.number.clone()}>
            <div class="page-head">
                <h2>{ i18n.tr.t_args("doc-application-number", &[("number", Arg::Str(&a.number))]) }</h2>
                <span class="chip">{ kind }</span>
            </div>
            <dl class="facts">
                <dt>{ i18n.t("doc-full-name") }</dt><dd>{ a.child.full_name() }{ " · " }{ a.child.iin.as_str() }</dd>
                <dt>{ i18n.t("wz-who-parent") }</dt><dd>{ a.parent.full_name() }</dd>
                <dt>{ i18n.t("doc-registered-at") }</dt><dd>{ baqsha_core::command::desk_time(a.registered_at).format("%d.%m.%Y %H:%M").to_string() }</dd>
                <dt>{ i18n.t("doc-category") }</dt><dd>{ baqsha_core::Category::of(a.child.birth_date()).0 }</dd>
            </dl>
            <div class="proofs">
                if props.case.proofs.is_empty() {
                    <p class="muted">{ i18n.t("bv-no-proofs") }</p>
                }
                { for props.case.proofs.iter().map(|p| if p.size > 0 {
                    html! { <ProofImage proof={p.clone()} /> }
                } else {
                    // Imported claims name documents this office never received.
                    html! { <span class="chip" title={i18n.t("bv-not-here")}>{ &p.name }</span> }
                }) }
            </div>
            if let Some(e) = &*error {
                <p class="error" role="alert">{ i18n.error(e) }</p>
            }
            <label><span>{ i18n.t("bv-reason") }</span><textarea class="bv-reason" value={(*reason).clone()} oninput={on_reason} rows="2" /></label>
            <div class="print-actions">
                <button class="primary bv-confirm" onclick={decide(true)}>{ i18n.t("bv-confirm") }</button>
                <button class="danger bv-reject" onclick={decide(false)}>{ i18n.t("bv-reject") }</button>
            </div>
        </article>
    }
}

#[component]
pub fn BenefitsPage() -> Html {
    let i18n = use_i18n();
    let list = use_state(|| None::<Result<Vec<BenefitCase>, ApiError>>);
    let reload = use_state(|| 0u32);
    let notice = use_state(|| None::<(String, bool)>);
    // A number or a child's IIN: the one application the parent at the desk is asking about.
    let find = use_state(String::new);
    // Every keystroke asks again and the answers can come back out of order (the whole list
    // is slower than one number): only the answer to the newest question is shown.
    let asked = use_mut_ref(|| 0u64);
    {
        let list = list.clone();
        let f = (*find).trim().to_string();
        use_effect_with((*reload, f), move |(_, f)| {
            let find = (!f.is_empty()).then(|| f.clone());
            let ticket = {
                let mut n = asked.borrow_mut();
                *n += 1;
                *n
            };
            wasm_bindgen_futures::spawn_local(async move {
                let answer = call(&calls::PendingBenefits { find }).await;
                if *asked.borrow() == ticket {
                    list.set(Some(answer));
                }
            });
        });
    }
    let on_find = {
        let find = find.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                find.set(i.value());
            }
        })
    };
    let on_decided = {
        let (reload, notice) = (reload.clone(), notice.clone());
        Callback::from(move |d: (String, bool)| {
            notice.set(Some(d));
            reload.set(*reload + 1);
        })
    };
    let body = match &*list {
        None => html! { <p class="muted">{ i18n.t("loading") }</p> },
        Some(Err(e)) => html! { <p class="error" role="alert">{ i18n.error(e) }</p> },
        Some(Ok(v)) if v.is_empty() => html! { <p class="card empty" id="bv-none">{ i18n.t("bv-none") }</p> },
        Some(Ok(v)) => html! {
            <div class="benefit-cases">
                <p class="muted" id="bv-count">{ i18n.tr.t_args("bv-count", &[("shown", Arg::Num(v.len().min(SHOWN) as i64)), ("total", Arg::Num(v.len() as i64))]) }</p>
                { for v.iter().take(SHOWN).map(|c| html! { <Case key={c.application.number.clone()} case={c.clone()} on_decided={on_decided.clone()} /> }) }
            </div>
        },
    };
    html! {
        <section class="page benefits-page">
            <div class="page-head"><h1>{ i18n.t("bv-title") }</h1></div>
            <p class="muted">{ i18n.t("bv-intro") }</p>
            <label class="bv-find"><span>{ i18n.t("bv-find") }</span><input id="bv-find" value={(*find).clone()} oninput={on_find} autocomplete="off" /></label>
            if let Some((number, confirmed)) = &*notice {
                <p class="notice" role="status" id="bv-notice">{ i18n.tr.t_args(if *confirmed { "bv-confirmed" } else { "bv-rejected" }, &[("number", Arg::Str(number))]) }</p>
            }
            { body }
        </section>
    }
}
