"""Many browser sessions at once against one server (Playwright's async API).

Used by ``tests/browser/test_load.py`` (4 sessions) and ``bench/load_test.py``
(8 sessions, then 100 palette requests). Each session is its own browser
context, so its own Streamlit session: it opens the app, uploads its own
photo, waits for its palette at k=8, moves k with the keyboard to its own
value, and reads back its swatches and its list of stills.

The load-generating Chromium always runs with WebGL off
(:data:`harness.NO_WEBGL_ARGS`). The Palette page draws a 3D Plotly cloud;
without a GPU, Chromium renders it in software for about 2 s of CPU per rerun
and page, and on a 2-core machine eight of those would starve the server that
is being measured. Real clients render on their own machines.
"""

from __future__ import annotations

import asyncio
import statistics
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tests.browser import harness as h

#: (skimage.data name, k) for up to 8 sessions: photos that are not samples, each its own k.
LOAD_PHOTOS = (
    ("immunohistochemistry", 3),
    ("hubble_deep_field", 4),
    ("colorwheel", 5),
    ("stereo_motorcycle", 6),
    ("retina", 7),
    ("cat", 9),
    ("coffee", 10),
    ("rocket", 11),
)


def load_photo(name: str, index: int, max_side: int = 1024) -> tuple[str, bytes]:
    """A distinct JPEG for session ``index``: flipped (so no sample has its bytes), at most ``max_side``."""
    array = h.skimage_photo(name)
    if isinstance(array, tuple):  # stereo_motorcycle: (left, right, disparity)
        array = array[0]
    array = array[:, ::-1, :3].copy()
    if max(array.shape[:2]) > max_side:
        from PIL import Image

        image = Image.fromarray(array)
        image.thumbnail((max_side, max_side))
        array = np.asarray(image)
    return f"s{index + 1}_{name}.jpg", h.jpeg_bytes(array, quality=90)


def launch_load_chromium(playwright):
    return h.launch_chromium(playwright, webgl=False)


# --------------------------------------------------------------------------- async page helpers


async def wait_idle(page, *, settle: float = 0.4, timeout: float = h.TIMEOUT_S) -> None:
    await page.evaluate("() => { window.__paletteIdleSince = null; }")
    await page.wait_for_function(h.IDLE_JS, arg=[settle * 1000], polling=50, timeout=timeout * 1000)


async def open_app(page, url: str, *, timeout: float = h.TIMEOUT_S) -> None:
    await page.goto(url)
    await page.get_by_role("heading", name="Palette", exact=True, level=1).wait_for(timeout=timeout * 1000)
    await page.locator(h.SWATCH).first.wait_for(timeout=timeout * 1000)
    await wait_idle(page, timeout=timeout)


async def swatch_hexes(page) -> list[str]:
    return [t.strip().upper() for t in await page.locator(h.SWATCH_HEX).all_inner_texts()]


async def still_names(page) -> list[str]:
    group = page.get_by_role("radiogroup", name=h.STILLS_LABEL)
    return [t.strip() for t in await group.locator("label").all_inner_texts()]


async def working_still(page) -> str:
    checked = page.get_by_role("radiogroup", name=h.STILLS_LABEL).locator("input:checked")
    return (await checked.evaluate("el => el.closest('label').innerText")).strip()


async def slider_value(page) -> int:
    return int(await h.slider(page).get_attribute("aria-valuetext"))


async def upload_and_wait(
    page, name: str, data: bytes, k: int = 8, *, timeout: float = h.TIMEOUT_S
) -> tuple[float, float]:
    """Upload a still; return (seconds to its k swatches on screen, seconds until the page is idle)."""
    start = time.perf_counter()
    await page.locator(h.FILE_INPUT).set_input_files({"name": name, "mimeType": "image/jpeg", "buffer": data})
    await page.wait_for_function(h.STILL_SHOWN_JS, arg=[name, k], polling=50, timeout=timeout * 1000)
    shown = time.perf_counter() - start
    await wait_idle(page, settle=0.2, timeout=timeout)
    return shown, time.perf_counter() - start - 0.2


async def move_k(page, k: int, *, timeout: float = h.TIMEOUT_S, attempts: int = 3) -> tuple[float, float]:
    """Move the k slider to ``k`` with arrow keys; return (seconds to k swatches, seconds to idle).

    A press can be lost while a rerun is in flight (see ``harness.set_k``); then
    the slider is corrected with more presses, as a user would, and the time
    includes the correction.
    """
    start = time.perf_counter()
    thumb = h.slider(page)
    for _ in range(attempts):
        current = await slider_value(page)
        since = await page.evaluate("() => performance.now()")
        if current != k:
            await thumb.focus()
            key = "ArrowRight" if k > current else "ArrowLeft"
            for _ in range(abs(k - current)):
                await page.keyboard.press(key)
        handle = await page.wait_for_function(h.K_SHOWN_OR_LOST_JS, arg=[k, since], polling=20, timeout=timeout * 1000)
        if await handle.json_value() == "shown":
            break
    else:
        raise AssertionError(f"the k slider did not reach {k} in {attempts} attempts")
    shown = time.perf_counter() - start
    await wait_idle(page, settle=0.2, timeout=timeout)
    return shown, time.perf_counter() - start - 0.2


async def choose_still(page, name: str, k: int, *, timeout: float = h.TIMEOUT_S) -> tuple[float, float]:
    """Click a still in "Working still"; return (seconds to its k swatches, seconds to idle)."""
    start = time.perf_counter()
    await page.get_by_role("radiogroup", name=h.STILLS_LABEL).get_by_text(name, exact=True).click()
    await page.wait_for_function(h.STILL_SHOWN_JS, arg=[name, k], polling=50, timeout=timeout * 1000)
    shown = time.perf_counter() - start
    await wait_idle(page, settle=0.2, timeout=timeout)
    return shown, time.perf_counter() - start - 0.2


# --------------------------------------------------------------------------- sessions


@dataclass
class SessionResult:
    name: str
    k: int
    upload_s: float = float("nan")  # upload -> own swatches at k=8 on screen
    k_s: float = float("nan")  # k moved -> own k swatches on screen
    idle_s: float = float("nan")  # k moved -> page idle
    hexes: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    working: str = ""
    dialogs: list[str] = field(default_factory=list)
    error: str | None = None
    context: object = None  # kept open when asked, for more requests

    @property
    def ok(self) -> bool:
        return self.error is None


class Gate:
    """Lets sessions go on together once every one of them has arrived."""

    def __init__(self, n: int):
        self.n, self.arrived, self.event = n, 0, asyncio.Event()

    def arrive(self) -> None:
        self.arrived += 1
        if self.arrived >= self.n:
            self.event.set()


#: Set to ``print`` to follow each session's steps.
TRACE = None


def _trace(*parts) -> None:
    if TRACE is not None:
        TRACE(f"   [{time.strftime('%H:%M:%S')}]", *parts, flush=True)


async def _messages_shown(page) -> str:
    """The page's alerts and toasts, as one line for a failure's report (best effort)."""
    try:
        texts = await page.locator('[data-testid="stAlert"], [data-testid="stToast"]').all_inner_texts()
    except Exception:
        return ""
    return "".join(f" | shown: {' '.join(t.split())}" for t in texts)


async def _screenshot_failure(page, stem: str) -> None:
    """Keep what the user saw when a session failed, for the report (best effort)."""
    try:
        (h.OUTPUT / "failures").mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(h.OUTPUT / "failures" / f"{stem}.png"), full_page=True)
    except Exception:
        pass


async def run_session(browser, url: str, name: str, data: bytes, k: int, gate: Gate, *, keep_open=False):
    """One user: open the app, upload ``name``, wait for k=8, move to ``k``, read back."""
    result = SessionResult(name=name, k=k)
    context = await browser.new_context(viewport=h.VIEWPORT)
    context.set_default_timeout(h.TIMEOUT_S * 1000)
    page = await context.new_page()
    page.on("dialog", lambda d: (result.dialogs.append(d.message), asyncio.ensure_future(d.dismiss())))
    arrived = False
    try:
        await open_app(page, url)
        _trace(name, "opened the app")
        gate.arrive()
        arrived = True
        await gate.event.wait()
        result.upload_s, _ = await upload_and_wait(page, name, data, 8)
        _trace(name, f"own palette at k=8 after {result.upload_s:.2f} s")
        result.k_s, result.idle_s = await move_k(page, k)
        _trace(name, f"own palette at k={k} after {result.k_s:.2f} s")
        result.hexes = await swatch_hexes(page)
        result.names = await still_names(page)
        result.working = await working_still(page)
    except Exception as exc:  # a failure is a result of the load test, reported per session
        result.error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        _trace(name, "failed:", result.error)
        await _screenshot_failure(page, f"load-{name}")
    finally:
        if not arrived:
            gate.arrive()
    if keep_open and result.ok:
        result.context = (context, page)
    else:
        await context.close()
    return result


async def run_sessions(
    browser, url: str, photos: list[tuple[str, bytes, int]], *, keep_open=False
) -> list[SessionResult]:
    """Every session opens the app; then all upload and move k at the same moment."""
    gate = Gate(len(photos))
    return list(
        await asyncio.gather(*(run_session(browser, url, n, d, k, gate, keep_open=keep_open) for n, d, k in photos))
    )


def check_session(result: SessionResult, expected: list[str], all_names: list[str], samples: list[str]) -> list[str]:
    """What is wrong with one session's outcome (empty when it is right)."""
    problems = []
    if not result.ok:
        return [f"{result.name}: {result.error}"]
    if result.working != result.name:
        problems.append(f"{result.name}: working still is {result.working!r}")
    if len(result.hexes) != result.k:
        problems.append(f"{result.name}: {len(result.hexes)} swatches, expected k={result.k}")
    if set(result.hexes) != set(expected):
        problems.append(f"{result.name}: swatches {result.hexes} != kmeans_core {expected}")
    others = [n for n in all_names if n != result.name and n in result.names]
    if others:
        problems.append(f"{result.name}: sees other sessions' stills {others}")
    if result.names != [*samples, result.name]:
        problems.append(f"{result.name}: still list {result.names}")
    if result.dialogs:
        problems.append(f"{result.name}: dialogs {result.dialogs}")
    return problems


def run_in_thread(coroutine_factory, timeout: float = 600):
    """Run an asyncio program in its own thread (the sync Playwright API may own this one)."""
    box: dict = {}

    def target():
        try:
            box["value"] = asyncio.run(coroutine_factory())
        except BaseException as exc:  # re-raised in the caller
            box["error"] = exc

    thread = threading.Thread(target=target, name="palette-load", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError(f"the load run did not finish within {timeout:.0f} s")
    if "error" in box:
        raise box["error"]
    return box["value"]


# --------------------------------------------------------------------------- server figures


class MemorySampler:
    """Samples a process's VmRSS every ``interval`` s in a thread; keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.2):
        self.pid, self.interval = pid, interval
        self.peak_kib = h.rss_kib(pid)
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def _run(self):
        t0 = time.perf_counter()
        while not self._stop.is_set():
            try:
                value = h.rss_kib(self.pid)
            except (OSError, RuntimeError):
                break
            self.samples.append((time.perf_counter() - t0, value))
            self.peak_kib = max(self.peak_kib, value)
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(5)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far."""
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_until_quiet(pid: int, *, below: float = 0.15, window: float = 1.0, timeout: float = 120.0) -> float:
    """Wait until a process uses less than ``below`` of a core over ``window`` s; return the wait."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        before = cpu_seconds(pid)
        time.sleep(window)
        if (cpu_seconds(pid) - before) / window < below:
            return time.perf_counter() - start
    raise TimeoutError(f"pid {pid} still busy after {timeout:.0f} s")


def median(values):
    values = [v for v in values if v == v]
    return statistics.median(values) if values else float("nan")


# --------------------------------------------------------------------------- sessions that save


@dataclass
class SavingResult:
    """One session that uploaded its still and saved its palette."""

    name: str
    shared: bool  # into the one shared project (else its own, made by its upload)
    token: str = ""  # the project token in its URL afterwards
    hexes: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    save_s: float = float("nan")  # Save clicked -> "Saved" shown
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


#: True once the Palette page is drawn: no placeholder left, and both frames arrived.
PAGE_DRAWN_JS = """() => !document.querySelector('[data-testid="stSkeleton"]') && document.images.length >= 2
  && Array.from(document.images).every(image => image.complete && image.naturalHeight > 0)"""


async def save_palette(page, name: str, *, timeout: float = h.TIMEOUT_S) -> float:
    """Save the palette shown under ``name``; return seconds from the click to the page saying so."""
    # With many sessions in one browser, the page can be drawn seconds after its script ends: the
    # frames and the hex codes stand as 40-pixel placeholders. A click then opens the popover where
    # the button was, and it stays there, off screen, once the frames push the button down.
    await page.wait_for_function(PAGE_DRAWN_JS, polling=50, timeout=timeout * 1000)
    await page.get_by_role("button", name="Save palette").click()
    await page.get_by_label("Palette name").fill(name)
    start = time.perf_counter()
    await page.get_by_role("button", name="Save", exact=True).click()
    await page.get_by_text(f"Saved the palette “{name}”").wait_for(timeout=timeout * 1000)
    seconds = time.perf_counter() - start
    await wait_idle(page, settle=0.2, timeout=timeout)
    return seconds


async def run_saving_session(browser, url: str, name: str, data: bytes, shared: bool, gate: Gate) -> SavingResult:
    """One user: open ``url``, then (with every other session) upload ``name`` and save its palette."""
    from urllib.parse import parse_qs, urlsplit

    result = SavingResult(name=name, shared=shared)
    context = await browser.new_context(viewport=h.VIEWPORT)
    context.set_default_timeout(h.TIMEOUT_S * 1000)
    page = await context.new_page()
    arrived = False
    try:
        await page.goto(url)
        await page.get_by_role("heading", name="Palette", exact=True, level=1).wait_for()
        await wait_idle(page)
        gate.arrive()
        arrived = True
        await gate.event.wait()
        await page.locator(h.FILE_INPUT).set_input_files({"name": name, "mimeType": "image/jpeg", "buffer": data})
        await page.wait_for_function(h.STILL_SHOWN_JS, arg=[name, 8], polling=50, timeout=h.TIMEOUT_S * 1000)
        await wait_idle(page, settle=0.2)
        result.hexes = await swatch_hexes(page)
        result.save_s = await save_palette(page, f"palette of {name}")
        result.names = await still_names(page)
        result.token = parse_qs(urlsplit(page.url).query).get("project", [""])[0]
    except Exception as exc:  # reported per session
        result.error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        result.error += await _messages_shown(page)
        await _screenshot_failure(page, f"saving-{name}")
    finally:
        if not arrived:
            gate.arrive()
        await context.close()
    return result


async def run_saving_sessions(browser, url: str, photos: list[tuple[str, bytes]], shared_token: str):
    """Half the sessions save into the project ``shared_token``, the others each into a project of their own."""
    gate = Gate(len(photos))
    half = len(photos) // 2
    return list(
        await asyncio.gather(
            *(
                run_saving_session(
                    browser, f"{url}/?project={shared_token}" if i < half else url, name, data, i < half, gate
                )
                for i, (name, data) in enumerate(photos)
            )
        )
    )


def check_saved(database: str, results: list[SavingResult], photos: dict[str, bytes], shared_token: str) -> list[str]:
    """What the database holds that is wrong: every confirmed save there once, in the right project, unmixed."""
    import kmeans_core as kc
    from store import open_store

    problems = [f"{r.name}: {r.error}" for r in results if not r.ok]
    with open_store(database) as store:
        shared = store.open_project(shared_token)
        expected_shared = sorted(f"palette of {r.name}" for r in results if r.shared)
        saved_shared = sorted(p.name for p in shared.list_palettes())
        if saved_shared != expected_shared:
            problems.append(f"shared project holds {saved_shared}, expected {expected_shared}")
        shared_stills = sorted(s.name for s in shared.list_stills())
        if shared_stills != sorted(r.name for r in results if r.shared):
            problems.append(f"shared project's stills are {shared_stills}")
        for r in (r for r in results if r.ok):
            if r.shared != (r.token == shared_token):
                problems.append(f"{r.name}: its URL names the wrong project")
                continue
            handle = shared if r.shared else store.open_project(r.token)
            if handle is None:
                problems.append(f"{r.name}: its project {r.token[:6]}… is not in the database")
                continue
            mine = [p for p in handle.list_palettes() if p.name == f"palette of {r.name}"]
            if len(mine) != 1:
                problems.append(f"{r.name}: {len(mine)} saved palettes of its own")
                continue
            if mine[0].still_digest != kc.content_digest(photos[r.name]) or list(mine[0].hex_codes) != r.hexes:
                problems.append(f"{r.name}: saved {mine[0].hex_codes} of {mine[0].still_digest}, shown {r.hexes}")
            if not r.shared and len(handle.list_palettes()) != 1:
                problems.append(f"{r.name}: its own project holds {len(handle.list_palettes())} palettes")
            others = [n for n in photos if n != r.name and n in r.names]
            if others:
                problems.append(f"{r.name}: sees other sessions' stills {others}")
    return problems
