"""The command line's new formats and --palette, run as ``python -m kmeans_core``.

Every output is read back with the independent readers of
test_export_formats.py and test_exports.py (or colour-science for the
.cube), and compared with what kmeans_core gives in-process.
"""

from __future__ import annotations

import csv
import io
import subprocess
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from kmeans_core import (
    apply_palette,
    extract_palette,
    load_still,
    palette_from_json,
    palette_lut,
    read_palette,
    to_gpl,
)
from kmeans_core.cli import main
from tests.colour_science import colour
from tests.test_cli import photo, run_cli  # noqa: F401  (photo is a fixture)
from tests.test_export_formats import read_aco, read_procreate, swatch_rectangles


@pytest.fixture(scope="module")
def fixed_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("palettes") / "look.gpl"
    text = "GIMP Palette\nName: Night\n#\n 20  30  60 navy\n200 180 150 sand\n120  40  30 rust\n"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("out")


@pytest.fixture(scope="module")
def runs(photo, fixed_file, out_dir) -> dict[str, subprocess.CompletedProcess]:  # noqa: F811
    cases = {
        "cube": [photo, "-k", "6", "--format", "cube", "-o", out_dir / "look.cube"],
        "cube options": [
            photo,
            "-k",
            "4",
            "--format",
            "cube",
            "--lut-size",
            "17",
            "--strength",
            "0.5",
            "--smoothness",
            "0.4",
            "--preserve-lightness",
        ],
        "cube fixed": [photo, "--palette", fixed_file, "--format", "cube", "--lut-size", "17"],
        "aco": [photo, "-k", "6", "--format", "aco", "-o", out_dir / "palette.aco"],
        "swatches": [photo, "-k", "6", "--format", "swatches"],
        "moodboard": [photo, "-k", "6", "--format", "moodboard", "-o", out_dir / "board.png"],
        "csv": [photo, "-k", "6", "--format", "csv"],
        "json fixed": [photo, "--palette", fixed_file, "--format", "json"],
    }
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(run_cli, *argv) for name, argv in cases.items()}
        return {name: future.result() for name, future in futures.items()}


@pytest.fixture(scope="module")
def still(photo):  # noqa: F811
    return load_still(photo.read_bytes())


@pytest.fixture(scope="module")
def expected(still):
    return extract_palette(still, 6)


def _ok(result: subprocess.CompletedProcess) -> bytes:
    assert result.returncode == 0, result.stderr.decode()
    assert result.stderr == b""
    return result.stdout


def _read_cube(path: Path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return colour.read_LUT(str(path))


def test_cube_for_the_stills_palette(runs, out_dir, expected):
    assert _ok(runs["cube"]) == b""
    lut = _read_cube(out_dir / "look.cube")
    assert lut.size == 33
    np.testing.assert_allclose(lut.table, palette_lut(expected), atol=5e-7)
    text = (out_dir / "look.cube").read_text(encoding="ascii")
    assert "astronaut.jpg" in text and " ".join(expected.hex) in text


def test_cube_with_every_lut_option(runs, still, tmp_path):
    path = tmp_path / "options.cube"
    path.write_bytes(_ok(runs["cube options"]))
    reference = palette_lut(extract_palette(still, 4), size=17, strength=0.5, smoothness=0.4, preserve_lightness=True)
    np.testing.assert_allclose(_read_cube(path).table, reference, atol=5e-7)
    assert "strength 0.50, smoothness 0.4" in path.read_text(encoding="ascii")


def test_cube_for_a_fixed_palette(runs, still, fixed_file, tmp_path):
    path = tmp_path / "fixed.cube"
    path.write_bytes(_ok(runs["cube fixed"]))
    fixed = apply_palette(still, read_palette(fixed_file.read_bytes()).rgb)
    np.testing.assert_allclose(_read_cube(path).table, palette_lut(fixed, size=17), atol=5e-7)
    text = path.read_text(encoding="ascii")
    assert all(code in text for code in ("#141E3C", "#C8B496", "#78281E"))


def test_json_for_a_fixed_palette_reports_its_shares_on_the_still(runs, still):
    palette = palette_from_json(_ok(runs["json fixed"]))
    reference = apply_palette(still, np.array([[20, 30, 60], [200, 180, 150], [120, 40, 30]], dtype=np.uint8))
    assert palette.init == "fixed" and palette.k == 3
    np.testing.assert_array_equal(palette.rgb, reference.rgb)
    np.testing.assert_allclose(palette.shares, reference.shares, atol=1e-15)
    assert palette.shares.min() > 0


def test_aco(runs, out_dir, expected):
    assert _ok(runs["aco"]) == b""
    sections = read_aco((out_dir / "palette.aco").read_bytes())
    assert [values[:3] for _, values, _ in sections[2]] == [tuple(v * 257 for v in c) for c in expected.rgb.tolist()]
    assert [name.split()[0] for _, _, name in sections[2]] == list(expected.hex)


def test_procreate_swatches(runs, expected):
    document = read_procreate(_ok(runs["swatches"]))
    assert document["name"] == "astronaut.jpg" and len(document["swatches"]) == 6


def test_moodboard(runs, out_dir, expected):
    assert _ok(runs["moodboard"]) == b""
    size, boxes = swatch_rectangles((out_dir / "board.png").read_bytes(), expected.rgb.tolist())
    assert size[0] == 1200 and len(boxes) == 6


def test_csv(runs, expected):
    rows = list(csv.DictReader(io.StringIO(_ok(runs["csv"]).decode())))
    assert [row["hex"] for row in rows] == list(expected.hex)
    np.testing.assert_allclose([float(row["share"]) for row in rows], expected.shares, atol=1e-15)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--format", "cube", "--lut-size", "32"], "argument --lut-size: invalid choice: 32"),
        (["--format", "cube", "--strength", "1.5"], "argument --strength: 1.5 must be from 0 to 1"),
        (["--format", "cube", "--strength", "strong"], "argument --strength: 'strong' is not a number"),
        (["--format", "cube", "--smoothness", "-1"], "argument --smoothness: -1 must be from 0 to 100"),
        (["--strength", "0.5"], "--strength applies only to --format cube"),
        (["--format", "gpl", "--lut-size", "17"], "--lut-size applies only to --format cube"),
        (["--palette", "{palette}", "-k", "3"], "--palette gives the colours; it cannot be combined with -k or --init"),
        (["--palette", "/nonexistent/palette.gpl"], "/nonexistent/palette.gpl: no such file"),
        (["--palette", "{photo}"], "photo.jpg: not a palette file we know"),
    ],
)
def test_bad_lut_and_palette_options(args, message, photo, fixed_file, capsys):  # noqa: F811
    argv = [a.format(palette=fixed_file, photo=photo) for a in args]
    assert main([str(photo), *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("error: ") and captured.err.count("\n") == 1
    assert message.replace("photo.jpg", photo.name) in captured.err


def test_palette_file_in_process_gives_the_same_as_the_gpl(photo, fixed_file, capsys):  # noqa: F811
    assert main([str(photo), "--palette", str(fixed_file), "--format", "gpl", "--order", "lightness"]) == 0
    out = capsys.readouterr().out
    reference = apply_palette(
        load_still(photo.read_bytes()), read_palette(fixed_file.read_bytes()).rgb, order="lightness"
    )
    assert out == to_gpl(reference, name=photo.name)
