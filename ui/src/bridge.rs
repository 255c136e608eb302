//! Calls into the desktop shell through Tauri's global `invoke`.

use baqsha_api::calls::Call;
use baqsha_api::ApiError;
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], catch)]
    async fn invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(s: &str);
}

/// The arguments Tauri hands to a command: its one parameter, `request`.
#[derive(Serialize)]
struct Args<'a, C> {
    request: &'a C,
}

/// Sends a call to the shell command of its name and reads the answer its type declares.
/// Each call is measured on the page's timeline under its command's name
/// (`clock::measure`), so a slow screen can be read in the web inspector and by the benchmarks.
pub async fn call<C: Call>(request: &C) -> Result<C::Answer, ApiError> {
    let start = format!("{}>", C::NAME);
    crate::clock::mark(&start);
    let answer = send(request).await;
    crate::clock::measure(C::NAME, &start);
    if matches!(answer, Err(ApiError::NotSignedIn)) {
        SIGNED_OUT.with(|cb| cb.borrow().as_ref().map(|cb| cb.emit(())));
    }
    answer
}

thread_local! {
    static SIGNED_OUT: std::cell::RefCell<Option<yew::Callback<()>>> = const { std::cell::RefCell::new(None) };
}

/// What to do when the shell says nobody is signed in any more (the session ended idle, or
/// the computer was locked): the frame goes back to «Кіру», leaving nothing personal shown.
pub fn on_signed_out(cb: yew::Callback<()>) {
    SIGNED_OUT.with(|c| *c.borrow_mut() = Some(cb));
}

async fn send<C: Call>(request: &C) -> Result<C::Answer, ApiError> {
    let cmd = C::NAME;
    let args = serde_wasm_bindgen::to_value(&Args { request }).map_err(|e| {
        console_error(&format!("{cmd}: cannot encode arguments: {e}"));
        ApiError::Internal
    })?;
    match invoke(cmd, args).await {
        Ok(v) => serde_wasm_bindgen::from_value(v).map_err(|e| {
            console_error(&format!("{cmd}: cannot decode the answer: {e}"));
            ApiError::Internal
        }),
        Err(e) => Err(serde_wasm_bindgen::from_value(e.clone()).unwrap_or_else(|_| {
            console_error(&format!("{cmd}: {e:?}"));
            ApiError::Internal
        })),
    }
}
