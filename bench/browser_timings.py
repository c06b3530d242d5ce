"""Time the palette studio in a real browser against the targets a director feels (issue 13).

Starts ``streamlit run app.py`` on 127.0.0.1 (a free port) and Debian's
Chromium (``/usr/bin/chromium``, headless, WebGL on as a user's browser has
it), then measures, as a user would see it:

1. upload of a 3840x2160 JPEG -> its 8 swatches on screen      (target 1.2 s)
2. moving k to a new value -> the new swatches on screen        (target 0.8 s)
3. moving k back to a value already seen -> swatches on screen  (target 0.2 s)
4. a change of colour order -> the reordered swatches           (target 0.2 s)
5. Choose k over k = 2..12 on the 4K still -> its recommendation (target 2 s)
6. the Compare k page with 4 values of k on a 1080p still       (target 4 s)

"On screen" means the swatches of the current script run are drawn (none is
left over from the previous run). The table also gives the time until the
whole page is idle (the script finished and the browser drew everything),
and the CPU seconds the server and the client (Chromium and the Playwright
driver, which carries uploads) spent on each step, to show where the time
goes; server and client share the machine's cores. Timings are not asserted; other work on the machine
slows them (the load average is printed).

Usage: .venv/bin/python bench/browser_timings.py [--repeat 3] [--no-webgl]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import harness as h  # noqa: E402
from tests.browser.loadkit import cpu_seconds  # noqa: E402

STRIPS_FRESH_JS = """
(n) => {
  const strips = [...document.querySelectorAll('.swatch-strip')];
  const fresh = strips.filter(s => (s.closest('[data-stale]')?.getAttribute('data-stale')) !== 'true');
  return strips.length === n && fresh.length === n;
}
"""


def descendants(root: int) -> list[int]:
    """PIDs of every process below ``root`` (the browser and its helpers)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    found, frontier = [], [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        found += children
        frontier += children
    return found


def browser_cpu() -> float:
    total = 0.0
    for pid in descendants(os.getpid()):
        try:
            total += cpu_seconds(pid)
        except OSError:
            pass
    return total


class Step:
    """One measured action: seconds to swatches, to idle, and CPU spent."""

    def __init__(self, server):
        self.server = server

    def __enter__(self):
        self.cpu_server, self.cpu_browser = cpu_seconds(self.server.pid), browser_cpu()
        self.start = time.perf_counter()
        self.shown = self.idle = float("nan")
        return self

    def mark_shown(self):
        self.shown = time.perf_counter() - self.start

    def mark_idle(self, settle: float):
        self.idle = time.perf_counter() - self.start - settle

    def __exit__(self, *exc):
        self.server_cpu = cpu_seconds(self.server.pid) - self.cpu_server
        self.browser_cpu = browser_cpu() - self.cpu_browser


SETTLE = 0.2


def wait_idle(page):
    h.wait_idle(page, settle=SETTLE, timeout=300)


def upload_4k(page, server, name, data) -> Step:
    with Step(server) as step:
        h.upload(page, {"name": name, "mimeType": "image/jpeg", "buffer": data})
        page.wait_for_function(h.STILL_SHOWN_JS, arg=[name, 8], polling=20, timeout=300_000)
        step.mark_shown()
        wait_idle(page)
        step.mark_idle(SETTLE)
    return step


def move_k(page, server, key) -> Step:
    k = h.slider_value(page) + (1 if key == "ArrowRight" else -1)
    with Step(server) as step:
        h.press_k(page, key)
        page.wait_for_function(h.SWATCH_COUNT_JS, arg=k, polling=20, timeout=300_000)
        step.mark_shown()
        wait_idle(page)
        step.mark_idle(SETTLE)
    return step


FRESH_ORDER_JS = """
(before) => {
  const all = [...document.querySelectorAll('.swatch')];
  const fresh = all.filter(s => (s.closest('[data-stale]')?.getAttribute('data-stale')) !== 'true');
  return all.length > 0 && fresh.length === all.length && all.map(s => s.dataset.hex).join() !== before;
}
"""


def change_order(page, server, label) -> Step:
    """Click another "Order colours by" option and wait for the swatches to be reordered."""
    before = ",".join(h.swatch_data_hexes(page))
    with Step(server) as step:
        group = page.get_by_role("radiogroup", name="Order colours by")  # above the swatches
        group.get_by_text(label, exact=True).click()
        page.wait_for_function(FRESH_ORDER_JS, arg=before, polling=20, timeout=300_000)
        step.mark_shown()
        wait_idle(page)
        step.mark_idle(SETTLE)
    return step


def choose_k(page, server) -> Step:
    """Open Choose k on the working still and wait for its plain recommendation."""
    with Step(server) as step:
        page.locator('[data-testid="stSidebar"]').get_by_role("link", name="Choose k", exact=True).click()
        page.get_by_text(re.compile(r"About \d+ colours")).first.wait_for(timeout=300_000)
        step.mark_shown()
        wait_idle(page)
        step.mark_idle(SETTLE)
    return step


def compare_1080p(page, server, name, data) -> Step:
    """On the Compare k page (k = 3, 5, 8, 12), upload a new 1080p still: all four cards redrawn."""
    with Step(server) as step:
        h.upload(page, {"name": name, "mimeType": "image/jpeg", "buffer": data})
        page.get_by_role("radiogroup", name=h.STILLS_LABEL).get_by_text(name, exact=True).wait_for(timeout=300_000)
        page.wait_for_function(STRIPS_FRESH_JS, arg=4, polling=20, timeout=300_000)
        step.mark_shown()
        wait_idle(page)
        step.mark_idle(SETTLE)
    assert h.working_still(page) == name
    return step


def summary(steps: list[Step]) -> tuple[float, float, float, float, float]:
    def med(values):
        return statistics.median(values) if values else float("nan")

    return (
        med([s.shown for s in steps]),
        max(s.shown for s in steps),
        med([s.idle for s in steps]),
        med([s.server_cpu for s in steps]),
        med([s.browser_cpu for s in steps]),
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="uploads and k moves of each kind (default 3)")
    parser.add_argument("--no-webgl", action="store_true", help="Chromium without WebGL (the 3D cloud not drawn)")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    photos = ["coffee", "astronaut", "rocket", "chelsea", "immunohistochemistry"]
    uhd = [
        (f"uhd_{p}.jpg", h.jpeg_bytes(h.skimage_photo(p), quality=92, size=(3840, 2160))) for p in photos[: args.repeat]
    ]
    full_hd_name, full_hd = (
        "fhd_hubble.jpg",
        h.jpeg_bytes(h.skimage_photo("hubble_deep_field"), quality=92, size=(1920, 1080)),
    )
    import kmeans_core as kc

    colours = {name: kc.load_still(data).n_colors for name, data in [*uhd, (full_hd_name, full_hd)]}

    results: dict[str, list[Step]] = {}
    load_before = os.getloadavg()
    with h.StreamlitServer(log_dir=ROOT / "bench" / "output") as server, sync_playwright() as playwright:
        browser = h.launch_chromium(playwright, webgl=not args.no_webgl)
        version = browser.version
        try:
            context = browser.new_context(viewport=h.VIEWPORT)
            context.set_default_timeout(300_000)
            page = context.new_page()
            h.open_app(page, server.url)

            results["upload"] = []
            results["new_k"] = []
            results["seen_k"] = []
            for name, data in uhd:
                results["upload"].append(upload_4k(page, server, name, data))
            # k moves on the last 4K still: 8 -> 9 -> ... (new), then back down (seen).
            for _ in range(args.repeat):
                results["new_k"].append(move_k(page, server, "ArrowRight"))
            for _ in range(args.repeat):
                results["seen_k"].append(move_k(page, server, "ArrowLeft"))
            results["order"] = [
                change_order(page, server, label) for label in ("Hue", "Lightness", "Share of frame")[: args.repeat]
            ]
            results["choose_k"] = [choose_k(page, server)]
            context.close()

            # Compare k, in a new session: open the page on the sample, then bring a new 1080p still.
            context = browser.new_context(viewport=h.VIEWPORT)
            context.set_default_timeout(300_000)
            page = context.new_page()
            h.open_app(page, server.url, "Compare_k")
            page.wait_for_function(STRIPS_FRESH_JS, arg=4, polling=50, timeout=300_000)
            h.wait_idle(page)
            results["compare"] = [compare_1080p(page, server, full_hd_name, full_hd)]
            # A second visit to the same page: everything cached, only the page is drawn again.
            h.go_to(page, "Palette")
            with Step(server) as again:
                page.locator('[data-testid="stSidebar"]').get_by_role("link", name="Compare k", exact=True).click()
                page.get_by_role("heading", name="Compare k", exact=True, level=1).wait_for()
                page.wait_for_function(STRIPS_FRESH_JS, arg=4, polling=20, timeout=300_000)
                again.mark_shown()
                wait_idle(page)
                again.mark_idle(SETTLE)
            results["compare_again"] = [again]
            context.close()
            rss = server.rss_kib()
        finally:
            browser.close()
    load_after = os.getloadavg()

    rows = [
        ("Upload 3840x2160 JPEG -> 8 swatches", "upload", 1.2),
        ("Move k to a new value", "new_k", 0.8),
        ("Move k back to a seen value", "seen_k", 0.2),
        ("Change the colour order", "order", 0.2),
        ("Choose k, k = 2..12, 4K still", "choose_k", 2.0),
        ("Compare k, 4 k, new 1080p still", "compare", 4.0),
        ("Compare k again (cached)", "compare_again", None),
    ]
    print()
    print(
        f"Palette studio in Chromium {version} ({'WebGL on' if not args.no_webgl else 'WebGL off'}), "
        f"{os.cpu_count()} cores, load average {load_before[0]:.1f} before, {load_after[0]:.1f} after"
    )
    print(
        "4K stills: "
        + ", ".join(f"{n} ({colours[n]:,} colours)" for n, _ in uhd)
        + f"; 1080p: {full_hd_name} ({colours[full_hd_name]:,} colours); server RSS at the end {rss / 1024:.0f} MiB"
    )
    print()
    header = (
        f"{'Step':40s} {'n':>2s} {'on screen':>10s} {'worst':>7s} {'target':>7s} {'':4s} "
        f"{'idle':>7s} {'server CPU':>10s} {'client CPU':>11s}"
    )
    print(header)
    print("-" * len(header))
    failed = 0
    for label, key, target in rows:
        steps = results[key]
        shown, worst, idle, server_cpu, browser_cpu_s = summary(steps)
        verdict = "" if target is None else ("ok" if shown <= target else "MISS")
        failed += verdict == "MISS"
        target_text = "" if target is None else f"{target:.1f} s"
        print(
            f"{label:40s} {len(steps):2d} {shown:8.2f} s {worst:5.2f} s {target_text:>7s} {verdict:4s} "
            f"{idle:5.2f} s {server_cpu:8.2f} s {browser_cpu_s:9.2f} s"
        )
    print()
    print(
        "on screen: median seconds until the step's own swatches are drawn; idle: until the script and page are done;"
    )
    print("CPU: medians, seconds of CPU of the streamlit process and of Chromium + the Playwright driver.")
    targets = sum(target is not None for _, _, target in rows)
    print(f"{failed} of {targets} targets missed." if failed else f"All {targets} targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
