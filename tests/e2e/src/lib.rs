//! Helpers for driving the real `vocwb-app` window through tauri-driver (WebDriver).
//!
//! [`App::launch`] starts `tauri-driver` (which starts WebKitWebDriver, which starts the app)
//! with a private temporary home, so every test is hermetic.
//! Helpers are split as in the leptos e2e examples: [`find`] locates, [`action`] acts,
//! [`check`] waits for an expected state.
//!
//! Needs: `APP_BIN` (absolute path of the built `vocwb-app`), `tauri-driver` on PATH,
//! `WebKitWebDriver`, and a display (`xvfb-run -a`); `scripts/e2e.sh` arranges all of it.

use fantoccini::{Client, ClientBuilder};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub use fantoccini;

/// How long any single wait may take before the test fails.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// A private place for one test: the app's demo dir, config dir and data dir, plus room
/// for the test's own files. Kept across relaunches to test what persists.
pub struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    pub fn new() -> Home {
        let dir = tempfile::Builder::new().prefix("vocwb-e2e-").tempdir().expect("temp dir");
        for sub in ["data", "xdg-config"] {
            std::fs::create_dir_all(dir.path().join(sub)).expect("home subdir");
        }
        Home { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Where the app builds the demo project (`VOCWB_DEMO_DIR`).
    pub fn demo_dir(&self) -> PathBuf {
        self.path().join("demo")
    }

    /// Where the app keeps its recent-projects list (`VOCWB_CONFIG_DIR`).
    pub fn config_dir(&self) -> PathBuf {
        self.path().join("config")
    }

    /// Room for the test's own files.
    pub fn work(&self, name: &str) -> PathBuf {
        let p = self.path().join("work");
        std::fs::create_dir_all(&p).expect("work dir");
        p.join(name)
    }
}

impl Default for Home {
    fn default() -> Self {
        Self::new()
    }
}

/// A running app window and the WebDriver session driving it.
pub struct App {
    pub client: Client,
    driver: Driver,
    /// When the session was requested, i.e. just before the app was launched.
    pub launched_at: Instant,
}

impl App {
    /// Launches the app with `args` in `home`.
    pub async fn launch(home: &Home, args: &[&str]) -> App {
        let app_bin = app_bin();
        let (port, native_port) = free_port_pair();
        let mut cmd = Command::new("tauri-driver");
        cmd.args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            // tauri-driver -> WebKitWebDriver -> the app all inherit this environment.
            .env("VOCWB_DEMO_DIR", home.demo_dir())
            .env("VOCWB_CONFIG_DIR", home.config_dir())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_CONFIG_HOME", home.path().join("xdg-config"))
            .env("GSETTINGS_BACKEND", "memory")
            .stdin(Stdio::null())
            .stdout(Stdio::null());
        if std::env::var_os("VOCWB_E2E_QUIET").is_some() {
            cmd.stderr(Stdio::null());
        }
        let child = cmd.spawn().expect("could not start tauri-driver (run scripts/setup.sh; is it on PATH?)");
        let driver = Driver(child);
        wait_for_port(port);

        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "wry".into());
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": app_bin, "args": args }),
        );
        let launched_at = Instant::now();
        let client = ClientBuilder::native()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("WebDriver session (is there a display? use xvfb-run -a)");
        App { client, driver, launched_at }
    }

    /// Ends the session (which closes the window) and stops tauri-driver.
    pub async fn close(self) {
        let App { client, driver, .. } = self;
        let _ = client.close().await;
        drop(driver);
    }

    /// Saves a screenshot of the window to `tests/artifacts/<name>.png`.
    pub async fn screenshot(&self, name: &str) {
        // WebKit's screenshot can show an older frame: let the page paint what the DOM has.
        let _ = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 300)));",
                vec![],
            )
            .await;
        let png = self.client.screenshot().await.expect("screenshot");
        let dir = artifacts_dir();
        std::fs::create_dir_all(&dir).expect("artifacts dir");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
    }
}

/// tauri-driver, stopped with SIGTERM so that it stops WebKitWebDriver (and so the app) too;
/// SIGKILL would leave WebKitWebDriver running.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg("-TERM").arg(self.0.id().to_string()).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The app binary under test, from `APP_BIN`.
pub fn app_bin() -> PathBuf {
    let p = PathBuf::from(
        std::env::var_os("APP_BIN").expect("set APP_BIN to the absolute path of the built vocwb-app (scripts/e2e.sh does)"),
    );
    assert!(p.is_absolute() && p.is_file(), "APP_BIN={} is not an absolute path to a file", p.display());
    p
}

/// The repository's `assets/` folder.
pub fn assets_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets")
}

/// Where screenshots go (`tests/artifacts/`, git-ignored).
pub fn artifacts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../artifacts")
}

/// Two consecutive free ports (tauri-driver's and WebKitWebDriver's).
fn free_port_pair() -> (u16, u16) {
    for _ in 0..100 {
        let Ok(l) = TcpListener::bind("127.0.0.1:0") else { continue };
        let Ok(addr) = l.local_addr() else { continue };
        let port = addr.port();
        if port < u16::MAX && TcpListener::bind(("127.0.0.1", port + 1)).is_ok() {
            drop(l);
            return (port, port + 1);
        }
    }
    panic!("no two free consecutive ports on 127.0.0.1");
}

fn wait_for_port(port: u16) {
    let deadline = Instant::now() + TIMEOUT;
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("tauri-driver did not listen on port {port}");
}

/// Locating elements (waiting until they appear).
pub mod find {
    use super::{App, TIMEOUT};
    use fantoccini::elements::Element;
    use fantoccini::Locator;

    /// The element with this id, once it exists.
    pub async fn id(app: &App, id: &str) -> Element {
        app.client
            .wait()
            .at_most(TIMEOUT)
            .for_element(Locator::Id(id))
            .await
            .unwrap_or_else(|e| panic!("no element #{id} within {TIMEOUT:?}: {e}"))
    }

    /// The element's text, once it exists.
    pub async fn text(app: &App, id: &str) -> String {
        id_text(&self::id(app, id).await).await
    }

    /// The element's text right now, if it exists (and was not redrawn while being read).
    pub async fn try_text(app: &App, id: &str) -> Option<String> {
        let el = app.client.find(Locator::Id(id)).await.ok()?;
        el.text().await.ok()
    }

    /// The element's `textContent` right now, if it exists. Unlike [`try_text`] it includes
    /// text WebDriver deems invisible (WebKitWebDriver returns nothing for line-clamped text).
    pub async fn try_content(app: &App, id: &str) -> Option<String> {
        let el = app.client.find(Locator::Id(id)).await.ok()?;
        el.prop("textContent").await.ok().flatten()
    }

    /// Whether an element with this id exists right now (no waiting).
    pub async fn exists(app: &App, id: &str) -> bool {
        app.client.find(Locator::Id(id)).await.is_ok()
    }

    async fn id_text(el: &Element) -> String {
        el.text().await.expect("element text")
    }

    /// A number as displayed (`1,234` -> 1234).
    pub async fn count(app: &App, id: &str) -> u64 {
        let t = text(app, id).await;
        t.replace(',', "").trim().parse().unwrap_or_else(|_| panic!("#{id} shows '{t}', not a count"))
    }
}

/// Doing things a person does.
pub mod action {
    use super::{find, App};

    /// Clicks the element, trying again if the page redrew it between finding and clicking.
    pub async fn click(app: &App, id: &str) {
        find::id(app, id).await;
        // Centre it first, so WebDriver has no scrolling left to do: a click on a button at the
        // window's bottom edge once did nothing in CI (frame_add_code_publish_and_diff).
        let centre = "document.getElementById(arguments[0]).scrollIntoView({ block: 'center', inline: 'nearest' });";
        app.client.execute(centre, vec![id.into()]).await.unwrap_or_else(|e| panic!("scroll #{id} into view: {e}"));
        let deadline = std::time::Instant::now() + super::TIMEOUT;
        loop {
            match find::id(app, id).await.click().await {
                Ok(()) => return,
                Err(e) if std::time::Instant::now() < deadline => {
                    let _ = e;
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                Err(e) => panic!("click #{id}: {e}"),
            }
        }
    }

    /// Replaces the text of an input with `text`.
    pub async fn type_into(app: &App, id: &str, text: &str) {
        let el = find::id(app, id).await;
        el.clear().await.unwrap_or_else(|e| panic!("clear #{id}: {e}"));
        el.send_keys(text).await.unwrap_or_else(|e| panic!("type into #{id}: {e}"));
    }

    /// Presses Enter in an element (submits its form).
    pub async fn press_enter(app: &App, id: &str) {
        find::id(app, id).await.send_keys("\u{E007}").await.unwrap_or_else(|e| panic!("Enter in #{id}: {e}"));
    }

    /// Chooses the option with `value` in a select, as picking it would (fires `input` and `change`).
    ///
    /// **Limitations:** WebKitWebDriver cannot open a native select popup, so this sets the
    /// value by script and dispatches the events the page listens to.
    pub async fn select(app: &App, id: &str, value: &str) {
        find::id(app, id).await;
        let script = "const s = document.getElementById(arguments[0]);
            if (![...s.options].some(o => o.value === arguments[1])) return 'no option ' + arguments[1];
            s.value = arguments[1];
            s.dispatchEvent(new Event('input', { bubbles: true }));
            s.dispatchEvent(new Event('change', { bubbles: true }));
            return 'ok';";
        let r = app.client.execute(script, vec![id.into(), value.into()]).await.expect("select script");
        assert_eq!(r.as_str(), Some("ok"), "select #{id} = {value}: {r}");
    }
}

/// Waiting for an expected state.
pub mod check {
    use super::{find, App, TIMEOUT};
    use std::time::{Duration, Instant};

    /// Waits until the element's text equals `expected`.
    pub async fn text(app: &App, id: &str, expected: &str) {
        let deadline = Instant::now() + TIMEOUT;
        let mut last = String::new();
        while Instant::now() < deadline {
            if let Some(t) = find::try_text(app, id).await {
                last = t;
                if last == expected {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("#{id} shows {last:?}, expected {expected:?}");
    }

    /// Waits until the element's content (`textContent`) contains `needle`.
    pub async fn text_contains(app: &App, id: &str, needle: &str) {
        let deadline = Instant::now() + TIMEOUT;
        let mut last = String::new();
        while Instant::now() < deadline {
            if let Some(t) = find::try_content(app, id).await {
                last = t;
                if last.contains(needle) {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("#{id} shows {last:?}, which lacks {needle:?}");
    }

    /// Waits until the displayed count equals `expected`.
    pub async fn count(app: &App, id: &str, expected: u64) {
        let deadline = Instant::now() + TIMEOUT;
        let mut last = None;
        while Instant::now() < deadline {
            if let Some(t) = find::try_text(app, id).await {
                let n = t.replace(',', "").trim().parse::<u64>().ok();
                if n == Some(expected) {
                    return;
                }
                last = Some(t);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("#{id} shows {last:?}, expected {expected}");
    }

    /// Waits until the select has `expected` chosen.
    pub async fn selected(app: &App, id: &str, expected: &str) {
        let deadline = Instant::now() + TIMEOUT;
        let mut last = None;
        while Instant::now() < deadline {
            if let Ok(el) = app.client.find(fantoccini::Locator::Id(id)).await {
                if let Ok(v) = el.prop("value").await {
                    if v.as_deref() == Some(expected) {
                        return;
                    }
                    last = v;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("#{id} has {last:?} selected, expected {expected:?}");
    }

    /// Waits until the element (a button or input) is enabled, e.g. when work it waits for ends.
    pub async fn enabled(app: &App, id: &str) {
        let deadline = Instant::now() + TIMEOUT;
        while Instant::now() < deadline {
            if let Ok(el) = app.client.find(fantoccini::Locator::Id(id)).await {
                if let Ok(Some(d)) = el.prop("disabled").await {
                    if d == "false" {
                        return;
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("#{id} is still disabled after {TIMEOUT:?}");
    }

    /// Waits until an element with this id is gone.
    pub async fn gone(app: &App, id: &str) {
        let deadline = Instant::now() + TIMEOUT;
        while Instant::now() < deadline {
            if !find::exists(app, id).await {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("#{id} is still there after {TIMEOUT:?}");
    }
}
