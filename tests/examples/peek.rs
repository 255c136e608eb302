//! Starts the app on a given database and saves a screenshot and the page source: for looking
//! at the app by hand (`cargo run -p baqsha-e2e --example peek -- DB NAME [login]`).

use baqsha_e2e::{Res, TestApp};

#[tokio::main]
async fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().collect();
    let db = std::path::PathBuf::from(args.get(1).ok_or("DB path")?);
    let name = args.get(2).cloned().unwrap_or_else(|| "peek".into());
    let app = TestApp::start(&db).await?;
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    if let Some(login) = args.get(3) {
        app.sign_in_as(login).await?;
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    }
    let probe = app
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const t = typeof window.__TAURI__;
             import('./ui.js').then(m => m.default()).then(() => done('tauri: ' + t + ', init ok'), e => done('tauri: ' + t + ', init failed: ' + e + ' ' + (e && e.stack)));",
            vec![],
        )
        .await;
    println!("probe: {probe:?}");
    let shot = app.screenshot(&name).await;
    let src = app.client.source().await;
    println!("{shot:?}\n{}", src.unwrap_or_default().chars().take(3000).collect::<String>());
    app.close().await
}
