"""Drive the palette studio in a real browser: the server, Chromium, and the page.

Shared by the browser tests (``tests/browser``) and the scripts in ``bench/``.
Nothing here imports pytest.

* :class:`StreamlitServer` starts ``streamlit run app.py`` on 127.0.0.1 on a
  free port, waits for ``/_stcore/health`` to answer ``ok``, reads its
  resident memory, and stops it by its own PID.
* :func:`launch_chromium` starts Debian's ``/usr/bin/chromium`` (never a
  downloaded Playwright browser).
* The page helpers (sync API) act as a person would: upload through the file
  input, press arrow keys on the k slider, click page links, read the
  swatches' hex codes, and wait until the script is idle before asserting.
"""

from __future__ import annotations

import functools
import io
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "tests" / "output"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
#: Added by :func:`launch_chromium` unless asked for WebGL. Without a GPU,
#: Chromium renders the Palette page's 3D Plotly cloud (WebGL) in software:
#: about 2 s of CPU per rerun, on the same 2 cores as the server. The cloud sits
#: in a collapsed expander, so screenshots are the same either way.
NO_WEBGL_ARGS = ["--disable-webgl", "--disable-3d-apis"]
VIEWPORT = {"width": 1400, "height": 1000}

#: Generous limits: a palette takes seconds on a 2-core machine, more under load.
TIMEOUT_S = 90.0

# Selectors of the UI (see the report for the ones that would be better as stable test ids).
SCRIPT_STATE = "[data-test-script-state]"
SWATCH = ".swatch"
SWATCH_HEX = ".swatch .swatch-hex"
FILE_INPUT = '[data-testid="stFileUploader"] input[type="file"]'
ERROR_ALERT = '[data-testid="stAlertContentError"]'
K_LABEL = "k, the number of colours"
STILLS_LABEL = "Working still"
HEADINGS = {"": "Palette", "Compare_k": "Compare k", "Choose_k": "Choose k", "Library": "Library"}


# --------------------------------------------------------------------------- server


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_kib(pid: int) -> int:
    """Resident memory of a process in KiB (``VmRSS`` in ``/proc/<pid>/status``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


class StreamlitServer:
    """``streamlit run app.py`` on 127.0.0.1:<free port>, owned by this object.

    Use as a context manager, or call :meth:`start` and :meth:`stop`. The
    server's output goes to ``tests/output/logs/server-<port>.log``. The file
    watcher is off, as on a production server: the code under test is the
    code that was there when the server started. ``env`` adds to the
    server's environment, e.g. ``{"PALETTE_STUDIO_DB": path}`` for the
    project database.
    """

    def __init__(
        self,
        *,
        port: int | None = None,
        log_dir: Path | None = None,
        extra_args: tuple[str, ...] = (),
        env: dict[str, str] | None = None,
    ):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = (log_dir or OUTPUT / "logs") / f"server-{self.port}.log"
        self.extra_args = tuple(extra_args)
        self.env = dict(env or {})
        self.process: subprocess.Popen | None = None
        self._log = None

    @property
    def pid(self) -> int:
        assert self.process is not None, "server not started"
        return self.process.pid

    def start(self, timeout: float = 60.0) -> StreamlitServer:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "wb")
        command = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless=true",
            "--server.address=127.0.0.1",
            f"--server.port={self.port}",
            "--browser.gatherUsageStats=false",
            # No reloading of the app's modules while it serves: a source file
            # saved mid-run (someone editing) otherwise re-imports kmeans_core
            # under running sessions and fails them (AttributeError, pickling
            # and class-identity errors, import deadlocks).
            "--server.fileWatcherType=none",
            *self.extra_args,
        ]
        env = dict(os.environ, PYTHONUNBUFFERED="1", **self.env)
        self.process = subprocess.Popen(
            command, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env
        )
        try:
            self.wait_healthy(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def healthy(self, timeout: float = 5.0) -> bool:
        """Whether ``/_stcore/health`` answers ``ok`` right now."""
        try:
            with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=timeout) as response:
                return response.status == 200 and response.read().strip() == b"ok"
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            return False

    def wait_healthy(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(
                    f"streamlit exited with code {self.process.returncode} before it was healthy:\n{self.log_tail()}"
                )
            if self.healthy(timeout=2.0):
                return
            time.sleep(0.2)
        raise TimeoutError(f"{self.url}/_stcore/health did not answer 'ok' within {timeout:.0f} s:\n{self.log_tail()}")

    def rss_kib(self) -> int:
        return rss_kib(self.pid)

    def log_tail(self, n: int = 40) -> str:
        if self._log is not None:
            self._log.flush()
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return "(no log)"
        return "\n".join(lines[-n:])

    def log_text(self) -> str:
        if self._log is not None:
            self._log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        """Terminate the server by its own PID; kill it if it does not exit."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None
        self._stopped_pid = process.pid if process is not None else None

    def __enter__(self) -> StreamlitServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# --------------------------------------------------------------------------- browser


def webgl_wanted() -> bool:
    """Whether tests should keep WebGL on (``PALETTE_BROWSER_WEBGL=1``)."""
    return os.environ.get("PALETTE_BROWSER_WEBGL", "") not in ("", "0")


def launch_chromium(playwright, *, webgl: bool | None = None, **kwargs):
    """Debian's Chromium, headless, through a sync or async Playwright object.

    ``webgl=None`` follows ``PALETTE_BROWSER_WEBGL`` (off by default, see
    :data:`NO_WEBGL_ARGS`); the timing bench passes ``webgl=True``.
    """
    webgl = webgl_wanted() if webgl is None else webgl
    args = CHROMIUM_ARGS if webgl else [*CHROMIUM_ARGS, *NO_WEBGL_ARGS]
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=args, **kwargs)


# --------------------------------------------------------------------------- stills


def jpeg_bytes(array, *, quality: int = 90, size: tuple[int, int] | None = None) -> bytes:
    """An RGB array as JPEG bytes, optionally resized to ``size`` (width, height)."""
    from PIL import Image

    image = Image.fromarray(array)
    if size is not None:
        image = image.resize(size, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def skimage_photo(name: str):
    """A colour photo from ``skimage.data`` (bundled with scikit-image, no download)."""
    import skimage.data

    return getattr(skimage.data, name)()


@functools.lru_cache(maxsize=256)
def expected_hexes(data: bytes, k: int) -> tuple[str, ...]:
    """``kmeans_core``'s palette for these bytes with the app's default settings."""
    import kmeans_core as kc

    still = kc.load_still(data)
    return tuple(kc.extract_palette(still, k, space="lab", init="k-means++", seed=0).hex)


def parse_gpl(text: str) -> list[str]:
    """The colours of a GIMP palette as ``#RRGGBB`` codes, in file order."""
    lines = text.splitlines()
    assert lines and lines[0].strip() == "GIMP Palette", f"not a GIMP palette: {lines[:1]!r}"
    colours = []
    for line in lines[1:]:
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or ":" in stripped.split("\t")[0]:
            continue  # blank, comment, or a "Name:" / "Columns:" header
        r, g, b = (int(v) for v in stripped.split()[:3])
        assert all(0 <= v <= 255 for v in (r, g, b)), line
        colours.append(f"#{r:02X}{g:02X}{b:02X}")
    return colours


# --------------------------------------------------------------------------- page (sync API)

# Swatches count only when drawn by the current script run: Streamlit marks
# elements left from the previous run with ``data-stale="true"``.

#: True once the named still is chosen in "Working still" and k fresh swatches are drawn.
STILL_SHOWN_JS = """
([name, k]) => {
  const group = [...document.querySelectorAll('[role="radiogroup"]')]
    .find(g => (g.getAttribute('aria-label') || '') === 'Working still');
  const input = group && group.querySelector('input:checked');
  const label = input && input.closest('label');
  const all = document.querySelectorAll('.swatch');
  const fresh = [...all].filter(s => (s.closest('[data-stale]')?.getAttribute('data-stale')) !== 'true');
  return !!label && label.innerText.trim() === name && all.length === k && fresh.length === k;
}
"""

#: True once exactly n swatches are drawn and none is left from the previous run.
SWATCH_COUNT_JS = """
(n) => {
  const all = document.querySelectorAll('.swatch');
  const fresh = [...all].filter(s => (s.closest('[data-stale]')?.getAttribute('data-stale')) !== 'true');
  return all.length === n && fresh.length === n;
}
"""

#: "shown" once k fresh swatches are drawn; "lost" when the script is idle and
#: the slider does not show k (a key press was lost), 600 ms after ``sinceMs``.
K_SHOWN_OR_LOST_JS = """
([k, sinceMs]) => {
  const all = document.querySelectorAll('.swatch');
  const fresh = [...all].filter(s => (s.closest('[data-stale]')?.getAttribute('data-stale')) !== 'true');
  if (all.length === k && fresh.length === k) return 'shown';
  const state = document.querySelector('[data-test-script-state]')?.getAttribute('data-test-script-state');
  const thumb = document.querySelector('[data-testid="stSlider"] input[type="range"]');
  const value = thumb ? Number(thumb.getAttribute('aria-valuetext') || thumb.value) : NaN;
  if (state === 'notRunning' && value !== k && performance.now() - sinceMs > 600) return 'lost';
  return false;
}
"""

#: True once the script state has been ``notRunning`` for ``settleMs``.
IDLE_JS = """
([settleMs]) => {
  const el = document.querySelector('[data-test-script-state]');
  const now = performance.now();
  if (!el || el.getAttribute('data-test-script-state') !== 'notRunning') {
    window.__paletteIdleSince = null;
    return false;
  }
  if (window.__paletteIdleSince == null) window.__paletteIdleSince = now;
  return now - window.__paletteIdleSince >= settleMs;
}
"""


def wait_idle(page, *, settle: float = 0.4, timeout: float = TIMEOUT_S) -> None:
    """Wait until the app's script state is ``notRunning`` and stays so for ``settle`` s."""
    page.evaluate("() => { window.__paletteIdleSince = null; }")
    page.wait_for_function(IDLE_JS, arg=[settle * 1000], polling=50, timeout=timeout * 1000)


def open_app(page, base_url: str, path: str = "", *, swatches: bool | None = None) -> None:
    """Open a page of the app and wait until it has run (and, on Palette, shows swatches)."""
    page.goto(f"{base_url}/{path}")
    heading = HEADINGS[path]
    page.get_by_role("heading", name=heading, exact=True, level=1).wait_for(timeout=TIMEOUT_S * 1000)
    if swatches if swatches is not None else path == "":
        page.locator(SWATCH).first.wait_for(timeout=TIMEOUT_S * 1000)
    wait_idle(page)


def go_to(page, label: str) -> None:
    """Click a page link in the sidebar and wait for that page's heading."""
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name=label, exact=True).click()
    page.get_by_role("heading", name=label, exact=True, level=1).wait_for(timeout=TIMEOUT_S * 1000)
    wait_idle(page)


def swatch_hexes(page) -> list[str]:
    """The hex texts of the swatches on screen, in order."""
    return [text.strip().upper() for text in page.locator(SWATCH_HEX).all_inner_texts()]


def swatch_data_hexes(page) -> list[str]:
    return page.locator(SWATCH).evaluate_all("els => els.map(e => e.dataset.hex.toUpperCase())")


def slider(page):
    """The k slider's thumb (a range input, whose implicit ARIA role is slider)."""
    return page.get_by_role("slider", name=K_LABEL)


def slider_value(page) -> int:
    return int(slider(page).get_attribute("aria-valuetext") or slider(page).input_value())


def press_k(page, key: str, times: int = 1) -> None:
    """Focus the k slider's thumb and press an arrow key, as a keyboard user would."""
    thumb = slider(page)
    thumb.focus()
    for _ in range(times):
        page.keyboard.press(key)


def set_k(page, k: int, *, attempts: int = 3, timeout: float = TIMEOUT_S) -> None:
    """Move the k slider to ``k`` with arrow keys, then wait for k fresh swatches.

    Should a press be lost while a rerun is in flight (the app used to push
    its k back onto the slider; ``test_fast_arrow_presses_are_not_lost``
    guards that), this presses again until the slider shows ``k``, as a user
    who looks at it would; the load figures then include the correction.
    """
    for _ in range(attempts):
        current = slider_value(page)
        since = page.evaluate("() => performance.now()")
        if current != k:
            press_k(page, "ArrowRight" if k > current else "ArrowLeft", times=abs(k - current))
        outcome = page.wait_for_function(
            K_SHOWN_OR_LOST_JS, arg=[k, since], polling=20, timeout=timeout * 1000
        ).json_value()
        if outcome == "shown":
            break
    else:
        raise AssertionError(f"the k slider did not reach {k} in {attempts} attempts (it shows {slider_value(page)})")
    wait_idle(page)


def wait_for_swatch_count(page, n: int, timeout: float = TIMEOUT_S) -> None:
    page.wait_for_function(SWATCH_COUNT_JS, arg=n, polling=50, timeout=timeout * 1000)


def working_still(page) -> str:
    """The name of the chosen still in the sidebar's "Working still" radio."""
    group = page.get_by_role("radiogroup", name=STILLS_LABEL)
    checked = group.locator("input:checked")
    return checked.evaluate("el => el.closest('label').innerText").strip()


def still_names(page) -> list[str]:
    """Every still listed in the sidebar, in order."""
    group = page.get_by_role("radiogroup", name=STILLS_LABEL)
    group.locator("label").first.wait_for(timeout=TIMEOUT_S * 1000)
    return [t.strip() for t in group.locator("label").all_inner_texts()]


def upload(page, files) -> None:
    """Put files in the uploader's file input: paths, or dicts with name/mimeType/buffer."""
    page.locator(FILE_INPUT).set_input_files(files)


def wait_for_still(page, name: str, k: int, timeout: float = TIMEOUT_S) -> None:
    """Wait until ``name`` is the working still and its k swatches are drawn, then until idle."""
    page.wait_for_function(
        STILL_SHOWN_JS,
        arg=[name, k],
        polling=50,
        timeout=timeout * 1000,
    )
    wait_idle(page, timeout=timeout)


def full_page_screenshot(page, path: Path) -> Path:
    """A screenshot of the whole page at 1400 px wide.

    Streamlit scrolls inside its main section, not the document, so a
    ``full_page`` screenshot alone would stop at the viewport. The viewport is
    grown to the content's height for the shot and then put back.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size or VIEWPORT
    height = page.evaluate(
        """() => Math.max(
             document.documentElement.scrollHeight,
             ...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stSidebarContent"]')]
               .map(el => el.scrollHeight))"""
    )
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(int(height) + 40, 12000))})
    try:
        page.wait_for_timeout(400)
        wait_idle(page)
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(size)
    return path
