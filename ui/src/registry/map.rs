//! «Картада»: the kindergartens drawn on a projected map of the region. Pure SVG, so it works
//! with no network; no tiles are fetched.

use crate::app::Screen;
use crate::i18n::use_i18n;
use baqsha_api::MapPoint;
use baqsha_core::{District, GeoPoint, KindergartenId};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub points: Vec<MapPoint>,
    pub districts: Vec<District>,
    pub open: Callback<Screen>,
    /// Fit the markers only (a district is chosen), instead of the whole region.
    pub zoomed: bool,
    /// The kindergarten «Картада көрсету» came from: drawn on top, ringed, its name shown.
    #[prop_or_default]
    pub marked: Option<KindergartenId>,
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

/// Where each district's name goes, given its circle's centre and the name's letters: above
/// the circle, else below it, else beside it, else farther out, whichever first covers no name
/// already placed and no marker (the least covering when none is free; a name over a name is
/// the worse), and always inside the frame. Returns the text's centre x and baseline y.
pub fn place_names(names: &[(f64, f64, usize)], markers: &[(f64, f64)]) -> Vec<(f64, f64)> {
    // A bold 13-unit letter of the map's font, on average.
    const LETTER: f64 = 8.8;
    const TALL: f64 = 16.0;
    let boxed = |x: f64, y: f64, n: usize| {
        let half = (n as f64 * LETTER / 2.0).min(W / 2.0 - 4.0);
        let x = x.clamp(4.0 + half, W - 4.0 - half);
        let y = y.clamp(4.0 + TALL, H - 4.0);
        (x, y, [x - half, y - TALL, x + half, y + 4.0])
    };
    let overlap = |a: &[f64; 4], b: &[f64; 4]| (a[2].min(b[2]) - a[0].max(b[0])).max(0.0) * (a[3].min(b[3]) - a[1].max(b[1])).max(0.0);
    let dots: Vec<[f64; 4]> = markers.iter().map(|&(x, y)| [x - 8.0, y - 8.0, x + 8.0, y + 8.0]).collect();
    // The busiest district (the regional centre) chooses first: its name is read most.
    let busy = |&(x, y, _): &(f64, f64, usize)| markers.iter().filter(|m| (m.0 - x).hypot(m.1 - y) <= 34.0).count();
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(busy(&names[i])));
    let mut placed: Vec<[f64; 4]> = vec![];
    let mut out = vec![(0.0, 0.0); names.len()];
    for i in order {
        let (x, y, n) = names[i];
        let side = 40.0 + n as f64 * LETTER / 2.0;
        let best = [(0.0, -40.0), (0.0, 52.0), (side, 5.0), (-side, 5.0), (0.0, -58.0), (0.0, 70.0)]
            .iter()
            .map(|(dx, dy)| boxed(x + dx, y + dy, n))
            .map(|(x, y, b)| ((x, y, b), 10.0 * placed.iter().map(|p| overlap(p, &b)).sum::<f64>() + dots.iter().map(|d| overlap(d, &b)).sum::<f64>()))
            .enumerate()
            .min_by(|(i, (_, a)), (j, (_, b))| a.total_cmp(b).then(i.cmp(j)))
            .map(|(_, (spot, _))| spot);
        if let Some((x, y, b)) = best {
            placed.push(b);
            out[i] = (x, y);
        }
    }
    out
}

#[component]
pub fn RegionMap(props: &Props) -> Html {
    let i18n = use_i18n();
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

    let shown: Vec<&District> = props.districts.iter().filter(|_| !props.zoomed).collect();
    let names: Vec<&str> = shown.iter().map(|d| i18n.pick3(&d.name_kk, &d.name_ru, &d.name_en)).collect();
    let dots: Vec<(f64, f64)> = props.points.iter().map(|p| proj.xy(p.location)).collect();
    let centres: Vec<(f64, f64, usize)> = shown
        .iter()
        .zip(&names)
        .map(|(d, n)| {
            let (x, y) = proj.xy(d.centre);
            (x, y, n.chars().count())
        })
        .collect();
    let spots = place_names(&centres, &dots);
    let districts = shown.iter().zip(names).zip(spots).map(|((d, name), (tx, ty))| {
        let (x, y) = proj.xy(d.centre);
        html! { <g class="district"><circle cx={x.to_string()} cy={y.to_string()} r="34" />
        <text x={tx.to_string()} y={ty.to_string()}>{ name }</text></g> }
    });
    // The marked one last, so it is drawn over its neighbours.
    let mut order: Vec<&MapPoint> = props.points.iter().collect();
    order.sort_by_key(|p| Some(p.id) == props.marked);
    // Hovering changes nothing in the page: the name is in each marker, shown by CSS, so the
    // marker under the pointer stays the same element from press to release.
    let markers = order.into_iter().map(|p| {
        let (x, y) = proj.xy(p.location);
        let open = props.open.clone();
        let id = p.id;
        let key_open = {
            let open = props.open.clone();
            move |e: KeyboardEvent| {
                if e.key() == "Enter" || e.key() == " " {
                    open.emit(Screen::Passport(id))
                }
            }
        };
        let marked = Some(id) == props.marked;
        let class = classes!("marker", if p.free_places > 0 { "free" } else { "full" }, p.kind.code(), marked.then_some("marked"));
        // A name near the right edge goes to the marker's left.
        let (lx, anchor) = if x > W * 0.7 { (x - 12.0, "end") } else { (x + 12.0, "start") };
        html! {
            <g class={class} tabindex="0" role="button" data-id={id.to_string()} onkeydown={key_open} onclick={move |_| open.emit(Screen::Passport(id))}>
                <circle cx={x.to_string()} cy={y.to_string()} r="7" />
                <text class="marker-label" x={lx.to_string()} y={(y - 10.0).to_string()} text-anchor={anchor}>{ i18n.name(&p.name) }</text>
                <title>{ format!("{} — {}", i18n.name(&p.name), i18n.n("places", "n", p.free_places as i64)) }</title>
            </g>
        }
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

    /// Each name's box as drawn (a bold letter is ~8.8 units wide, the text 16 tall over its baseline).
    fn name_boxes(names: &[(f64, f64, usize)], spots: &[(f64, f64)]) -> Vec<[f64; 4]> {
        names.iter().zip(spots).map(|(n, s)| [s.0 - n.2 as f64 * 4.4, s.1 - 16.0, s.0 + n.2 as f64 * 4.4, s.1 + 4.0]).collect()
    }

    fn apart(a: &[f64; 4], b: &[f64; 4]) -> bool {
        a[2] <= b[0] || b[2] <= a[0] || a[3] <= b[1] || b[3] <= a[1]
    }

    #[test]
    fn district_names_cover_no_other_name_and_stay_inside_the_frame() {
        // Two centres close together and one at the very edge, as the region's are.
        let names = [(500.0, 300.0, 14), (530.0, 310.0, 18), (505.0, 290.0, 10), (995.0, 20.0, 22)];
        let spots = place_names(&names, &[]);
        let boxes = name_boxes(&names, &spots);
        for (i, a) in boxes.iter().enumerate() {
            assert!(a[0] >= 0.0 && a[2] <= W && a[1] >= 0.0 && a[3] <= H, "name {i} is cut: {a:?}");
            for b in &boxes[i + 1..] {
                assert!(apart(a, b), "{a:?} covers {b:?}");
            }
        }
        assert_eq!(spots[0], (500.0, 260.0), "a name with room goes right above its circle");
    }

    #[test]
    fn the_regions_district_names_all_stand_clear() {
        let region = [
            ("Өскемен қаласы", 49.948, 82.628),
            ("Риддер қаласы", 50.344, 83.513),
            ("Алтай ауданы", 49.724, 84.274),
            ("Глубокое ауданы", 49.98, 82.37),
            ("Шемонаиха ауданы", 50.63, 81.91),
            ("Зайсан ауданы", 47.47, 84.87),
            ("Ұлан ауданы", 49.49, 82.98),
            ("Тарбағатай ауданы", 47.61, 84.07),
            ("Катонқарағай ауданы", 49.17, 85.61),
            ("Күршім ауданы", 48.57, 83.66),
            ("Самар ауданы", 49.05, 83.36),
            ("Марқакөл ауданы", 48.43, 85.08),
        ];
        let proj = Projection::fit(region.iter().map(|r| GeoPoint { lat: r.1, lon: r.2 }));
        let names: Vec<(f64, f64, usize)> = region.iter().map(|r| proj.xy(GeoPoint { lat: r.1, lon: r.2 })).zip(&region).map(|((x, y), r)| (x, y, r.0.chars().count())).collect();
        // Each district's kindergartens sit about its centre, inside its circle.
        let dots: Vec<(f64, f64)> = names.iter().flat_map(|&(x, y, _)| (0..8).map(move |i| (i as f64 * 0.785).sin_cos()).map(move |(s, c)| (x + 22.0 * c, y + 22.0 * s))).collect();
        let spots = place_names(&names, &dots);
        let boxes = name_boxes(&names, &spots);
        for (i, a) in boxes.iter().enumerate() {
            for (j, b) in boxes.iter().enumerate().skip(i + 1) {
                assert!(apart(a, b), "{} covers {}", region[i].0, region[j].0);
            }
            assert!(dots.iter().all(|d| apart(a, &[d.0 - 8.0, d.1 - 8.0, d.0 + 8.0, d.1 + 8.0])), "{} covers a kindergarten", region[i].0);
        }
    }
}
