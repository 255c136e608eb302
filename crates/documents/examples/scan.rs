//! Prints the QR codes found in image files: `cargo run --example scan -- page.png`.
fn main() {
    for path in std::env::args().skip(1) {
        match std::fs::read(&path).map_err(|e| e.to_string()).and_then(|b| baqsha_documents::scan::read_codes(&b).map_err(|e| e.to_string())) {
            Ok(codes) => println!("{path}: {codes:?}"),
            Err(e) => println!("{path}: {e}"),
        }
    }
}
