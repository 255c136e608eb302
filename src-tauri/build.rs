fn main() {
    // Re-embed the UI whenever its build output changes.
    println!("cargo:rerun-if-changed=ui/dist");
    tauri_build::build()
}
