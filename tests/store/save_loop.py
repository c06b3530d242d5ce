"""Save palettes and stills into one project forever, printing each one after its commit.

Run by ``test_crash.py`` as ``python save_loop.py URL EDIT_TOKEN``; the test kills
it with SIGKILL and checks that everything printed survived.
"""

from __future__ import annotations

import sys

from store import open_store
from tests.store.conftest import still_data

__all__: list[str] = []


def main(url: str, token: str) -> None:
    with open_store(url) as store:
        handle = store.open_project(token)
        i = 0
        while True:
            saved = handle.save_palette(
                name=f"palette {i}", recipe={"k": 2, "seed": i}, hex_codes=[f"#{i % 256:02X}4020", "#FFFFFF"]
            )
            print(f"palette {saved.id}", flush=True)  # confirmed: the transaction has committed
            if i % 5 == 0:
                still, _ = handle.add_still(f"still {i}.png", still_data(i, size=100_000))
                print(f"still {still.digest}", flush=True)
            i += 1


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
