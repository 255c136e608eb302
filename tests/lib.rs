//! A harness that starts the real Baqsha app under WebDriver (tauri-driver on port 4444, or
//! `BAQSHA_WEBDRIVER`), each time on its own database file, and helpers that wait for what a
//! user would see. Used by the end-to-end tests and the cold-start benchmark.

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

pub struct TestApp {
    pub client: Client,
    pub db: PathBuf,
}

/// A WebDriver failure with the step and element it happened at; the debug form names
/// WebDriver's error kind, which its message often omits.
fn step(doing: &str, what: &str, e: fantoccini::error::CmdError) -> Box<dyn std::error::Error + Send + Sync> {
    format!("{doing} {what}: {e} ({e:?})").into()
}

/// Appends what the test is doing to `steps.log` among the artifacts, written at once: a run
/// stopped from outside (a hung window, CI's limit) leaves no test output, but this trail
/// names the step it stopped at.
pub fn trace(doing: &str, what: &str) {
    use std::io::Write;
    let test = std::thread::current().name().unwrap_or("test").to_string();
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let (s, ms) = (t.as_secs() % 86_400, t.subsec_millis());
    let line = format!("{:02}:{:02}:{:02}.{ms:03} UTC {test}: {doing} {what}\n", s / 3600, s / 60 % 60, s % 60);
    if let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(artifacts().join("steps.log")) {
        let _ = f.write_all(line.as_bytes());
    }
}

/// How long one test's flow may take before it counts as hung; the longest (two desks and
/// a server) takes about a minute.
const FLOW_LIMIT: Duration = Duration::from_secs(300);

pub fn app_binary() -> PathBuf {
    std::env::var_os("BAQSHA_APP").map(PathBuf::from).unwrap_or_else(|| {
        let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| "../target".into());
        target.join("debug/baqsha")
    })
}

pub fn artifacts() -> PathBuf {
    let dir = std::env::var_os("BAQSHA_ARTIFACTS").map(PathBuf::from).unwrap_or_else(|| "../artifacts".into());
    let _ = std::fs::create_dir_all(&dir);
    dir
}

impl TestApp {
    /// Starts the app on the database at `db` (created and seeded with the demo if missing). Printed
    /// documents go to `documents/` beside it, without opening a viewer.
    pub async fn start(db: &Path) -> Res<TestApp> {
        TestApp::start_with(db, &[]).await
    }

    /// The same, with more command-line arguments for the app (e.g. `--server=…`).
    pub async fn start_with(db: &Path, extra: &[&str]) -> Res<TestApp> {
        let mut args = vec!["--demo"];
        args.extend_from_slice(extra);
        TestApp::start_as_installed(db, &args).await
    }

    /// As an installed desk starts: an empty database is not filled with the demo; the
    /// first-run screen asks.
    pub async fn start_as_installed(db: &Path, extra: &[&str]) -> Res<TestApp> {
        let documents = db.parent().unwrap_or(Path::new(".")).join("documents");
        let url = std::env::var("BAQSHA_WEBDRIVER").unwrap_or_else(|_| "http://127.0.0.1:4444".into());
        let args: Vec<String> = [format!("--db={}", db.display()), format!("--documents={}", documents.display()), "--no-viewer".into()]
            .into_iter()
            .chain(extra.iter().map(|a| a.to_string()))
            .collect();
        let caps = serde_json::json!({
            "browserName": "wry",
            "tauri:options": {
                "application": app_binary(),
                "args": args,
            }
        });
        let serde_json::Value::Object(caps) = caps else { return Err("capabilities".into()) };
        trace("start", &db.display().to_string());
        // A window that never comes up fails the test instead of hanging the suite.
        let client = tokio::time::timeout(Duration::from_secs(90), ClientBuilder::native().capabilities(caps).connect(&url))
            .await
            .map_err(|_| "the app's window did not come up within 90 s")??;
        Ok(TestApp { client, db: db.to_path_buf() })
    }

    /// Runs a test's flow, failing it when it hangs; a failure leaves a picture of the window
    /// (`failed-<name>.png`) and its reason at the end of `steps.log`.
    pub async fn guard<T, Fut>(&self, name: &str, flow: Fut) -> Res<T>
    where
        Fut: std::future::Future<Output = Res<T>>,
    {
        let result = match tokio::time::timeout(FLOW_LIMIT, flow).await {
            Ok(result) => result,
            Err(_) => Err(format!("{name}: no progress within {} s; the last steps are in steps.log", FLOW_LIMIT.as_secs()).into()),
        };
        if let Err(e) = &result {
            trace("failed:", &e.to_string());
            let _ = tokio::time::timeout(Duration::from_secs(20), self.screenshot(&format!("failed-{name}"))).await;
        }
        result
    }

    pub async fn find(&self, css: &str) -> Res<Element> {
        trace("find", css);
        self.client.wait().at_most(Duration::from_secs(30)).for_element(Locator::Css(css)).await.map_err(|e| step("finding", css, e))
    }

    pub async fn all(&self, css: &str) -> Res<Vec<Element>> {
        Ok(self.client.find_all(Locator::Css(css)).await?)
    }

    pub async fn text(&self, css: &str) -> Res<String> {
        self.find(css).await?.text().await.map_err(|e| step("reading", css, e))
    }

    /// Clicks as a person would: on the element where it can be seen. The pages scroll inside
    /// `.content`, below the top bar; WebDriver only scrolls the window, so an element half
    /// under the top bar would take the bar's click. It is brought to the middle first.
    pub async fn click(&self, css: &str) -> Res<()> {
        trace("click", css);
        let el = self.find(css).await?;
        self.client
            .execute("arguments[0].scrollIntoView({block: 'center', inline: 'nearest'});", vec![serde_json::to_value(&el)?])
            .await
            .map_err(|e| step("scrolling to", css, e))?;
        el.click().await.map_err(|e| step("clicking", css, e))?;
        Ok(())
    }

    /// Polls until `check` holds (the UI updates asynchronously), or fails with `what`.
    pub async fn until<F, Fut>(&self, what: &str, mut check: F) -> Res<()>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Res<bool>>,
    {
        trace("until", what);
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match check().await {
                Ok(true) => return Ok(()),
                Ok(false) | Err(_) if Instant::now() < deadline => tokio::time::sleep(Duration::from_millis(100)).await,
                Ok(false) => return Err(format!("timed out waiting for: {what}").into()),
                // The debug form names WebDriver's error kind, which its message often omits.
                Err(e) => return Err(format!("waiting for {what}: {e} ({e:?})").into()),
            }
        }
    }

    /// Whether the element is seen whole: inside the window and inside every ancestor that
    /// clips what overflows it.
    pub async fn shown_whole(&self, css: &str) -> Res<bool> {
        let el = self.find(css).await?;
        let whole = self
            .client
            .execute(
                "const e = arguments[0]; const r = e.getBoundingClientRect();
                 const inside = (b) => r.left >= b.left - 0.5 && r.right <= b.right + 0.5 && r.top >= b.top - 0.5 && r.bottom <= b.bottom + 0.5;
                 if (r.width === 0 || r.height === 0 || !inside({left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight})) return false;
                 for (let p = e.parentElement; p; p = p.parentElement) {
                   const s = getComputedStyle(p);
                   if ((s.overflowX !== 'visible' || s.overflowY !== 'visible') && !inside(p.getBoundingClientRect())) return false;
                 }
                 return true;",
                vec![serde_json::to_value(&el)?],
            )
            .await
            .map_err(|e| step("measuring", css, e))?;
        Ok(whole.as_bool() == Some(true))
    }

    /// Types into an input as a person would (the UI reacts to each input event).
    pub async fn type_into(&self, css: &str, text: &str) -> Res<()> {
        let el = self.find(css).await?;
        el.clear().await.map_err(|e| step("clearing", css, e))?;
        if text.is_empty() {
            // Clearing does not fire an input event in WebKit; a key and Backspace does.
            el.send_keys(" \u{E003}").await.map_err(|e| step("typing into", css, e))?;
        } else {
            el.send_keys(text).await.map_err(|e| step("typing into", css, e))?;
        }
        Ok(())
    }

    /// A picture of the window for the record. WebKitWebDriver now and then answers a
    /// snapshot taken mid-repaint with an empty «unknown error»; a picture is not what a flow
    /// tests, so it is asked for again before the failure counts.
    pub async fn screenshot(&self, name: &str) -> Res<PathBuf> {
        let mut tries = 0;
        let png = loop {
            match self.client.screenshot().await {
                Ok(png) => break png,
                Err(_) if tries < 3 => {
                    tries += 1;
                    tokio::time::sleep(Duration::from_millis(300)).await;
                }
                Err(e) => return Err(step("taking the screenshot", name, e)),
            }
        };
        let path = artifacts().join(format!("{name}.png"));
        std::fs::write(&path, png)?;
        Ok(path)
    }

    pub async fn sign_in_as(&self, login: &str) -> Res<()> {
        self.click(&format!("#use-{login}")).await?;
        self.click("#sign-in").await?;
        self.find("#nav-registry").await?;
        Ok(())
    }

    /// Ends the session (the driver closes the app); an app that does not end within a
    /// minute fails the test instead of hanging the suite.
    pub async fn close(self) -> Res<()> {
        trace("close", "the app");
        tokio::time::timeout(Duration::from_secs(60), self.client.close()).await.map_err(|_| "the app did not close within 60 s")??;
        Ok(())
    }
}
