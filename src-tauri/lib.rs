//! The desktop shell: opens the local database as an office (`baqsha-app`), which seeds the
//! demo region on first start and runs its own upkeep, and exposes it to the Yew UI as thin
//! Tauri commands. No business rule lives here.

mod about;
mod commands;
mod documents;
mod locked;
mod state;

use state::AppState;
use tauri::Manager;

/// Where the database lives: `--db=PATH` or `BAQSHA_DB` if given (tests, a second office
/// profile), else the platform's app data folder (`%APPDATA%\kz.baqsha.desk` on Windows).
fn database_path(app: &tauri::App) -> std::path::PathBuf {
    if let Some(p) = db_argument() {
        return p;
    }
    if let Some(p) = std::env::var_os("BAQSHA_DB") {
        return p.into();
    }
    match app.path().app_data_dir() {
        Ok(dir) => dir.join("baqsha.sqlite"),
        Err(e) => {
            tracing::warn!("no app data folder ({e}); using the working folder");
            std::path::PathBuf::from("baqsha.sqlite")
        }
    }
}

/// `--db=PATH` runs the app on a database of its own (tests, a second office profile): such a
/// run is not the office's one instance and keeps no window geometry of its own.
fn own_database() -> bool {
    db_argument().is_some()
}

fn db_argument() -> Option<std::path::PathBuf> {
    std::env::args().find_map(|a| a.strip_prefix("--db=").map(std::path::PathBuf::from))
}

/// The log: a file in the platform's log folder (`%LOCALAPPDATA%\kz.baqsha.desk\logs` on
/// Windows), rotated at 1 MB with the last five kept, and stderr. Nothing personal is logged:
/// people appear by login, applications and referrals by id, contacts masked.
fn log_plugin() -> tauri::plugin::TauriPlugin<tauri::Wry> {
    use tauri_plugin_log::{RotationStrategy, Target, TargetKind, TimezoneStrategy};
    tauri_plugin_log::Builder::new()
        .clear_targets()
        .targets([Target::new(TargetKind::LogDir { file_name: Some("baqsha".into()) }), Target::new(TargetKind::Stderr)])
        .max_file_size(1_000_000)
        .rotation_strategy(RotationStrategy::KeepSome(5))
        .timezone_strategy(TimezoneStrategy::UseUtc)
        .level(log::LevelFilter::Info)
        .level_for("sqlx", log::LevelFilter::Warn)
        .level_for("tao", log::LevelFilter::Warn)
        .build()
}

/// On Linux without a GPU (no `/dev/dri`: a virtual machine, a remote desktop, CI), WebKit
/// would rasterise through Mesa's software GL, which costs about a tenth of a second on every
/// first paint; its CPU rasteriser is the faster path there. A setting the user made wins.
#[cfg(target_os = "linux")]
fn prefer_cpu_rendering_without_gpu() {
    const VAR: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";
    if std::env::var_os(VAR).is_none() && !std::path::Path::new("/dev/dri").exists() {
        // Before any thread starts: nothing else reads the environment yet.
        std::env::set_var(VAR, "1");
    }
}

/// A panic anywhere (the database's opening, a sync task) goes to the log with where it
/// happened: the Windows build has no console, and its text would otherwise be lost while
/// the screen only says something went wrong.
fn log_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        tracing::error!("a fault in the program: {info}");
        default(info);
    }));
}

pub fn run() {
    log_panics();
    #[cfg(target_os = "linux")]
    prefer_cpu_rendering_without_gpu();
    let mut builder = tauri::Builder::default();
    if !own_database() {
        // One window per office PC: a second start brings the first window forward.
        builder = builder
            .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
                if let Some(w) = app.get_webview_window("main") {
                    let _ = w.unminimize();
                    let _ = w.show();
                    let _ = w.set_focus();
                }
            }))
            .plugin(tauri_plugin_window_state::Builder::default().build());
    }
    let result = builder
        .plugin(log_plugin())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let path = database_path(app);
            app.manage(AppState::start(path));
            locked::watch(app.handle());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::start_info,
            about::about,
            about::open_log_folder,
            commands::start_demo,
            commands::sync_status,
            commands::sync_problems,
            commands::acknowledge_sync_problem,
            commands::join_region,
            commands::leases,
            commands::ask_lease,
            commands::set_up_office,
            commands::sign_in,
            commands::sign_out,
            commands::session,
            commands::set_language,
            commands::search_kindergartens,
            commands::map_points,
            commands::passport,
            commands::print_list,
            commands::check_referral,
            commands::check_referral_image,
            commands::check_queue,
            commands::withdraw_application,
            commands::edit_application,
            commands::print_application,
            commands::queue_page,
            commands::find_in_queue,
            commands::sent_messages,
            commands::send_messages_now,
            commands::lookup_person,
            commands::send_code,
            commands::confirm_code,
            commands::add_proof,
            commands::proof_image,
            commands::save_draft,
            commands::load_draft,
            commands::discard_draft,
            commands::submit_application,
            commands::pending_benefits,
            commands::decide_benefit,
            commands::place_choices,
            commands::take_referral,
            commands::referral_of,
            commands::find_referral,
            commands::referral_action,
            commands::print_referral,
            commands::bulletin,
            commands::groups_of,
            commands::save_group,
            commands::publish_places,
            commands::issued_referrals,
            commands::statistics_places,
            commands::statistics_allocated,
            commands::office_settings,
            commands::save_office_settings,
            commands::accounts,
            commands::save_account,
            commands::reset_password,
            commands::change_password,
            commands::set_kurban_ait,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        tracing::error!("the window could not be started: {e}");
        std::process::exit(1);
    }
}
