//! A horizontal bar chart drawn as SVG: one row per label, one bar per series, values written
//! at the bar ends. Labels are text in the page's font, so Kazakh letters draw as in the tables.

use yew::prelude::*;

#[derive(Clone, PartialEq)]
pub struct Series {
    pub name: String,
    /// A CSS class giving the bar its colour (`bar-a`, `bar-b`).
    pub class: &'static str,
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub id: String,
    pub title: String,
    pub series: Vec<Series>,
    /// (label, one value per series)
    pub rows: Vec<(String, Vec<u32>)>,
}

const WIDTH: f64 = 760.0;
const LABEL: f64 = 250.0;
const BAR: f64 = 12.0;
const GAP: f64 = 8.0;
const TOP: f64 = 44.0;

/// A label cut to fit its column (the table beside the chart has the whole name).
fn fit(label: &str) -> String {
    const MAX: usize = 34;
    if label.chars().count() <= MAX {
        label.to_string()
    } else {
        format!("{}…", label.chars().take(MAX - 1).collect::<String>())
    }
}

#[component]
pub fn BarChart(props: &Props) -> Html {
    let max = props.rows.iter().flat_map(|(_, v)| v.iter().copied()).max().unwrap_or(0).max(1) as f64;
    let per_row = BAR * props.series.len() as f64 + GAP;
    let height = TOP + per_row * props.rows.len() as f64 + 8.0;
    let scale = (WIDTH - LABEL - 60.0) / max;
    html! {
        <figure class="chart card" id={props.id.clone()}>
            <svg viewBox={format!("0 0 {WIDTH} {height}")} width="100%" role="img" aria-label={props.title.clone()}>
                <text x="0" y="16" class="chart-title">{ &props.title }</text>
                { for props.series.iter().enumerate().map(|(i, s)| {
                    let x = LABEL + i as f64 * 170.0;
                    html! { <g>
                        <rect x={x.to_string()} y="24" width="12" height="12" class={s.class} />
                        <text x={(x + 18.0).to_string()} y="34" class="chart-legend">{ &s.name }</text>
                    </g> }
                }) }
                { for props.rows.iter().enumerate().map(|(r, (label, values))| {
                    let y = TOP + r as f64 * per_row;
                    html! { <g class="chart-row">
                        <text x={(LABEL - 8.0).to_string()} y={(y + BAR * values.len() as f64 / 2.0 + 4.0).to_string()} text-anchor="end" class="chart-label">{ fit(label) }</text>
                        { for values.iter().enumerate().map(|(i, v)| {
                            let w = (*v as f64 * scale).max(if *v > 0 { 1.0 } else { 0.0 });
                            let by = y + i as f64 * BAR;
                            let class = props.series.get(i).map_or("bar-a", |s| s.class);
                            html! { <g>
                                <rect x={LABEL.to_string()} y={by.to_string()} width={w.to_string()} height={(BAR - 2.0).to_string()} class={class} />
                                <text x={(LABEL + w + 4.0).to_string()} y={(by + BAR - 3.0).to_string()} class="chart-value">{ v }</text>
                            </g> }
                        }) }
                    </g> }
                }) }
            </svg>
        </figure>
    }
}
