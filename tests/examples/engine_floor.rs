//! The floor under our cold start: how long the same web engine (WebKitGTK's own
//! MiniBrowser, the library our window uses) takes on this machine, under the same display,
//! to begin loading a one-line page and to paint it. Measured the way `cold_start` measures
//! the app (launch to `performance.timeOrigin`, then the page's own clock), so the two
//! figures compare in one run. The page reports over a loopback socket: no WebDriver.
//! Run by `scripts/bench.sh` under Xvfb; needs nothing but the WebKitGTK package.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

const BROWSERS: [&str; 2] = ["/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser", "/usr/libexec/webkit2gtk-4.1/MiniBrowser"];

const CPU: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";

/// The page reports its load, then replaces a 20-row table 30 times, each time measuring
/// to the frame after it is in the document, as the keystroke benchmark measures the app's
/// list: the engine's own cost of showing a changed list, with no work of ours before it.
fn page(port: u16) -> String {
    format!(
        r#"<!doctype html><html><head><meta charset="utf-8"></head><body><h1>Балабақша ӘҒҚҢӨҰҮҺІ</h1>
<table><tbody id="rows"></tbody></table><script>
const report = q => fetch('http://127.0.0.1:{port}/?' + q).catch(() => {{}});
const times = [];
const change = n => {{
  const t0 = performance.now();
  document.getElementById('rows').innerHTML = Array.from({{length: 20}}, (_, i) =>
    `<tr><td>№ ${{n * 20 + i}} «Күншуақ» бөбекжайы</td><td>Өскемен қ.</td><td>Абай көшесі, ${{i}}</td><td>қазақ</td><td>${{i}}</td></tr>`).join('');
  requestAnimationFrame(() => requestAnimationFrame(() => {{
    times.push(performance.now() - t0);
    if (times.length < 30) setTimeout(() => change(n + 1), 40);
    else report('repaint=' + times.join(','));
  }}));
}};
requestAnimationFrame(() => requestAnimationFrame(() => {{
  report('origin=' + performance.timeOrigin + '&now=' + performance.now());
  setTimeout(() => change(0), 200);
}}));
</script></body></html>"#
    )
}

/// One report from the page: the first line of its request.
fn accept(listener: &TcpListener, deadline: Instant) -> Res<String> {
    loop {
        match listener.accept() {
            Ok((mut stream, _)) => {
                stream.set_nonblocking(false)?;
                let mut line = String::new();
                BufReader::new(&stream).read_line(&mut line)?;
                stream.write_all(b"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nContent-Length: 0\r\n\r\n")?;
                return Ok(line);
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock && Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("MiniBrowser never reported: {e}").into()),
        }
    }
}

fn epoch_ms() -> Res<f64> {
    Ok(SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs_f64() * 1000.0)
}

struct Run {
    /// Launch to the page beginning to load, and to its first frame.
    loading: f64,
    painted: f64,
    /// A changed list to the frame after it, each time.
    repaints: Vec<f64>,
}

fn run(browser: &str, url: &str, listener: &TcpListener) -> Res<Run> {
    let launch = epoch_ms()?;
    let mut command = Command::new(browser);
    if std::env::var_os(CPU).is_none() && !std::path::Path::new("/dev/dri").exists() {
        command.env(CPU, "1"); // the same choice the app makes for itself without a GPU
    }
    let mut child = command.arg(url).stdout(Stdio::null()).stderr(Stdio::null()).spawn()?;
    listener.set_nonblocking(true)?;
    let deadline = Instant::now() + Duration::from_secs(30);
    let reports = accept(listener, deadline).and_then(|load| Ok((load, accept(listener, deadline)?)));
    child.kill()?;
    child.wait()?;
    let (load, repaint) = reports?;
    let value = |report: &str, key: &str| -> Res<String> {
        let at = report.find(&format!("{key}=")).ok_or(format!("no {key} in {report}"))? + key.len() + 1;
        Ok(report[at..].split(['&', ' ']).next().unwrap_or("").to_string())
    };
    let origin: f64 = value(&load, "origin")?.parse()?;
    let now: f64 = value(&load, "now")?.parse()?;
    let repaints = value(&repaint, "repaint")?.split(',').map(|t| t.parse::<f64>()).collect::<Result<_, _>>()?;
    Ok(Run { loading: origin - launch, painted: origin - launch + now, repaints })
}

fn main() -> Res<()> {
    let Some(browser) = BROWSERS.iter().find(|b| std::path::Path::new(b).exists()) else {
        return Err("no MiniBrowser: the WebKitGTK package puts it in its libexec folder".into());
    };
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let dir = tempfile::tempdir()?;
    let file: PathBuf = dir.path().join("floor.html");
    std::fs::write(&file, page(listener.local_addr()?.port()))?;
    let url = format!("file://{}", file.display());
    run(browser, &url, &listener)?; // the first launch reads the engine from disk
    let mut runs = vec![];
    for _ in 0..7 {
        runs.push(run(browser, &url, &listener)?);
    }
    let median = |f: fn(&Run) -> f64| {
        let mut v: Vec<f64> = runs.iter().map(f).collect();
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    };
    println!(
        "the engine's floor, bare MiniBrowser on a one-line page, median of {}: page loading at {:.0} ms, painted at {:.0} ms",
        runs.len(),
        median(|r| r.loading),
        median(|r| r.painted)
    );
    let mut repaints: Vec<f64> = runs.iter().flat_map(|r| r.repaints.iter().copied()).collect();
    repaints.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| repaints[((repaints.len() as f64 - 1.0) * q).round() as usize];
    println!("the engine's floor for a changed 20-row list to the frame after it ({} changes, nothing else to do): p50 {:.1} ms, p95 {:.1} ms", repaints.len(), at(0.5), at(0.95));
    Ok(())
}
