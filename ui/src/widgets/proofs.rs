//! «Шолу»: the JPEG proofs of a benefit, each checked before it is read (size), by the core
//! (its first bytes) and again by the desk. The wizard's step 4 and «Өзгерту» share it.

use crate::bridge::call;
use crate::i18n::I18n;
use baqsha_api::{calls, ApiError, ProofInfo};
use baqsha_core::proof::{self, ProofPolicy};
use baqsha_i18n::Arg;
use base64::Engine;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq)]
pub enum ProofEvent {
    /// A file is being read and sent.
    Busy,
    Added(ProofInfo),
    Removed(String),
    Refused(ApiError),
}

/// Reads the chosen files one by one after the `before` proofs already there.
fn add_files(before: usize, input: HtmlInputElement, on: Callback<ProofEvent>) {
    let Some(list) = input.files() else { return };
    let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
    input.set_value("");
    wasm_bindgen_futures::spawn_local(async move {
        let policy = ProofPolicy::default();
        for (i, file) in files.into_iter().enumerate() {
            let size = file.size() as u64;
            let too_large = if size > policy.max_bytes { Err(proof::ProofError::TooLarge { size, max: policy.max_bytes }) } else { Ok(()) };
            if let Err(p) = proof::check_count(before + i, &policy).and(too_large) {
                on.emit(ProofEvent::Refused(ApiError::Proof { proof: p }));
                return;
            }
            on.emit(ProofEvent::Busy);
            let bytes = match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                Ok(buf) => js_sys::Uint8Array::new(buf.unchecked_ref()).to_vec(),
                Err(_) => {
                    on.emit(ProofEvent::Refused(ApiError::InvalidInput { field: "proof".into() }));
                    return;
                }
            };
            if let Err(p) = proof::check(bytes.len() as u64, &bytes[..bytes.len().min(16)], &policy) {
                on.emit(ProofEvent::Refused(ApiError::Proof { proof: p }));
                return;
            }
            let data = base64::engine::general_purpose::STANDARD.encode(&bytes);
            match call(&calls::AddProof { name: file.name(), data }).await {
                Ok(p) => on.emit(ProofEvent::Added(p)),
                Err(e) => {
                    on.emit(ProofEvent::Refused(e));
                    return;
                }
            }
        }
    });
}

/// The heading, «Шолу», the limits and the list with «Өшіру». `prefix` names the ids.
pub fn proof_picker(i18n: &I18n, prefix: &str, proofs: &[ProofInfo], busy: bool, on: &Callback<ProofEvent>) -> Html {
    let policy = ProofPolicy::default();
    let on_files = {
        let (on, before) = (on.clone(), proofs.len());
        Callback::from(move |e: Event| {
            if let Some(i) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) {
                add_files(before, i, on.clone());
            }
        })
    };
    html! {
        <>
            <h3>{ i18n.t("wz-proofs") }</h3>
            <label class="file-button"><span>{ i18n.t("wz-browse") }</span>
                <input type="file" id={format!("{prefix}-proof-input")} accept=".jpg,.jpeg,image/jpeg" multiple=true onchange={on_files} disabled={busy} />
            </label>
            <p class="muted">{ i18n.tr.t_args("wz-proofs-limit", &[("mb", Arg::Num((policy.max_bytes / 1_048_576) as i64)), ("max", Arg::Num(policy.max_count as i64))]) }</p>
            <ul class="wz-proofs" id={format!("{prefix}-proofs")}>
                { for proofs.iter().map(|p| {
                    let remove = on.reform({ let id = p.id.clone(); move |_: MouseEvent| ProofEvent::Removed(id.clone()) });
                    html! {
                        <li class="wz-proof">
                            <span>{ &p.name }{ format!(" ({} KB)", p.size.div_ceil(1024)) }</span>
                            <button type="button" class="ghost" onclick={remove}>{ i18n.t("wz-remove") }</button>
                        </li>
                    }
                }) }
            </ul>
        </>
    }
}
