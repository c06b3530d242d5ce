"""The command line on scenes: several stills, --lock, --keep-borders and --crop (issue 9)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

import kmeans_core as kc
from kmeans_core.cli import main


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Three small stills (PNG, JPEG, WEBP) and a letterboxed one."""
    from skimage import data

    folder = tmp_path_factory.mktemp("scene")
    paths = {}
    for name, ext in (("astronaut", "png"), ("coffee", "jpg"), ("chelsea", "webp")):
        path = folder / f"{name}.{ext}"
        Image.fromarray(getattr(data, name)()).resize((120, 90)).save(path, lossless=True) if ext == "webp" else (
            Image.fromarray(getattr(data, name)()).resize((120, 90)).save(path)
        )
        paths[name] = path
    picture = np.asarray(Image.fromarray(data.rocket()).resize((120, 80)))
    boxed = np.zeros((110, 120, 3), np.uint8)
    boxed[15:95] = picture
    paths["boxed"] = folder / "boxed.png"
    Image.fromarray(boxed).save(paths["boxed"])
    paths["picture"] = picture
    return paths


def run(capsys, *args) -> str:
    assert main([str(a) for a in args]) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def loaded(path) -> kc.Still:
    return kc.frame_region(kc.load_still(path.read_bytes()))


def test_several_stills_give_the_scene_palette_and_a_line_per_still(files, capsys):
    paths = [files["astronaut"], files["coffee"], files["chelsea"]]
    document = json.loads(run(capsys, *paths, "-k", "6", "--format", "json"))
    stills = [loaded(p) for p in paths]
    palette = kc.scene_palette(stills, 6)
    assert [c["hex"] for c in document["colors"]] == list(palette.hex)
    drift = kc.scene_drift(stills, palette)
    assert [s["name"] for s in document["stills"]] == ["astronaut.png", "coffee.jpg", "chelsea.webp"]
    for entry, row in zip(document["stills"], drift.stills, strict=True):
        assert set(entry) == {"name", "delta_e_mean", "delta_e_p95", "drift", "flagged"}
        assert entry["delta_e_mean"] == pytest.approx(row.delta_e_mean, rel=1e-12)
        assert entry["delta_e_p95"] == pytest.approx(row.delta_e_p95, rel=1e-12)
        assert entry["drift"] == pytest.approx(row.drift.tolist(), rel=1e-12)
        assert len(entry["drift"]) == 6 and entry["flagged"] is row.is_flagged
    # Other formats give the scene palette too.
    assert run(capsys, *paths, "-k", "6").split() == list(palette.hex)


def test_a_fixed_palette_on_a_scene_keeps_its_colours(files, capsys, tmp_path):
    fixed = tmp_path / "look.json"
    fixed.write_text(kc.to_json(kc.extract_palette(loaded(files["coffee"]), 4)))
    document = json.loads(run(capsys, files["astronaut"], files["coffee"], "--palette", fixed, "--format", "json"))
    assert document["init"] == "fixed"
    assert {c["hex"] for c in document["colors"]} == set(kc.palette_from_json(fixed.read_text()).hex)
    assert len(document["stills"]) == 2 and document["stills"][1]["flagged"] is False


def test_lock_keeps_the_colours_and_k_counts_them(files, capsys):
    out = run(capsys, files["astronaut"], "--lock", "#112233,#445566", "-k", "6").split()
    assert len(out) == 6 and {"#112233", "#445566"} <= set(out)
    expected = kc.extract_palette(loaded(files["astronaut"]), 6, locked=["#112233", "#445566"])
    assert out == list(expected.hex)


def test_borders_are_left_out_unless_kept(files, capsys):
    default = run(capsys, files["boxed"], "-k", "4").split()
    assert default == list(kc.extract_palette(kc.still_from_pixels(files["picture"]), 4).hex)
    kept = run(capsys, files["boxed"], "-k", "4", "--keep-borders").split()
    assert kept == list(kc.extract_palette(kc.load_still(files["boxed"].read_bytes()), 4).hex)
    assert kept != default


def test_crop_limits_the_palette_to_the_region(files, capsys):
    out = run(capsys, files["astronaut"], "-k", "3", "--crop", "10,5,70,65").split()
    pixels = kc.load_still(files["astronaut"].read_bytes()).pixels
    assert out == list(kc.extract_palette(kc.still_from_pixels(np.ascontiguousarray(pixels[5:65, 10:70])), 3).hex)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--crop", "1,2,3"], "argument --crop: '1,2,3' must be four whole numbers x0,y0,x1,y1"),
        (["--crop", "0,0,500,50"], "crop=(0, 0, 500, 50) must satisfy 0 <= x0 < x1 <= 120"),
        (["--lock", "#12345"], "--lock: '#12345' is not a hex colour code"),
        (["--lock", "#000000,#111111,#222222", "-k", "2"], "3 locked colours were given but k=2"),
        (
            ["--lock", "#000000", "--palette", "x.json"],
            "--palette gives the colours; it cannot be combined with --lock",
        ),
    ],
)
def test_bad_scene_options_exit_2(files, capsys, args, message):
    assert main([str(files["astronaut"]), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and message in err, err
