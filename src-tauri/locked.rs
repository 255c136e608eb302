//! The computer locked (Win+L, a screen saver with a password, a remote session left): the
//! signed-in session ends, so whoever unlocks it signs in again. Windows says whether its
//! session is locked; asking every few seconds needs no window-message hook.

use crate::state::AppState;
use tauri::Manager;

pub fn watch(app: &tauri::AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let mut was_locked = false;
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(3)).await;
            let locked = is_locked();
            if locked && !was_locked {
                app.state::<AppState>().end_session("the computer was locked").await;
            }
            was_locked = locked;
        }
    });
}

#[cfg(windows)]
fn is_locked() -> bool {
    use windows_sys::Win32::System::RemoteDesktop::{
        WTSFreeMemory, WTSQuerySessionInformationW, WTSSessionInfoEx, WTSINFOEXW, WTS_CURRENT_SERVER_HANDLE, WTS_CURRENT_SESSION, WTS_SESSIONSTATE_LOCK,
    };
    let mut buffer: windows_sys::core::PWSTR = std::ptr::null_mut();
    let mut bytes = 0u32;
    // SAFETY: the buffer is allocated by WTS, read only if the call succeeded and is at least
    // one WTSINFOEXW long, and freed with WTSFreeMemory.
    unsafe {
        if WTSQuerySessionInformationW(WTS_CURRENT_SERVER_HANDLE, WTS_CURRENT_SESSION, WTSSessionInfoEx, &mut buffer, &mut bytes) == 0 || buffer.is_null() {
            return false;
        }
        let locked = bytes as usize >= std::mem::size_of::<WTSINFOEXW>() && {
            let info = &*(buffer as *const WTSINFOEXW);
            info.Level == 1 && info.Data.WTSInfoExLevel1.SessionFlags as u32 == WTS_SESSIONSTATE_LOCK
        };
        WTSFreeMemory(buffer.cast());
        locked
    }
}

/// Elsewhere (Linux: the tests and development) there is no one call for it; the idle time
/// still ends the session.
#[cfg(not(windows))]
fn is_locked() -> bool {
    false
}
