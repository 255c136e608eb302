//! «Балабақшалар тізімі»: search as you type, filters, list or map.

pub mod map;
pub mod passport;
pub mod state;

use crate::app::Screen;
use crate::bridge::call;
use crate::i18n::{use_i18n, I18n};
use crate::registry::state::{Action, Load, RegistryState, View};
use baqsha_api::*;
use baqsha_core::{District, KindergartenKind, Language};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<RegistryState>,
    pub districts: Vec<District>,
    pub open: Callback<Screen>,
}

#[component]
pub fn Registry(props: &Props) -> Html {
    let i18n = use_i18n();
    let state = props.state.clone();

    {
        let state = state.clone();
        let (seq, view) = (state.seq, state.view);
        // A Russian or English screen shows Russian names, so it sorts by them.
        let query = RegistryQuery { russian_names: i18n.lang != baqsha_i18n::Lang::Kk, ..state.query.clone() };
        use_effect_with((seq, i18n.lang), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let (list, map) = (calls::SearchKindergartens { query: query.clone() }, calls::MapPoints { query });
                let action = match view {
                    View::List => match call(&list).await {
                        Ok(page) => Action::PageLoaded { seq, page },
                        Err(error) => Action::Failed { seq, error },
                    },
                    View::Map => match call(&map).await {
                        Ok(points) => Action::MapLoaded { seq, points },
                        Err(error) => Action::Failed { seq, error },
                    },
                };
                state.dispatch(action);
            });
        });
    }

    let ready = matches!(state.page, Load::Ready(_));
    use_effect_with((state.shown, ready), |(_, ready)| {
        if *ready {
            crate::clock::mark("baqsha:list");
        }
    });

    let d = |f: fn(String) -> Action| {
        let state = state.clone();
        Callback::from(move |e: Event| state.dispatch(f(e.target_unchecked_into::<HtmlSelectElement>().value())))
    };
    let on_text = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.dispatch(Action::Text(e.target_unchecked_into::<HtmlInputElement>().value())))
    };
    let q = &state.query;
    let district_name = |code: &str| props.districts.iter().find(|x| x.code == code).map(|x| i18n.pick3(&x.name_kk, &x.name_ru, &x.name_en).to_string()).unwrap_or_default();

    let reset = {
        let s = state.clone();
        move |_| s.dispatch(Action::Reset)
    };
    let filters = html! {
        <div class="filters card">
            <label class="search">
                <span>{ i18n.t("search-label") }</span>
                <input id="search" type="search" placeholder={i18n.t("search-placeholder")} value={q.text.clone()} oninput={on_text} autofocus=true />
            </label>
            <label><span>{ i18n.t("filter-language") }</span>
                <select id="filter-language" onchange={d(|v| Action::Language(Language::from_code(&v)))}>
                    <option value="" selected={q.language.is_none()}>{ i18n.t("filter-all") }</option>
                    { for Language::ALL.iter().map(|l| html! {
                        <option value={l.code()} selected={q.language == Some(*l)}>{ i18n.language(*l) }</option>
                    }) }
                </select>
            </label>
            <label><span>{ i18n.t("filter-kind") }</span>
                <select id="filter-kind" onchange={d(|v| Action::Kind(KindergartenKind::from_code(&v)))}>
                    <option value="" selected={q.kind.is_none()}>{ i18n.t("filter-all") }</option>
                    { for KindergartenKind::ALL.iter().map(|k| html! {
                        <option value={k.code()} selected={q.kind == Some(*k)}>{ i18n.kind(*k) }</option>
                    }) }
                </select>
            </label>
            <label><span>{ i18n.t("filter-district") }</span>
                <select id="filter-district" onchange={d(|v| Action::District((!v.is_empty()).then_some(v)))}>
                    <option value="" selected={q.district.is_none()}>{ i18n.t("filter-all") }</option>
                    { for props.districts.iter().map(|x| html! {
                        <option value={x.code.clone()} selected={q.district.as_deref() == Some(x.code.as_str())}>{ i18n.pick3(&x.name_kk, &x.name_ru, &x.name_en) }</option>
                    }) }
                </select>
            </label>
            <label><span>{ i18n.t("sort-label") }</span>
                <select id="sort" onchange={d(|v| Action::Sort(match v.as_str() { "district" => RegistrySort::District, "free_places" => RegistrySort::FreePlaces, _ => RegistrySort::Name }))}>
                    <option value="name" selected={q.sort == RegistrySort::Name}>{ i18n.t("sort-name") }</option>
                    <option value="district" selected={q.sort == RegistrySort::District}>{ i18n.t("sort-district") }</option>
                    <option value="free_places" selected={q.sort == RegistrySort::FreePlaces}>{ i18n.t("sort-free_places") }</option>
                </select>
            </label>
            if state.has_filters() {
                <button class="ghost" id="filter-reset" onclick={reset}>{ i18n.t("filter-reset") }</button>
            }
        </div>
    };

    let tab = |v: View, id: &str, label: String| {
        let s = state.clone();
        let class = if state.view == v { "tab active" } else { "tab" };
        html! { <button id={id.to_string()} class={class} onclick={move |_| s.dispatch(Action::Show(v))}>{ label }</button> }
    };

    let body = match state.view {
        View::List => list(&i18n, &state, &props.open, &district_name),
        View::Map => match &state.map {
            Load::Loading => html! { <div class="loading">{ i18n.t("loading") }</div> },
            Load::Failed(e) => failed(&i18n, e, &state),
            Load::Ready(points) => {
                html! { <crate::registry::map::RegionMap points={points.clone()} districts={props.districts.clone()} open={props.open.clone()} zoomed={state.query.district.is_some()} marked={state.marked} /> }
            }
        },
    };

    html! {
        <section class="page registry">
            <div class="page-head">
                <h1>{ i18n.t("nav-registry") }</h1>
                <div class="tabs">
                    { tab(View::List, "view-list", i18n.t("view-list")) }
                    { tab(View::Map, "view-map", i18n.t("view-map")) }
                </div>
            </div>
            { filters }
            { body }
        </section>
    }
}

fn failed(i18n: &I18n, e: &ApiError, state: &UseReducerHandle<RegistryState>) -> Html {
    let s = state.clone();
    html! {
        <div class="card error-state" role="alert">
            <p>{ i18n.error(e) }</p>
            <button class="primary" onclick={move |_| s.dispatch(Action::Reload)}>{ i18n.t("retry") }</button>
        </div>
    }
}

fn list(i18n: &I18n, state: &UseReducerHandle<RegistryState>, open: &Callback<Screen>, district_name: &dyn Fn(&str) -> String) -> Html {
    let page = match &state.page {
        Load::Loading => return html! { <div class="loading">{ i18n.t("loading") }</div> },
        Load::Failed(e) => return failed(i18n, e, state),
        Load::Ready(p) => p,
    };
    if page.total == 0 {
        return html! {
            <div class="card empty-state" id="registry-empty" data-seq={state.shown.to_string()}>
                <h2>{ i18n.t("empty-title") }</h2>
                <p>{ i18n.t("empty-hint") }</p>
            </div>
        };
    }
    let from = page.page as u64 * page.page_size as u64 + 1;
    let to = from + page.items.len() as u64 - 1;
    let prev = {
        let s = state.clone();
        let p = page.page;
        move |_| s.dispatch(Action::Page(p.saturating_sub(1)))
    };
    let next = {
        let s = state.clone();
        let p = page.page;
        move |_| s.dispatch(Action::Page(p + 1))
    };
    html! {
        <div class="card">
            <div class="list-head">
                <span id="results-count">{ i18n.n(if page.more { "results-count-more" } else { "results-count" }, "total", page.total as i64) }</span>
            </div>
            <table class="registry-table" id="registry-table" data-seq={state.shown.to_string()}>
                <thead><tr>
                    <th>{ i18n.t("col-name") }</th>
                    <th>{ i18n.t("col-district") }</th>
                    <th>{ i18n.t("col-address") }</th>
                    <th>{ i18n.t("col-languages") }</th>
                    <th class="num">{ i18n.t("col-free") }</th>
                    <th class="num">{ i18n.t("col-queue") }</th>
                </tr></thead>
                <tbody>
                { for page.items.iter().map(|k| {
                    let open = open.clone();
                    let id = k.id;
                    html! {
                        <tr class="kg-row" onclick={move |_| open.emit(Screen::Passport(id))} tabindex="0">
                            <td>
                                <div class="kg-name">{ i18n.name(&k.name) }</div>
                                <div class={classes!("kind", k.kind.code())}>{ i18n.kind(k.kind) }</div>
                            </td>
                            <td>{ district_name(&k.district) }</td>
                            <td class="muted">{ i18n.name(&k.address) }</td>
                            <td>{ for k.languages.iter().map(|l| html! { <span class={classes!("chip", l.code())}>{ i18n.language(*l) }</span> }) }</td>
                            <td class={classes!("num", (k.free_places > 0).then_some("has-free"))}>{ k.free_places }</td>
                            <td class="num queue">{ k.queue_size }</td>
                        </tr>
                    }
                }) }
                </tbody>
            </table>
            <div class="pager">
                <button class="ghost" id="page-prev" disabled={page.page == 0} onclick={prev}>{ i18n.t("page-prev") }</button>
                <span id="page-range">{ i18n.tr.t_args(if page.more { "page-range-more" } else { "page-range" }, &[("from", baqsha_i18n::Arg::Num(from as i64)), ("to", baqsha_i18n::Arg::Num(to as i64)), ("total", baqsha_i18n::Arg::Num(page.total as i64))]) }</span>
                <button class="ghost" id="page-next" disabled={to >= page.total && !page.more} onclick={next}>{ i18n.t("page-next") }</button>
            </div>
        </div>
    }
}
