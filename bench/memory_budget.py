"""The server's memory stays bounded in bytes while many different stills pass through.

Starts ``streamlit run app.py`` on 127.0.0.1 and Debian's Chromium; one
session uploads ``--stills`` different 4K frames (3840x2160, each a sample
photo tinted and shifted so that no two share bytes or colours), waits for
each one's palette, and the server's resident memory (VmRSS) is read after
every 10 stills. Decoded stills, previews and redrawn frames share one store
bounded at ``studio.cache.FRAME_BUDGET_BYTES``; the resident memory should
level off, with the store's share of it under that budget, while the stills
keep coming.

Usage: .venv/bin/python bench/memory_budget.py [--stills 100]
Exit status 1 when a still failed or memory kept growing past the budget.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from studio.cache import FRAME_BUDGET_BYTES  # noqa: E402
from tests.browser import harness as h  # noqa: E402
from tests.browser.loadkit import MemorySampler  # noqa: E402

PHOTOS = ("astronaut", "coffee", "chelsea", "rocket")


def frame_bytes(index: int) -> bytes:
    """A distinct 3840x2160 JPEG: a sample photo, tinted and rolled by ``index``."""
    base = h.skimage_photo(PHOTOS[index % len(PHOTOS)])
    from PIL import Image

    image = np.asarray(Image.fromarray(base).resize((3840, 2160), Image.Resampling.BILINEAR)).astype(np.int16)
    tint = np.array([(index * 7) % 23 - 11, (index * 5) % 19 - 9, (index * 3) % 17 - 8], dtype=np.int16)
    image = np.clip(np.roll(image + tint, index * 37, axis=1), 0, 255).astype(np.uint8)
    return h.jpeg_bytes(image, quality=88)


def mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stills", type=int, default=100)
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    marks = []
    failures = 0
    with h.StreamlitServer() as server, sync_playwright() as playwright:
        browser = h.launch_chromium(playwright, webgl=False)
        page = browser.new_page(viewport=h.VIEWPORT)
        h.open_app(page, server.url)
        start_kib = server.rss_kib()
        print(f"server at start: {mib(start_kib)}; frame budget {FRAME_BUDGET_BYTES / 2**20:.0f} MiB")
        with MemorySampler(server.pid) as sampler:
            t0 = time.perf_counter()
            for index in range(args.stills):
                name = f"frame_{index:03d}.jpg"
                try:
                    h.upload(page, {"name": name, "mimeType": "image/jpeg", "buffer": frame_bytes(index)})
                    h.wait_for_still(page, name, 8)
                except Exception as error:  # a failed still is counted and the run goes on
                    failures += 1
                    print(f"{name}: {type(error).__name__}: {error}".splitlines()[0])
                if (index + 1) % 10 == 0:
                    marks.append((index + 1, server.rss_kib()))
                    print(f"after {index + 1:3d} stills: {mib(marks[-1][1])} ({time.perf_counter() - t0:.0f} s)")
        browser.close()
        peak = sampler.peak_kib

    growth_kib = marks[-1][1] - marks[len(marks) // 2][1] if len(marks) >= 2 else 0
    print(f"peak {mib(peak)}; growth over the second half of the run: {mib(growth_kib)}")
    print(f"failures: {failures}")
    levelled = growth_kib * 1024 < FRAME_BUDGET_BYTES / 4
    print("memory levelled off" if levelled else "memory kept growing")
    return 0 if failures == 0 and levelled else 1


if __name__ == "__main__":
    raise SystemExit(main())
