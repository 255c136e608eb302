//! The frame: start-up, sign-in, and the signed-in layout with its sections.

use crate::bridge::call;
use crate::i18n::{use_i18n, I18n};
use crate::registry::state::RegistryState;
use baqsha_api::*;
use baqsha_core::KindergartenId;
use baqsha_i18n::{Lang, Translator};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Clone, PartialEq)]
enum Phase {
    Loading,
    Failed(ApiError),
    /// A desk that holds no office yet: the demo, or this office.
    Setup(Rc<StartInfo>, Rc<Vec<SetupRegion>>),
    SignIn(Rc<StartInfo>),
    Ready(Rc<StartInfo>, Rc<Session>),
}

#[component]
pub fn App() -> Html {
    let lang = use_state(|| Lang::Kk);
    let phase = use_state(|| Phase::Loading);

    {
        let phase = phase.clone();
        let lang = lang.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                // Both asked at once: the first screen waits for one round trip, not two.
                let (start, session) = futures::future::join(call(&calls::StartInfo {}), call(&calls::Session {})).await;
                match start {
                    Ok(info) => {
                        crate::clock::set_desk_now(info.now);
                        if let Some(l) = info.ui_language {
                            lang.set(l);
                        }
                        let regions = info.setup.clone();
                        let info = Rc::new(info);
                        match (session, regions) {
                            (_, Some(regions)) => phase.set(Phase::Setup(info, Rc::new(regions))),
                            (Ok(Some(s)), None) => phase.set(Phase::Ready(info, Rc::new(s))),
                            _ => phase.set(Phase::SignIn(info)),
                        }
                    }
                    Err(e) => phase.set(Phase::Failed(e)),
                }
            });
        });
    }

    let set_lang = {
        let lang = lang.clone();
        Callback::from(move |l: Lang| {
            lang.set(l);
            wasm_bindgen_futures::spawn_local(async move {
                // Remembering the choice may fail (damaged database); the switch still works.
                let _ = call(&calls::SetLanguage { lang: l }).await;
            });
        })
    };
    let tr = use_memo(*lang, |l| Translator::new(*l));
    let i18n = I18n { lang: *lang, tr, set_lang };

    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        if let Some(root) = doc.document_element() {
            let _ = root.set_attribute("lang", lang.code());
        }
        doc.set_title(&format!("Baqsha — {}", i18n.t("app-subtitle")));
    }

    let on_signed_in = {
        let phase = phase.clone();
        Callback::from(move |(info, s): (Rc<StartInfo>, Session)| phase.set(Phase::Ready(info, Rc::new(s))))
    };
    let on_sign_out = {
        let phase = phase.clone();
        Callback::from(move |info: Rc<StartInfo>| {
            let phase = phase.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let _ = call(&calls::SignOut {}).await;
                // Asked again: a desk set up since the window opened has its region now.
                let info = call(&calls::StartInfo {}).await.map(Rc::new).unwrap_or(info);
                phase.set(Phase::SignIn(info));
            });
        })
    };

    // A session the shell ended (idle, the computer locked) sends the window to «Кіру» — at
    // the next call, or within half a minute when nobody touches it.
    {
        let phase = phase.clone();
        let ready = matches!(*phase, Phase::Ready(..));
        use_effect_with(ready, move |ready| {
            let back = {
                let phase = phase.clone();
                Callback::from(move |()| {
                    if let Phase::Ready(info, _) = &*phase {
                        phase.set(Phase::SignIn(info.clone()));
                    }
                })
            };
            crate::bridge::on_signed_out(back.clone());
            let poll = ready.then(|| {
                gloo_timers::callback::Interval::new(30_000, move || {
                    let back = back.clone();
                    let phase = phase.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        match call(&calls::Session {}).await {
                            Ok(None) => back.emit(()),
                            // The history check ends after sign-in: a broken chain is shown at once.
                            Ok(Some(s)) if matches!(s.history, Some(HistoryCheck::Broken { .. } | HistoryCheck::Unreadable)) => {
                                if let Phase::Ready(info, old) = &*phase {
                                    if old.history != s.history {
                                        phase.set(Phase::Ready(info.clone(), Rc::new(s)));
                                    }
                                }
                            }
                            _ => {}
                        }
                    });
                })
            });
            move || drop(poll)
        });
    }

    let shown = !matches!(*phase, Phase::Loading);
    use_effect_with(shown, |shown| {
        if *shown {
            crate::clock::mark("baqsha:first-screen");
        }
    });

    let body = match &*phase {
        Phase::Loading => html! { <div class="splash"><div class="spinner"></div><p>{ i18n.t("loading") }</p></div> },
        Phase::Failed(e) => html! {
            <div class="fatal" role="alert">
                <h1>{ i18n.t("startup-failed") }</h1>
                <p class="fatal-message">{ i18n.error(e) }</p>
                <LangSwitch />
            </div>
        },
        Phase::Setup(info, regions) => {
            let on_demo = {
                let phase = phase.clone();
                Callback::from(move |info: StartInfo| phase.set(Phase::SignIn(Rc::new(info))))
            };
            html! { <crate::setup::Setup info={info.clone()} regions={regions.clone()} on_demo={on_demo} on_done={on_signed_in} /> }
        }
        Phase::SignIn(info) => html! { <crate::sign_in::SignIn info={info.clone()} on_signed_in={on_signed_in} /> },
        Phase::Ready(info, session) => {
            let info = info.clone();
            let out = on_sign_out.reform(move |_| info.clone());
            html! { <Main session={session.clone()} on_sign_out={out} /> }
        }
    };

    html! {
        <ContextProvider<I18n> context={i18n}>
            { body }
        </ContextProvider<I18n>>
    }
}

#[component]
pub fn LangSwitch() -> Html {
    let i18n = use_i18n();
    html! {
        <div class="lang-switch" role="group" aria-label={i18n.t("lang-switch")}>
            { for Lang::ALL.iter().map(|l| {
                let l = *l;
                let set = i18n.set_lang.clone();
                let class = if l == i18n.lang { "lang active" } else { "lang" };
                html! { <button class={class} id={format!("lang-{}", l.code())} onclick={move |_| set.emit(l)}>{ l.label() }</button> }
            }) }
        </div>
    }
}

#[derive(Clone, PartialEq)]
pub enum Screen {
    Registry,
    Passport(KindergartenId),
    Apply,
    QueueCheck,
    QueueList,
    Benefits,
    Print,
    Check,
    Messages,
    Bulletin,
    Groups,
    Admit,
    Issued,
    Statistics,
    StatisticsAllocated,
    Settings,
    Accounts,
    SyncProblems,
    About,
}

#[derive(Properties, PartialEq)]
pub struct MainProps {
    pub session: Rc<Session>,
    pub on_sign_out: Callback<()>,
}

#[component]
fn Main(props: &MainProps) -> Html {
    let i18n = use_i18n();
    let screen = use_state(|| Screen::Registry);
    // Lives here, not in the page, so going back from a passport keeps the filters.
    let registry = use_reducer(RegistryState::default);
    let s = &props.session;
    let region = &s.region;
    let open = {
        let screen = screen.clone();
        Callback::from(move |sc: Screen| screen.set(sc))
    };
    let page = match &*screen {
        Screen::Registry => html! { <crate::registry::Registry state={registry.clone()} districts={region.districts.clone()} open={open.clone()} /> },
        Screen::Passport(id) => html! { <crate::registry::passport::PassportPage id={*id} open={open.clone()} state={registry.clone()} /> },
        Screen::Apply => html! { <crate::wizard::WizardPage districts={region.districts.clone()} max_preferences={region.max_preferences} /> },
        Screen::Benefits => html! { <crate::benefits::BenefitsPage /> },
        Screen::QueueCheck => html! { <crate::queue_check::QueueCheckPage max_preferences={region.max_preferences} role={s.operator.role} /> },
        Screen::QueueList => html! { <crate::queue_list::QueueListPage districts={region.districts.clone()} /> },
        Screen::Print => html! { <crate::print::PrintPage districts={region.districts.clone()} /> },
        Screen::Check => html! { <crate::check::CheckPage /> },
        Screen::Messages => html! { <crate::messages::MessagesPage /> },
        Screen::Bulletin => html! { <crate::bulletin::BulletinPage districts={region.districts.clone()} role={s.operator.role} /> },
        Screen::Groups => html! { <crate::groups::GroupsPage /> },
        Screen::Admit => html! { <crate::admit::AdmitPage /> },
        Screen::Issued => html! { <crate::issued::IssuedPage /> },
        Screen::Statistics => html! { <crate::statistics::PlacesStatisticsPage /> },
        Screen::StatisticsAllocated => html! { <crate::statistics::AllocatedStatisticsPage /> },
        Screen::Settings => html! { <crate::settings::SettingsPage admin={s.operator.role.may_change_settings()} /> },
        Screen::Accounts => html! { <crate::accounts::AccountsPage me={s.operator.id} /> },
        Screen::SyncProblems => html! { <crate::sync::SyncProblemsPage /> },
        Screen::About => html! { <crate::about::AboutPage /> },
    };
    let sign_out = props.on_sign_out.reform(|_: MouseEvent| ());
    let nav = |id: &str, target: Screen, label: &str| {
        let on = match (&*screen, &target) {
            (Screen::Passport(_), Screen::Registry) => true,
            (a, b) => a == b,
        };
        let open = open.clone();
        html! {
            <button id={id.to_string()} class={if on { "nav-item active" } else { "nav-item" }} onclick={move |_| open.emit(target.clone())}>
                { i18n.t(label) }
            </button>
        }
    };
    html! {
        <div class="layout">
            <header class="topbar">
                <div class="brand">
                    <img src="icon.png" alt="" />
                    <div>
                        <div class="brand-name">{ i18n.t("app-name") }</div>
                        <div class="brand-sub">{ i18n.name(&region.name) }</div>
                    </div>
                </div>
                if region.demo {
                    <div class="demo-badge" id="demo-badge" title={i18n.t("demo-badge")}>{ i18n.t("demo-badge-short") }</div>
                }
                <div class="spacer"></div>
                <crate::sync::SyncBadge on_problems={open.reform(|()| Screen::SyncProblems)} />
                <LangSwitch />
                <div class="who">
                    <div class="who-name">{ &s.operator.full_name }</div>
                    <div class="who-role">{ i18n.t(&format!("role-{}", s.operator.role.code())) }</div>
                </div>
                <button class="ghost" id="sign-out" onclick={sign_out}>{ i18n.t("sign-out") }</button>
            </header>
            <nav class="sidebar" aria-label={i18n.t("nav-section-title")}>
                <div class="nav-title">{ i18n.t("nav-section-title") }</div>
                { nav("nav-registry", Screen::Registry, "nav-registry") }
                if s.operator.role != baqsha_core::roles::Role::KindergartenStaff {
                    { nav("nav-apply", Screen::Apply, "nav-apply") }
                }
                { nav("nav-queue-check", Screen::QueueCheck, "qc-title") }
                { nav("nav-queue-list", Screen::QueueList, "qs-title") }
                { nav("nav-bulletin", Screen::Bulletin, "nav-bulletin") }
                if s.operator.role == baqsha_core::roles::Role::KindergartenStaff {
                    { nav("nav-groups", Screen::Groups, "nav-groups") }
                    { nav("nav-admit", Screen::Admit, "nav-admit") }
                }
                { nav("nav-referrals", Screen::Issued, "nav-referrals") }
                { nav("nav-stats", Screen::Statistics, "nav-stats-places") }
                { nav("nav-stats-alloc", Screen::StatisticsAllocated, "nav-stats-alloc") }
                if s.operator.role.may_change_settings() {
                    { nav("nav-settings", Screen::Settings, "nav-settings") }
                    { nav("nav-accounts", Screen::Accounts, "ac-title") }
                }
                if s.operator.role.may_verify_benefits() {
                    { nav("nav-benefits", Screen::Benefits, "bv-title") }
                }
                { nav("nav-print", Screen::Print, "nav-print") }
                { nav("nav-check", Screen::Check, "nav-check") }
                if s.operator.role != baqsha_core::roles::Role::KindergartenStaff {
                    { nav("nav-messages", Screen::Messages, "msg-title") }
                }
                { nav("nav-about", Screen::About, "nav-about") }
            </nav>
            <main class="content">
                if let Some(check @ (HistoryCheck::Broken { .. } | HistoryCheck::Unreadable)) = &s.history {
                    <div class="history-alarm" role="alert" id="history-alarm">{ match check {
                        HistoryCheck::Broken { seq } => i18n.n("history-broken", "seq", *seq),
                        _ => i18n.t("history-unreadable"),
                    } }</div>
                }
                { page }
            </main>
        </div>
    }
}
