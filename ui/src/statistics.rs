//! The portal's two statistics sections (the seed's 1.7 and 1.8), each its own page in the
//! menu, as tables and SVG charts in the reader's language; each page's «Басып шығару» makes
//! its own table and chart as a PDF (kk or ru).

use crate::bridge::call;
use crate::i18n::use_i18n;
use crate::widgets::chart::{BarChart, Series};
use baqsha_api::*;
use yew::prelude::*;

/// The allocation chart shows the kindergartens with the most places allocated.
const TOP: usize = 15;

/// 1.7: state and private kindergartens and their places, by district.
#[component]
pub fn PlacesStatisticsPage() -> Html {
    let i18n = use_i18n();
    let places = use_state(|| None::<Result<Vec<DistrictStats>, ApiError>>);
    {
        let places = places.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move { places.set(Some(call(&calls::StatisticsPlaces {}).await)) });
        });
    }
    let printed = use_state(|| None::<Result<Printed, ApiError>>);
    let print = crate::widgets::printed::print_list(&printed, || PrintList::StatisticsPlaces {}, i18n.lang.of_documents());
    let places_view = match &*places {
        None => html! { <p class="muted">{ i18n.t("loading") }</p> },
        Some(Err(e)) => html! { <p class="error" role="alert">{ i18n.error(e) }</p> },
        Some(Ok(rows)) => {
            let sum = |f: fn(&DistrictStats) -> u32| rows.iter().map(f).sum::<u32>();
            let series = vec![
                Series { name: format!("{} — {}", i18n.t("st-state"), i18n.t("st-places")), class: "bar-a" },
                Series { name: format!("{} — {}", i18n.t("st-private"), i18n.t("st-places")), class: "bar-b" },
            ];
            let chart: Vec<(String, Vec<u32>)> = rows.iter().map(|r| (i18n.name(&r.name).to_string(), vec![r.state_places, r.private_places])).collect();
            html! { <>
                <table id="stats-places" class="card">
                    <thead>
                        <tr><th rowspan="2">{ i18n.t("st-district") }</th><th colspan="2">{ i18n.t("st-state") }</th><th colspan="2">{ i18n.t("st-private") }</th></tr>
                        <tr><th class="num">{ i18n.t("st-kindergartens") }</th><th class="num">{ i18n.t("st-places") }</th><th class="num">{ i18n.t("st-kindergartens") }</th><th class="num">{ i18n.t("st-places") }</th></tr>
                    </thead>
                    <tbody>{ for rows.iter().map(|r| html! {
                        <tr class="stats-district" data-district={r.district.clone()}>
                            <td>{ i18n.name(&r.name) }</td>
                            <td class="num">{ baqsha_i18n::number(r.state_kindergartens.into()) }</td><td class="num">{ baqsha_i18n::number(r.state_places.into()) }</td>
                            <td class="num">{ baqsha_i18n::number(r.private_kindergartens.into()) }</td><td class="num">{ baqsha_i18n::number(r.private_places.into()) }</td>
                        </tr>
                    }) }</tbody>
                    <tfoot><tr id="stats-places-total">
                        <th>{ i18n.t("st-total") }</th>
                        <th class="num">{ baqsha_i18n::number(sum(|r| r.state_kindergartens).into()) }</th><th class="num">{ baqsha_i18n::number(sum(|r| r.state_places).into()) }</th>
                        <th class="num">{ baqsha_i18n::number(sum(|r| r.private_kindergartens).into()) }</th><th class="num">{ baqsha_i18n::number(sum(|r| r.private_places).into()) }</th>
                    </tr></tfoot>
                </table>
                <BarChart id="chart-places" title={i18n.t("st-chart-places")} series={series} rows={chart} />
            </> }
        }
    };
    html! {
        <section class="page statistics-page">
            <div class="page-head">
                <h1>{ i18n.t("st-places-title") }</h1>
                <button id="stats-print" onclick={print}>{ i18n.t("st-print") }</button>
            </div>
            if let Some(r) = &*printed {
                <crate::widgets::printed::PrintOutcome result={r.clone()} />
            }
            { places_view }
        </section>
    }
}

/// 1.8: places actually allocated to kindergartens in a period.
#[component]
pub fn AllocatedStatisticsPage() -> Html {
    let i18n = use_i18n();
    let today = crate::clock::today();
    let from = use_state(|| crate::clock::year_start(today));
    let to = use_state(|| today);
    let allocated = use_state(|| None::<Result<Vec<AllocationStats>, ApiError>>);
    {
        let allocated = allocated.clone();
        use_effect_with((*from, *to), move |(from, to)| {
            let (from, to) = (*from, *to);
            wasm_bindgen_futures::spawn_local(async move { allocated.set(Some(call(&calls::StatisticsAllocated { from, to }).await)) });
        });
    }
    let date = |h: &UseStateHandle<chrono::NaiveDate>| {
        let h = h.clone();
        Callback::from(move |iso: String| {
            if let Ok(d) = iso.parse() {
                h.set(d);
            }
        })
    };
    let printed = use_state(|| None::<Result<Printed, ApiError>>);
    let print = {
        let (f, t) = (*from, *to);
        crate::widgets::printed::print_list(&printed, move || PrintList::StatisticsAllocated { from: f, to: t }, i18n.lang.of_documents())
    };
    let allocated_view = match &*allocated {
        None => html! { <p class="muted">{ i18n.t("loading") }</p> },
        Some(Err(e)) => html! { <p class="error" role="alert">{ i18n.error(e) }</p> },
        Some(Ok(rows)) if rows.is_empty() => html! { <p class="card empty" id="stats-alloc-empty">{ i18n.t("st-none") }</p> },
        Some(Ok(rows)) => {
            let series = vec![Series { name: i18n.t("st-issued"), class: "bar-a" }, Series { name: i18n.t("st-admitted"), class: "bar-b" }];
            let chart: Vec<(String, Vec<u32>)> = rows.iter().take(TOP).map(|r| (i18n.name(&r.name).to_string(), vec![r.issued, r.admitted])).collect();
            html! { <>
                <table id="stats-alloc" class="card">
                    <thead><tr><th>{ i18n.t("bl-kindergarten") }</th><th class="num">{ i18n.t("st-issued") }</th><th class="num">{ i18n.t("st-admitted") }</th></tr></thead>
                    <tbody>{ for rows.iter().map(|r| html! {
                        <tr class="stats-kindergarten" data-kindergarten={r.kindergarten.to_string()}>
                            <td>{ i18n.name(&r.name) }</td>
                            <td class="num issued">{ baqsha_i18n::number(r.issued.into()) }</td><td class="num admitted">{ baqsha_i18n::number(r.admitted.into()) }</td>
                        </tr>
                    }) }</tbody>
                    <tfoot><tr id="stats-alloc-total">
                        <th>{ i18n.t("st-total") }</th>
                        <th class="num">{ baqsha_i18n::number(rows.iter().map(|r| u64::from(r.issued)).sum()) }</th><th class="num">{ baqsha_i18n::number(rows.iter().map(|r| u64::from(r.admitted)).sum()) }</th>
                    </tr></tfoot>
                </table>
                <BarChart id="chart-alloc" title={i18n.t("st-chart-alloc")} series={series} rows={chart} />
            </> }
        }
    };
    html! {
        <section class="page statistics-page">
            <div class="page-head">
                <h1>{ i18n.t("st-alloc-title") }</h1>
                <button id="stats-print" onclick={print}>{ i18n.t("st-print") }</button>
            </div>
            if let Some(r) = &*printed {
                <crate::widgets::printed::PrintOutcome result={r.clone()} />
            }
            <div class="filters card">
                <label><span>{ i18n.t("ir-from") }</span><crate::widgets::date::DateInput id="stats-from" value={from.to_string()} on_change={date(&from)} /></label>
                <label><span>{ i18n.t("ir-to") }</span><crate::widgets::date::DateInput id="stats-to" value={to.to_string()} on_change={date(&to)} /></label>
            </div>
            { allocated_view }
        </section>
    }
}
