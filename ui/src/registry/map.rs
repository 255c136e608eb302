//! «Картада»: the kindergartens drawn on a projected map of the region. Pure SVG, so it works
//! with no network; no tiles are fetched.

use crate::app::Screen;
use crate::i18n::use_i18n;
use baqsha_api::MapPoint;
use baqsha_core::{District, GeoPoint};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub points: Vec<MapPoint>,
    pub districts: Vec<District>,
    pub open: Callback<Screen>,
    /// Fit the markers only (a district is chosen), instead of the whole region.
    pub zoomed: bool,
}

const W: f64 = 1000.0;
const H: f64 = 640.0;
const PAD: f64 = 40.0;

/// An equirectangular projection centred on the region: at these latitudes a degree of
/// longitude is cos(lat) of a degree of latitude, which keeps shapes and distances honest.
pub struct Projection {
    lon0: f64,
    lat1: f64,
    k: f64,
    scale: f64,
    ox: f64,
    oy: f64,
}

impl Projection {
    pub fn fit(points: impl Iterator<Item = GeoPoint> + Clone) -> Projection {
        let (mut lat_min, mut lat_max, mut lon_min, mut lon_max) = (90.0f64, -90.0f64, 180.0f64, -180.0f64);
        for p in points.clone() {
            lat_min = lat_min.min(p.lat);
            lat_max = lat_max.max(p.lat);
            lon_min = lon_min.min(p.lon);
            lon_max = lon_max.max(p.lon);
        }
        if lat_min > lat_max {
            (lat_min, lat_max, lon_min, lon_max) = (49.0, 51.0, 82.0, 84.0);
        }
        let k = ((lat_min + lat_max) / 2.0).to_radians().cos();
        let w = ((lon_max - lon_min) * k).max(0.05);
        let h = (lat_max - lat_min).max(0.05);
        let scale = ((W - 2.0 * PAD) / w).min((H - 2.0 * PAD) / h);
        let ox = (W - w * scale) / 2.0;
        let oy = (H - h * scale) / 2.0;
        Projection { lon0: lon_min, lat1: lat_max, k, scale, ox, oy }
    }

    pub fn xy(&self, p: GeoPoint) -> (f64, f64) {
        (self.ox + (p.lon - self.lon0) * self.k * self.scale, self.oy + (self.lat1 - p.lat) * self.scale)
    }
}

#[component]
pub fn RegionMap(props: &Props) -> Html {
    let i18n = use_i18n();
    let hover = use_state(|| None::<usize>);
    let region = props.districts.iter().map(|d| d.centre).filter(|_| !props.zoomed || props.points.is_empty());
    let proj = Projection::fit(props.points.iter().map(|p| p.location).chain(region));

    // A graticule every degree (every half-degree when zoomed in) gives the map its scale.
    let mut grid = vec![];
    let (lat_a, lon_a) = ((proj.lat1 - H / proj.scale).floor(), proj.lon0.floor());
    let step = if H / proj.scale < 3.0 { 0.5 } else { 1.0 };
    let mut lat = lat_a;
    while lat <= proj.lat1 + 1.0 {
        let (_, y) = proj.xy(GeoPoint { lat, lon: proj.lon0 });
        if (0.0..=H).contains(&y) {
            grid.push(html! { <g class="grid"><line x1="0" x2={W.to_string()} y1={y.to_string()} y2={y.to_string()} />
            <text x="6" y={(y - 4.0).to_string()}>{ format!("{lat:.1}° N") }</text></g> });
        }
        lat += step;
    }
    let mut lon = lon_a;
    while lon <= lon_a + W / (proj.scale * proj.k) + 1.0 {
        let (x, _) = proj.xy(GeoPoint { lat: proj.lat1, lon });
        if (0.0..=W).contains(&x) {
            grid.push(html! { <g class="grid"><line y1="0" y2={H.to_string()} x1={x.to_string()} x2={x.to_string()} />
            <text y={(H - 6.0).to_string()} x={(x + 4.0).to_string()}>{ format!("{lon:.1}° E") }</text></g> });
        }
        lon += step;
    }

    let districts = props.districts.iter().filter(|_| !props.zoomed).map(|d| {
        let (x, y) = proj.xy(d.centre);
        html! { <g class="district"><circle cx={x.to_string()} cy={y.to_string()} r="34" />
        <text x={x.to_string()} y={(y - 40.0).to_string()}>{ i18n.pick3(&d.name_kk, &d.name_ru, &d.name_en) }</text></g> }
    });
    let markers = props.points.iter().enumerate().map(|(i, p)| {
        let (x, y) = proj.xy(p.location);
        let open = props.open.clone();
        let id = p.id;
        let (h1, h2) = (hover.clone(), hover.clone());
        let key_open = {
            let open = props.open.clone();
            move |e: KeyboardEvent| {
                if e.key() == "Enter" || e.key() == " " {
                    open.emit(Screen::Passport(id))
                }
            }
        };
        let class = classes!("marker", if p.free_places > 0 { "free" } else { "full" }, p.kind.code());
        html! {
            <g class={class} tabindex="0" role="button" onkeydown={key_open} onclick={move |_| open.emit(Screen::Passport(id))}
               onmouseenter={move |_| h1.set(Some(i))} onmouseleave={move |_| h2.set(None)}>
                <circle cx={x.to_string()} cy={y.to_string()} r="7" />
                <title>{ format!("{} — {}", i18n.name(&p.name), i18n.n("places", "n", p.free_places as i64)) }</title>
            </g>
        }
    });
    let label = hover.and_then(|i| props.points.get(i)).map(|p| {
        let (x, y) = proj.xy(p.location);
        html! { <text class="marker-label" x={(x + 10.0).to_string()} y={(y - 10.0).to_string()}>{ i18n.name(&p.name) }</text> }
    });

    html! {
        <div class="card map-card">
            <div class="list-head">
                <span id="map-count">{ i18n.n("map-shown", "n", props.points.len() as i64) }</span>
                <span class="legend"><span class="dot free"></span>{ i18n.t("map-legend-free") }<span class="dot full"></span>{ i18n.t("map-legend-none") }</span>
            </div>
            <svg id="region-map" class="map" viewBox={format!("0 0 {W} {H}")} role="img" aria-label={i18n.t("map-title")}>
                <rect class="sea" x="0" y="0" width={W.to_string()} height={H.to_string()} />
                { for grid }
                { for districts }
                { for markers }
                { for label }
            </svg>
            <p class="muted">{ i18n.t("map-note") }</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_projection_keeps_north_up_and_east_right_inside_the_frame() {
        let pts = [GeoPoint { lat: 49.948, lon: 82.628 }, GeoPoint { lat: 50.344, lon: 83.513 }, GeoPoint { lat: 47.47, lon: 84.87 }];
        let p = Projection::fit(pts.iter().copied());
        let (ox, oy) = p.xy(pts[0]); // Ust-Kamenogorsk
        let (rx, ry) = p.xy(pts[1]); // Ridder: north-east of it
        let (zx, zy) = p.xy(pts[2]); // Zaisan: south-east
        assert!(rx > ox && ry < oy);
        assert!(zx > rx && zy > oy);
        for (x, y) in [(ox, oy), (rx, ry), (zx, zy)] {
            assert!((0.0..=W).contains(&x) && (0.0..=H).contains(&y));
        }
        // One degree east is cos(lat) of one degree north.
        let a = p.xy(GeoPoint { lat: 49.0, lon: 83.0 });
        let b = p.xy(GeoPoint { lat: 49.0, lon: 84.0 });
        let c = p.xy(GeoPoint { lat: 50.0, lon: 83.0 });
        let ratio = (b.0 - a.0) / (a.1 - c.1);
        assert!((ratio - 48.7f64.to_radians().cos()).abs() < 0.01, "{ratio}");
    }
}
