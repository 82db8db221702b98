//! Start-up timing: how long from process start until the UI first painted.

use std::sync::OnceLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

static MAIN_STARTED: OnceLock<Instant> = OnceLock::new();

/// Remembers when `main` began; call first thing in `main`.
pub fn mark_main() {
    let _ = MAIN_STARTED.set(Instant::now());
}

/// Milliseconds since `main` began.
pub fn since_main_ms() -> u64 {
    MAIN_STARTED.get().map(|t| t.elapsed().as_millis() as u64).unwrap_or(0)
}

/// Milliseconds since the kernel started this process (which includes dynamic linking and
/// everything before `main`), to 10 ms.
///
/// **Limitations:** Linux only (reads `/proc`); elsewhere it falls back to [`since_main_ms`].
pub fn since_process_start_ms() -> u64 {
    process_age_ms().unwrap_or_else(since_main_ms)
}

/// Wall-clock milliseconds since the Unix epoch, so that a script can time the launch from outside.
pub fn epoch_ms() -> u128 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0)
}

fn process_age_ms() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) may contain spaces; the fields after its ')' are plain.
    let after = &stat[stat.rfind(')')? + 2..];
    // `starttime` is field 22 overall, the 20th after the name; in clock ticks since boot.
    let start_ticks: f64 = after.split_whitespace().nth(19)?.parse().ok()?;
    let uptime: f64 = std::fs::read_to_string("/proc/uptime").ok()?.split_whitespace().next()?.parse().ok()?;
    // USER_HZ is 100 on every Linux architecture's user-space ABI.
    let age = uptime - start_ticks / 100.0;
    (age >= 0.0).then_some((age * 1000.0) as u64)
}

#[cfg(test)]
mod tests {
    #[test]
    fn process_age_is_known_and_small_on_linux() {
        super::mark_main();
        if cfg!(target_os = "linux") {
            let age = super::process_age_ms().expect("/proc/self/stat readable");
            // A test process is young; this catches a wrong field index (which gives nonsense).
            assert!(age < 10 * 60 * 1000, "process age {age} ms");
        }
    }
}
