"""A fresh server compiles the kernels as the first page draws, in a background thread."""

from __future__ import annotations

import subprocess
import sys

from tests.app.helpers import ROOT

_FIRST_RUN = """
import threading
from numba.core.registry import CPUDispatcher
from streamlit.testing.v1 import AppTest
import sys
from kmeans_core import _histogram_kernels, _lloyd_loop, _plusplus_loop, _point_kernels, _color_kernels
kernel_cache = sys.modules["kmeans_core.kernel_cache"]
at = AppTest.from_file("app.py", default_timeout=120)
at.run()
assert not at.exception, at.exception
print("started", kernel_cache._started.is_set())
print("threads", sorted(t.name for t in threading.enumerate() if t.name.startswith("kmeans_core-warm-up")))
for thread in threading.enumerate():
    if thread.name == "kmeans_core-warm-up":
        thread.join(120)
missing = [
    name
    for module in (_point_kernels, _lloyd_loop, _plusplus_loop, _histogram_kernels, _color_kernels)
    for name in module.__all__
    if isinstance(getattr(module, name), CPUDispatcher) and not getattr(module, name).signatures
]
print("uncompiled", missing)
"""


def test_the_first_run_of_the_app_starts_the_warm_up_and_it_compiles_every_kernel():
    run = subprocess.run(
        [sys.executable, "-c", _FIRST_RUN], cwd=ROOT, capture_output=True, text=True, check=True, timeout=300
    )
    lines = dict(line.split(" ", 1) for line in run.stdout.splitlines() if " " in line)
    assert lines["started"] == "True"
    assert lines["uncompiled"] == "[]"


def test_the_server_does_not_run_a_full_garbage_collection_after_every_script_run():
    """Streamlit's own collection after each run took 90 to 150 ms (the app's libraries are some 200,000
    objects) and held up the messages of the run it followed; the project's config turns it off."""
    code = "from streamlit import config; config.get_config_options(); print(config.get_option('runner.postScriptGC'))"
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60)
    assert run.stdout.split()[-1] == "False"
