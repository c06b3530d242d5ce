"""The command line, run as ``python -m kmeans_core`` on a real photo.

Each output is parsed back and compared with the palette kmeans_core gives
in-process for the same settings. Bad input must exit 2 with one
``error: ...`` line on standard error and no traceback.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from kmeans_core import extract_palette, load_still, palette_from_json
from kmeans_core.cli import main
from tests.test_exports import read_ase, read_gpl, swatch_runs

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kmeans_core", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def photo(tmp_path_factory) -> Path:
    """scikit-image's astronaut, downscaled to 96x96 and saved as JPEG."""
    from skimage import data

    path = tmp_path_factory.mktemp("stills") / "astronaut.jpg"
    Image.fromarray(data.astronaut()).resize((96, 96), Image.Resampling.BILINEAR).save(path, quality=90)
    return path


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bad")
    noise = folder / "noise.jpg"
    noise.write_bytes(np.random.default_rng(0).integers(0, 256, 4096, dtype=np.uint8).tobytes())
    two = folder / "two_colours.png"
    pixels = np.zeros((8, 8, 3), dtype=np.uint8)
    pixels[:, 4:] = (255, 200, 0)
    Image.fromarray(pixels).save(two)
    return {"missing": folder / "missing.jpg", "noise": noise, "two": two}


SEEDS = "#101010,#C0A090,#D06040"
OPTIONS = ["-k", "4", "--space", "rgb", "--order", "hue", "--seed", "3", "--init", "random"]


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("out")


@pytest.fixture(scope="module")
def runs(photo, bad_files, out_dir) -> dict[str, subprocess.CompletedProcess]:
    """Every CLI run of this module, started together to keep the tests fast.

    Each process pays for importing NumPy and scikit-image; running two at
    a time roughly halves the wall time on two cores.
    """
    cases = {
        "hex": [photo, "-k", "6"],
        "json": [photo, "--init", SEEDS, "--format", "json"],
        "css": [photo, *OPTIONS, "--format", "css"],
        "gpl": [photo, "-k", "6", "--format", "gpl", "-o", out_dir / "palette.gpl"],
        "ase": [photo, "-k", "6", "--format", "ase"],
        "png": [photo, "-k", "6", "--format", "png", "-o", out_dir / "swatch.png"],
        "missing": [bad_files["missing"], "-k", "6"],
        "noise": [bad_files["noise"], "-k", "6"],
        "bad seed": [photo, "--init", "#12ZZ99,#AABBCC"],
        "k too large": [bad_files["two"], "-k", "6"],
    }
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(run_cli, *argv) for name, argv in cases.items()}
        return {name: future.result() for name, future in futures.items()}


@pytest.fixture(scope="module")
def still(photo):
    return load_still(photo.read_bytes())


@pytest.fixture(scope="module")
def expected(still):
    """The in-process palette for the CLI's defaults at k=6."""
    return extract_palette(still, 6)


def _ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, result.stderr.decode()
    assert result.stderr == b""
    return result


def _rgb_rows(palette) -> list[tuple[int, int, int]]:
    return [tuple(c) for c in palette.rgb.tolist()]


# --------------------------------------------------------------------------- every format


def test_hex_is_the_default_format(runs, expected):
    out = _ok(runs["hex"]).stdout.decode()
    assert out.splitlines() == list(expected.hex)


def test_json_with_seed_colours_and_no_k(runs, still):
    out = _ok(runs["json"]).stdout
    palette = palette_from_json(out)
    reference = extract_palette(still, 3, init=SEEDS)
    assert palette.k == 3 and palette.init == "manual"
    assert palette.seed_colors == ("#101010", "#C0A090", "#D06040")
    np.testing.assert_array_equal(palette.rgb, reference.rgb)
    np.testing.assert_allclose(palette.shares, reference.shares, rtol=0, atol=1e-15)
    assert palette.inertia == pytest.approx(reference.inertia)
    assert (palette.space, palette.seed, palette.order) == ("lab", 0, "share")
    assert json.loads(out)["still"] == "astronaut.jpg"


def test_css_with_every_option(runs, still, expected):
    out = _ok(runs["css"]).stdout.decode()
    reference = extract_palette(still, 4, space="rgb", order="hue", seed=3, init="random")
    assert reference.hex != expected.hex[:4]  # the options change the palette, so this test can fail
    found = re.findall(r"--palette-(\d+): (#[0-9A-F]{6});", out)
    assert found == [(str(i), code) for i, code in enumerate(reference.hex, start=1)]


def test_gpl_written_to_a_file(runs, out_dir, expected):
    assert _ok(runs["gpl"]).stdout == b""
    parsed = read_gpl((out_dir / "palette.gpl").read_text(encoding="utf-8"))
    assert parsed["name"] == "astronaut.jpg"
    assert [rgb for rgb, _ in parsed["rows"]] == _rgb_rows(expected)
    assert [label.split()[0] for _, label in parsed["rows"]] == list(expected.hex)


def test_ase_to_a_pipe(runs, expected):
    parsed = read_ase(_ok(runs["ase"]).stdout)
    assert parsed["groups"] == ["astronaut.jpg"]
    assert [tuple(round(v * 255) for v in c["values"]) for c in parsed["colors"]] == _rgb_rows(expected)
    assert [c["name"].split()[0] for c in parsed["colors"]] == list(expected.hex)


def test_png_swatch_to_a_file(runs, out_dir, expected):
    assert _ok(runs["png"]).stdout == b""
    size, bars = swatch_runs((out_dir / "swatch.png").read_bytes())
    assert size == (1200, 160)
    assert [rgb for rgb, _ in bars] == _rgb_rows(expected)
    assert np.all(np.abs(np.array([w for _, w in bars]) - expected.shares * 1200) < 1.0)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "case, message",
    [
        ("missing", r"missing\.jpg: no such file"),
        ("noise", r"not an image that can be read"),
        ("bad seed", r"'#12ZZ99' is not a hex colour code"),
        ("k too large", r"k=6 but this still has only 2 distinct colours"),
    ],
)
def test_bad_input_exits_2_with_one_line(runs, case, message):
    result = runs[case]
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert result.stdout == b""
    assert stderr.count("\n") == 1 and stderr.startswith("error: "), stderr
    assert "Traceback" not in stderr
    assert re.search(message, stderr), stderr


# In-process: the same error path, for more cases than are worth a process each.
@pytest.mark.parametrize(
    "args, message",
    [
        (["--space", "hsv"], "argument --space: invalid choice: 'hsv'"),
        (["--format", "pdf"], "argument --format: invalid choice: 'pdf'"),
        (["--init", "kmeans++"], "--init='kmeans++' must be k-means++ or random, or seed colours"),
        (["--init", "#000000,#000000"], "seed colour #000000 is given twice"),
        (["-k", "3", "--init", "#000000,#FFFFFF"], "2 seed colours were given but k=3"),
        (["-k", "0"], "k=0 must be an integer >= 1"),
        (["-k", "six"], "argument -k: invalid int value: 'six'"),
        (["--seed", "-1"], "argument --seed: -1 must be >= 0"),
        (["-o", "/nonexistent-dir/out.txt"], "/nonexistent-dir/out.txt: cannot be written"),
        (["-o", "{photo}"], "would overwrite the still itself"),
    ],
)
def test_bad_options_in_process(args, message, photo, capsys):
    before = photo.read_bytes()
    assert main([str(photo), *(a.format(photo=photo) for a in args)]) == 2
    assert photo.read_bytes() == before
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("error: ") and captured.err.count("\n") == 1
    assert message in captured.err


def test_missing_still_argument_is_one_line(capsys):
    assert main([]) == 2
    assert capsys.readouterr().err == "error: the following arguments are required: STILL\n"


def test_directory_is_not_a_still(tmp_path, capsys):
    assert main([str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err


def test_binary_output_is_refused_on_a_terminal(photo, monkeypatch, capsys):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stdout", Terminal())
    assert main([str(photo), "-k", "2", "--format", "png"]) == 2
    assert sys.stdout.getvalue() == ""
    assert "binary output is not written to a terminal" in capsys.readouterr().err


def test_help_exits_0(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "--format {hex,json,css,gpl,ase,aco,swatches,csv,png,moodboard,cube}" in out and "STILL" in out


# --------------------------------------------------------------------------- --method and --space oklab


def test_method_and_oklab_in_process(photo, still, capsys):
    assert main([str(photo), "-k", "5", "--method", "kmedoids", "--space", "oklab", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert (document["method"], document["space"], document["k"]) == ("kmedoids", "oklab", 5)
    expected = extract_palette(still, 5, method="kmedoids", space="oklab")
    assert [c["hex"] for c in document["colors"]] == list(expected.hex)
    assert {tuple(c["rgb"]) for c in document["colors"]} <= {tuple(c) for c in still.histogram.colors.tolist()}


@pytest.mark.parametrize(
    "args, message",
    [
        (["--method", "fuzzy"], "argument --method: invalid choice: 'fuzzy'"),
        (["--method", "octree", "--init", "#000000,#FFFFFF"], "method='octree' takes no seed colours"),
        (["--palette", "{photo}", "--method", "kmedians"], "cannot be combined with -k, --init or --method"),
    ],
)
def test_bad_method_options(args, message, photo, capsys):
    assert main([str(photo), *(a.format(photo=photo) for a in args)]) == 2
    assert message in capsys.readouterr().err
