"""Load test of the palette studio (issue 5): many users, many palettes, a user who leaves.

Starts ``streamlit run app.py`` on 127.0.0.1 (a free port) and Debian's
Chromium, then:

1. **8 sessions at once**: 8 browser contexts open the app; together each
   uploads a different photo, waits for its palette at k=8, and moves k with
   the keyboard to its own value. Each must see its own palette (equal to
   ``kmeans_core`` on its own still) and no other session's still.
   The 8 sessions stay open (held) through step 2.
2. **100 palette requests in a row** in one more session, which uploads the
   8 photos and then moves k up and down with the keyboard and switches the
   working still, one request at a time (new and already-seen palettes
   mixed). Every palette shown is checked against ``kmeans_core``.
3. **A browser closed mid-computation**: a browser uploads a 3840x2160 still,
   opens Choose k (a sweep over k that takes seconds) and is closed while the
   sweep runs. The server must stay healthy, the next session must work, and
   the abandoned work must stop.
4. **8 sessions saving at once**: half open one shared project, the others
   start projects of their own; together each uploads its photo and saves
   its palette. Afterwards the database (``bench/output/load_test.sqlite3``)
   must hold every confirmed save once, in the right project, with the
   colours that session showed, and no session may see another's still.

It reports sessions held, failures, median and worst time to palette, and
the server's resident memory (VmRSS) at the start, after the 8 sessions,
every 10 requests, at the end, and its peak (sampled every 0.2 s).

The load-generating Chromium runs with WebGL off: see ``tests/browser/loadkit.py``.

Usage: .venv/bin/python bench/load_test.py [--sessions 8] [--requests 100]
Exit status 1 when any session or request failed or the server did not survive.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import harness as h  # noqa: E402
from tests.browser import loadkit as lk  # noqa: E402

SAMPLES = ["astronaut.jpg", "chelsea.jpg", "coffee.jpg", "rocket.jpg"]


def request_plan(names: list[str], n: int) -> list[tuple[str, object]]:
    """``n`` requests: k moves (a zigzag between 2 and 14) and, every 8th, another still."""
    plan, k, step, still = [], 8, 1, 0
    for i in range(n):
        if i % 8 == 7:
            still = (still + 1) % len(names)
            plan.append(("still", names[still]))
        else:
            if not 2 <= k + step <= 14:
                step = -step
            k += step
            plan.append(("k", k))
    return plan


async def hundred_requests(browser, url: str, photos, n: int, rss_marks: list, server) -> dict:
    """One session: upload the photos, then ``n`` palette requests one after another."""
    context = await browser.new_context(viewport=h.VIEWPORT)
    context.set_default_timeout(h.TIMEOUT_S * 1000)
    page = await context.new_page()
    await lk.open_app(page, url)
    await page.locator(h.FILE_INPUT).set_input_files(
        [{"name": name, "mimeType": "image/jpeg", "buffer": data} for name, data, _ in photos]
    )
    names = [name for name, _, _ in photos]
    # All listed, then whichever the app made the working still (uploads finish in any order).
    await page.wait_for_function(
        """(names) => names.every(n => [...document.querySelectorAll('[role="radiogroup"] label')]
                                        .some(l => l.innerText.trim() === n))""",
        arg=names,
        polling=50,
        timeout=h.TIMEOUT_S * 1000,
    )
    await lk.wait_idle(page, timeout=h.TIMEOUT_S)
    current = await lk.working_still(page)
    await page.wait_for_function(h.STILL_SHOWN_JS, arg=[current, 8], polling=50, timeout=h.TIMEOUT_S * 1000)
    listed = await lk.still_names(page)
    plan = request_plan([current, *(n for n in names if n != current)], n)
    k = 8
    timings, idles, shown, failures = [], [], [], []
    for i, (kind, value) in enumerate(plan):
        try:
            if kind == "k":
                seconds, idle = await lk.move_k(page, value)
                k = value
            else:
                seconds, idle = await lk.choose_still(page, value, k)
                current = value
            timings.append(seconds)
            idles.append(idle)
            shown.append((current, k, await lk.swatch_hexes(page), await lk.working_still(page)))
        except Exception as exc:
            failures.append(f"request {i + 1} ({kind}={value}): {type(exc).__name__}: {str(exc).splitlines()[0]}")
            await lk.wait_idle(page, timeout=120)
            k = await lk.slider_value(page)
            current = await lk.working_still(page)
        if (i + 1) % 10 == 0:
            rss_marks.append((i + 1, server.rss_kib()))
            print(
                f"   {i + 1} requests, last {timings[-1] if timings else float('nan'):.2f} s, "
                f"RSS {rss_marks[-1][1] / 1024:.0f} MiB",
                flush=True,
            )
    await context.close()
    return {"timings": timings, "idles": idles, "shown": shown, "failures": failures, "listed": listed}


async def leave_mid_sweep(playwright, server) -> dict:
    """Close a whole browser while the server sweeps k for it; then a new browser must work."""
    name, data = "leaving_uhd.jpg", h.jpeg_bytes(h.skimage_photo("astronaut")[:, ::-1].copy(), size=(3840, 2160))
    browser = await lk.launch_load_chromium(playwright)
    page = await browser.new_page(viewport=h.VIEWPORT)
    page.set_default_timeout(300_000)
    await lk.open_app(page, server.url)
    await lk.upload_and_wait(page, name, data, 8, timeout=300)
    await page.locator('[data-testid="stSidebar"]').get_by_role("link", name="Choose k", exact=True).click()
    await page.wait_for_function(
        "() => document.querySelector('[data-test-script-state]')?.getAttribute('data-test-script-state') === 'running'"
        " && !!document.querySelector('[data-testid=\"stProgress\"]')",
        polling=50,
    )
    await page.wait_for_timeout(1500)
    running = await page.get_attribute(h.SCRIPT_STATE, "data-test-script-state")
    cpu_before = lk.cpu_seconds(server.pid)
    closed_at = time.perf_counter()
    await browser.close()
    healthy_after_close = server.healthy()

    browser = await lk.launch_load_chromium(playwright)
    try:
        page = await browser.new_page(viewport=h.VIEWPORT)
        start = time.perf_counter()
        await lk.open_app(page, server.url)
        next_session_s = time.perf_counter() - start
        fresh = await lk.still_names(page) == SAMPLES and len(await lk.swatch_hexes(page)) == 8
        seconds, _ = await lk.move_k(page, 9)
    finally:
        await browser.close()
    quiet_wait = await asyncio.to_thread(lk.wait_until_quiet, server.pid, timeout=300)
    return {
        "running_when_closed": running == "running",
        "healthy_after_close": healthy_after_close,
        "next_session_s": next_session_s,
        "next_session_fresh": fresh,
        "next_k_s": seconds,
        "busy_after_close_s": time.perf_counter() - closed_at - 1.0,  # wait_until_quiet's last window was idle
        "cpu_after_close_s": lk.cpu_seconds(server.pid) - cpu_before,
        "quiet_wait_s": quiet_wait,
    }


async def saving_sessions(playwright, server, photos, database) -> dict:
    """Half the sessions save into one project, the others into their own; then check the database."""
    from store import open_store

    with open_store(str(database)) as store:
        shared_token = store.create_project("Shared by the load test").edit_token
    pairs = [(name, data) for name, data, _ in photos]
    browser = await lk.launch_load_chromium(playwright)
    try:
        t0 = time.perf_counter()
        results = await lk.run_saving_sessions(browser, server.url, pairs, shared_token)
        seconds = time.perf_counter() - t0
    finally:
        await browser.close()
    problems = await asyncio.to_thread(lk.check_saved, str(database), results, dict(pairs), shared_token)
    return {"results": results, "seconds": seconds, "problems": problems}


def verify(shown, photos_by_name: dict[str, bytes]) -> list[str]:
    """Check every palette shown against kmeans_core (each (still, k) computed once)."""
    problems = []
    for current, k, hexes, working in shown:
        if working != current:
            problems.append(f"{current} k={k}: working still shown is {working}")
            continue
        data = photos_by_name.get(current)
        if data is None:
            data = (ROOT / "assets" / "samples" / current).read_bytes()
        expected = h.expected_hexes(data, k)
        if len(hexes) != k or set(hexes) != set(expected):
            problems.append(f"{current} k={k}: {hexes} != kmeans_core {list(expected)}")
    return problems


def mib(kib: int) -> str:
    return f"{kib / 1024:7.1f} MiB"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=8, help="sessions at once (at most 8; default 8)")
    parser.add_argument("--requests", type=int, default=100, help="palette requests in a row (default 100)")
    parser.add_argument("--trace", action="store_true", help="print each session's steps as they happen")
    args = parser.parse_args(argv)
    n_sessions = max(1, min(args.sessions, len(lk.LOAD_PHOTOS)))
    if args.trace:
        lk.TRACE = print

    photos = []
    for index, (photo, k) in enumerate(lk.LOAD_PHOTOS[:n_sessions]):
        name, data = lk.load_photo(photo, index)
        photos.append((name, data, k))
    names = [name for name, _, _ in photos]
    photos_by_name = {name: data for name, data, _ in photos}
    print(f"Computing the {n_sessions} expected palettes with kmeans_core…", flush=True)
    expected = {name: h.expected_hexes(data, k) for name, data, k in photos}

    from playwright.async_api import async_playwright

    report: dict = {}
    load_before = os.getloadavg()
    database = ROOT / "bench" / "output" / "load_test.sqlite3"
    database.parent.mkdir(parents=True, exist_ok=True)
    for stale in database.parent.glob(database.name + "*"):
        stale.unlink()
    server = h.StreamlitServer(log_dir=ROOT / "bench" / "output", env={"PALETTE_STUDIO_DB": str(database)}).start()
    try:
        report["rss_start"] = server.rss_kib()
        with lk.MemorySampler(server.pid) as sampler:

            async def run():
                async with async_playwright() as playwright:
                    browser = await lk.launch_load_chromium(playwright)
                    try:
                        print(f"{n_sessions} sessions at once…", flush=True)
                        t0 = time.perf_counter()
                        results = await lk.run_sessions(browser, server.url, photos, keep_open=True)
                        report["phase1_s"] = time.perf_counter() - t0
                        report["rss_after_sessions"] = server.rss_kib()
                        report["held"] = sum(1 for r in results if r.ok and r.context and not r.context[1].is_closed())
                        print(f"{args.requests} palette requests in a row…", flush=True)
                        marks: list = []
                        t0 = time.perf_counter()
                        try:
                            report["requests"] = await hundred_requests(
                                browser, server.url, photos, args.requests, marks, server
                            )
                        except Exception as exc:  # reported as a failure, and the run goes on
                            report["requests"] = {
                                "timings": [],
                                "idles": [],
                                "shown": [],
                                "listed": [*SAMPLES, *names],
                                "failures": [
                                    f"the request session broke: {type(exc).__name__}: {str(exc).splitlines()[0]}"
                                ],
                            }
                        report["phase2_s"] = time.perf_counter() - t0
                        report["rss_marks"] = marks
                        report["still_healthy"] = server.healthy()
                        for r in results:
                            if r.context:
                                await r.context[0].close()
                    finally:
                        await browser.close()
                    report["rss_after_requests"] = server.rss_kib()
                    print("A browser closed in the middle of a sweep…", flush=True)
                    report["fault"] = await leave_mid_sweep(playwright, server)
                    print(f"{n_sessions} sessions saving at once…", flush=True)
                    report["saving"] = await saving_sessions(playwright, server, photos, database)
                    return results

            results = asyncio.run(run())
            report["rss_end"] = server.rss_kib()
            report["alive"] = server.process.poll() is None and server.healthy()
        report["rss_peak"] = sampler.peak_kib
        log = server.log_text()
    finally:
        server.stop()
    load_after = os.getloadavg()

    # ----------------------------------------------------------------- checks and report
    session_problems = [p for r in results for p in lk.check_session(r, list(expected[r.name]), names, SAMPLES)]
    requests = report["requests"]
    print("Checking the palettes shown against kmeans_core…", flush=True)
    request_problems = requests["failures"] + verify(requests["shown"], photos_by_name)
    if sorted(requests["listed"]) != sorted([*SAMPLES, *names]):
        request_problems.append(f"request session lists {requests['listed']}")
    fault = report["fault"]
    fault_ok = (
        fault["running_when_closed"]
        and fault["healthy_after_close"]
        and fault["next_session_fresh"]
        and report["alive"]
    )
    tracebacks = log.count("Traceback")

    print()
    print(
        f"Palette studio load test: {os.cpu_count()} cores, load average {load_before[0]:.1f} before, "
        f"{load_after[0]:.1f} after (other work on the machine slows every figure)"
    )
    print()
    print(f"1. {n_sessions} sessions at once ({report['phase1_s']:.1f} s)")
    print(f"   sessions held     {report['held']} of {n_sessions}")
    print(f"   failures          {len(session_problems)}")
    for r in results:
        print(
            f"     {r.name:30s} k={r.k:2d}  upload->palette {r.upload_s:6.2f} s  k->palette {r.k_s:6.2f} s"
            + ("" if r.ok else f"  FAILED {r.error}")
        )
    uploads = [r.upload_s for r in results if r.ok]
    moves = [r.k_s for r in results if r.ok]
    both = uploads + moves
    if both:
        print(
            f"   time to palette   median {lk.median(both):.2f} s, worst {max(both):.2f} s "
            f"(upload: median {lk.median(uploads):.2f} s; k: median {lk.median(moves):.2f} s)"
        )
    for p in session_problems:
        print(f"   ! {p}")
    timings = requests["timings"]
    print()
    print(f"2. {args.requests} palette requests in a row ({report['phase2_s']:.1f} s), with the sessions still held")
    print(f"   failures          {len(request_problems)}")
    if timings:
        print(
            f"   time to palette   median {lk.median(timings):.2f} s, worst {max(timings):.2f} s "
            f"(page idle: median {lk.median(requests['idles']):.2f} s, worst {max(requests['idles']):.2f} s)"
        )
        seen_pairs, new_t, seen_t = set(), [], []
        for (still, k, _, _), seconds in zip(requests["shown"], timings):
            (seen_t if (still, k) in seen_pairs else new_t).append(seconds)
            seen_pairs.add((still, k))
        print(
            f"   new palettes      {len(new_t)}: median {lk.median(new_t):.2f} s; "
            f"already seen {len(seen_t)}: median {lk.median(seen_t):.2f} s"
        )
    for p in request_problems[:10]:
        print(f"   ! {p}")
    print()
    print("3. browser closed during a Choose k sweep of a 3840x2160 still")
    print(
        f"   sweep running when closed {fault['running_when_closed']}, "
        f"healthy right after {fault['healthy_after_close']}"
    )
    print(
        f"   next session: palette in {fault['next_session_s']:.2f} s, own stills only {fault['next_session_fresh']}, "
        f"new k in {fault['next_k_s']:.2f} s"
    )
    print(
        f"   server busy for {fault['busy_after_close_s']:.1f} s after the close "
        f"({fault['cpu_after_close_s']:.1f} CPU s, including the next session's)"
    )
    print()
    saving = report["saving"]
    print(f"4. {n_sessions} sessions saving at once, half into one project ({saving['seconds']:.1f} s)")
    saves = [r.save_s for r in saving["results"] if r.ok]
    if saves:
        print(f"   Save -> saved     median {lk.median(saves):.2f} s, worst {max(saves):.2f} s")
    print(f"   problems in the database afterwards: {len(saving['problems'])}")
    for p in saving["problems"][:10]:
        print(f"   ! {p}")
    print()
    print("Server memory (VmRSS)")
    print(f"   at start               {mib(report['rss_start'])}")
    print(f"   after {n_sessions} sessions       {mib(report['rss_after_sessions'])}")
    for count, kib in report["rss_marks"]:
        print(f"   after {count:3d} requests     {mib(kib)}")
    print(f"   sessions closed        {mib(report['rss_after_requests'])}")
    print(f"   at the end             {mib(report['rss_end'])}")
    print(f"   peak                   {mib(report['rss_peak'])}")
    marks = [kib for _, kib in report["rss_marks"]]
    if len(marks) >= 4:
        half = len(marks) // 2
        first, second = marks[half - 1] - marks[0], marks[-1] - marks[half - 1]
        print(f"   growth over the requests: first half {first / 1024:+.1f} MiB, second half {second / 1024:+.1f} MiB")
    print(f"   tracebacks in the server log: {tracebacks}")
    print()
    failed = bool(
        session_problems or request_problems or saving["problems"] or not fault_ok or not report["alive"] or tracebacks
    )
    print("FAILED" if failed else "OK: every session saw its own palette, no request failed, the server survived.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
