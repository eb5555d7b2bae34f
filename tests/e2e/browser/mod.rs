//! Real-browser tests: Debian's headless Chromium driven over WebDriver
//! (thirtyfour) through a `chromedriver` each test starts for itself.
//!
//! A machine without `chromium` and `chromedriver` fails these tests with how
//! to install them; they never pass by skipping. Every wait is a bounded
//! poll with a generous deadline (a loaded 2-core CI machine is slow), never
//! a fixed sleep.

mod billing;
mod flows;
mod song;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use thirtyfour::prelude::*;

/// How long any one wait may take before the test fails.
pub const DEADLINE: Duration = Duration::from_secs(30);
/// Between two looks at the page while waiting.
const POLL: Duration = Duration::from_millis(100);

const INSTALL: &str = "install them with `apt-get install -y chromium chromium-driver` \
     (or point CHORUS_CHROMIUM / CHORUS_CHROMEDRIVER at them)";

/// Chromium's flags: headless, and quiet on a machine without an outside
/// network (without the background-networking ones Chromium keeps trying
/// Google's hosts). Autoplay without a gesture lets a test start an <audio>.
const CHROMIUM_ARGS: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--mute-audio",
    "--autoplay-policy=no-user-gesture-required",
    "--window-size=1280,900",
];

/// A `chromedriver` on a free port, killed when dropped.
struct Chromedriver {
    child: Child,
    url: String,
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One browser, signed in as nobody yet, against one app.
pub struct Browser {
    // Dropped in this order: the session (it ends Chromium), then
    // chromedriver, then the profile directory.
    pub driver: WebDriver,
    _chromedriver: Chromedriver,
    _profile: tempfile::TempDir,
    base: String,
}

impl Browser {
    /// Starts chromedriver and a fresh Chromium profile for `base_url`.
    pub async fn start(base_url: &str) -> Browser {
        chorus_testkit::init();
        let chromium = program("CHORUS_CHROMIUM", "chromium");
        let profile = tempfile::tempdir().unwrap();
        let chromedriver = start_chromedriver(profile.path()).await;
        let mut caps = DesiredCapabilities::chrome();
        caps.set_binary(&chromium.to_string_lossy()).unwrap();
        for arg in CHROMIUM_ARGS {
            caps.add_arg(arg).unwrap();
        }
        let user_data = profile.path().join("chromium");
        caps.add_arg(&format!("--user-data-dir={}", user_data.display()))
            .unwrap();
        let driver = WebDriver::new(chromedriver.url.clone(), caps)
            .await
            .unwrap_or_else(|e| panic!("Chromium did not start through chromedriver: {e}"));
        Browser {
            driver,
            _chromedriver: chromedriver,
            _profile: profile,
            base: base_url.trim_end_matches('/').to_owned(),
        }
    }

    /// The app's address, e.g. `http://127.0.0.1:1234`.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Opens a path of the app.
    pub async fn goto(&self, path: &str) {
        self.driver
            .goto(format!("{}{path}", self.base))
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    }

    /// The current page's path and query, e.g. `/sign-in?next=/songs`.
    pub async fn path(&self) -> String {
        let url = self.driver.current_url().await.unwrap();
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        }
    }

    /// Waits until the page's path (without query) is `path`.
    pub async fn wait_for_path(&self, path: &str) {
        self.wait(&format!("the page {path}"), async |b| {
            let url = b.driver.current_url().await?;
            Ok((url.path() == path).then_some(()))
        })
        .await;
    }

    /// The first displayed element matching `css`, looked for again and
    /// again until the deadline: right after a navigation the old page may
    /// still be there, or a found element may already be stale.
    pub async fn find(&self, css: &str) -> WebElement {
        self.wait(&format!("an element {css}"), async |b| {
            for element in b.driver.find_all(By::Css(css)).await? {
                if element.is_displayed().await? {
                    return Ok(Some(element));
                }
            }
            Ok(None)
        })
        .await
    }

    /// The text of the first element matching `css`, read again if the page
    /// reloads under it (a song's page does as its song moves on).
    pub async fn text_of(&self, css: &str) -> String {
        self.wait(&format!("the text of {css}"), async |b| {
            Ok(Some(b.driver.find(By::Css(css)).await?.text().await?))
        })
        .await
    }

    /// Clicks the element matching `css` once it can be found.
    pub async fn click(&self, css: &str) {
        self.wait(&format!("a click on {css}"), async |b| {
            let element = b.find(css).await;
            // A stale element (the page changed under us) is retried.
            Ok(element.click().await.ok())
        })
        .await;
    }

    /// Follows the link matching `css` until the browser is at `path`,
    /// clicking again if a reload of the page (a song's page reloads as its
    /// song moves on) swallowed the click.
    pub async fn follow(&self, css: &str, path: &str) {
        self.wait(&format!("the link {css} to {path}"), async |b| {
            if b.driver.current_url().await?.path() == path {
                return Ok(Some(()));
            }
            if let Ok(link) = b.driver.find(By::Css(css)).await {
                let _ = link.click().await;
            }
            Ok(None)
        })
        .await;
    }

    /// Types `text` into the field matching `css`.
    pub async fn type_into(&self, css: &str, text: &str) {
        self.find(css).await.send_keys(text).await.unwrap();
    }

    /// Runs `script` (with `args`, `arguments[i]` in the script) and
    /// returns what it returns.
    pub async fn script(
        &self,
        script: &str,
        args: Vec<serde_json::Value>,
    ) -> WebDriverResult<serde_json::Value> {
        Ok(self.driver.execute(script, args).await?.json().clone())
    }

    /// Polls `probe` until it yields a value; a WebDriver error counts as
    /// "not yet" (stale elements, a page mid-load) and the last one is
    /// shown if the deadline passes.
    pub async fn wait<T>(
        &self,
        what: &str,
        mut probe: impl AsyncFnMut(&Browser) -> WebDriverResult<Option<T>>,
    ) -> T {
        let start = Instant::now();
        let mut last_error = None;
        loop {
            match probe(self).await {
                Ok(Some(value)) => return value,
                Ok(None) => {}
                Err(e) => last_error = Some(e.to_string()),
            }
            if start.elapsed() > DEADLINE {
                // Best effort: the browser may be what broke.
                let at = self.driver.current_url().await.map(|u| u.to_string());
                let shot = screenshot_dir().join(format!("timeout-{}.png", slug(what)));
                let _ = std::fs::create_dir_all(screenshot_dir());
                let _ = self.driver.screenshot(&shot).await;
                panic!(
                    "timed out after {DEADLINE:?} waiting for {what} on {at:?} \
                     (last error: {last_error:?}; screenshot {})",
                    shot.display()
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Saves the page as `<target dir>/screenshots/<name>.png`.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        self.driver.screenshot(&path).await.unwrap();
        path
    }

    /// Ends the session (and so Chromium); chromedriver goes on drop.
    pub async fn quit(self) {
        let Browser {
            driver,
            _chromedriver,
            _profile,
            ..
        } = self;
        driver.quit().await.unwrap();
    }
}

/// Where screenshots go: `screenshots/` in the target directory the test
/// binary was built in (`$CARGO_TARGET_DIR`, which CI sets, else the
/// binary's own `<target>/<profile>/deps/..`, else `./target`).
pub fn screenshot_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir).join("screenshots");
    }
    let exe = std::env::current_exe().ok();
    let target = exe
        .as_deref()
        .and_then(|exe| exe.ancestors().nth(3))
        .map(Path::to_path_buf)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("screenshots")
}

async fn start_chromedriver(logs: &Path) -> Chromedriver {
    let program = program("CHORUS_CHROMEDRIVER", "chromedriver");
    let port = free_port();
    let log = logs.join("chromedriver.log");
    let mut child = Command::new(&program)
        .arg(format!("--port={port}"))
        .arg(format!("--log-path={}", log.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("could not start {}: {e}; {INSTALL}", program.display()));
    let url = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let log = std::fs::read_to_string(&log).unwrap_or_default();
            panic!("chromedriver exited ({status}) before answering: {log}");
        }
        if let Ok(response) = http.get(format!("{url}/status")).send().await
            && let Ok(body) = response.json::<serde_json::Value>().await
            && body["value"]["ready"] == true
        {
            return Chromedriver { child, url };
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            panic!("chromedriver did not answer on {url}/status within {DEADLINE:?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `$var` if set, else `name` found on the PATH; fails with how to
/// install it when there is none.
fn program(var: &str, name: &str) -> PathBuf {
    if let Some(path) = std::env::var_os(var) {
        return PathBuf::from(path);
    }
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
        .unwrap_or_else(|| panic!("`{name}` is not installed: {INSTALL}"))
}

/// A port nobody listens on right now (the OS picks it).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn slug(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}
