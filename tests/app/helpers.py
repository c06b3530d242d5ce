"""Shared helpers for the AppTest suites: start the app, read what a page shows."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import numpy as np
from PIL import Image
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
SAMPLES = ROOT / "assets" / "samples"
_HEX = re.compile(r'class="swatch" data-hex="(#[0-9A-F]{6})"')
_SHARE = re.compile(r'class="swatch-share">([^<]*) of frame</span>')
_STRIP = re.compile(r'class="strip-bar" data-hex="(#[0-9A-F]{6})"')


def open_app(timeout: float = 60) -> AppTest:
    """The app as a fresh session sees it, after its first run."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.run()
    assert not at.exception, at.exception
    return at


def open_with_seeds(text: str, timeout: float = 60) -> AppTest:
    """A fresh session that starts from the user's own seed colours, typed as ``text``."""
    at = open_app(timeout)
    widget(at.radio, "Initializer").set_value("manual").run()
    widget(at.text_area, "Seed colours").input(text).run()
    return at


def open_page(script: str, title: str, timeout: float = 60) -> AppTest:
    """A fresh session that opens the app, then switches to the page ``script``."""
    at = open_app(timeout)
    at.switch_page(script).run()
    assert not at.exception, at.exception
    assert at.title[0].value == title
    return at


def html_bodies(at: AppTest) -> list[str]:
    return [element.proto.body for element in at.get("html")]


def swatch_hexes(at: AppTest) -> list[str]:
    """The hex codes of the swatch blocks on the page, in order."""
    return [code for body in html_bodies(at) for code in _HEX.findall(body)]


def swatch_shares(at: AppTest) -> list[str]:
    """The share of the frame each swatch shows, as written (``"31.2%"``)."""
    return [html.unescape(share) for body in html_bodies(at) for share in _SHARE.findall(body)]


def strips(at: AppTest) -> list[list[str]]:
    """The hex codes of each swatch strip on the page."""
    return [_STRIP.findall(body) for body in html_bodies(at) if "swatch-strip" in body]


def jpeg_bytes(pixels: np.ndarray, quality: int = 92) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def errors(at: AppTest) -> list[str]:
    return [element.value for element in at.error]


def widget(elements, label: str):
    """The one widget among ``elements`` with this label."""
    matches = [element for element in elements if element.label == label]
    assert len(matches) == 1, [element.label for element in elements]
    return matches[0]


class RecordingStorage(MemoryMediaFileStorage):
    """Media storage that keeps every file the app hands to the browser."""

    files: dict[str, tuple[bytes, str | None]] = {}

    def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
        file_id = super().load_and_get_id(path_or_data, mimetype, kind, filename)
        stored = self.get_file(file_id)
        RecordingStorage.files[file_id] = (stored.content, filename)
        return file_id


class RecordingManager(MediaFileManager):
    """Media manager that keeps the callables of deferred downloads."""

    deferred: dict[str, tuple[object, str | None]] = {}

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, *, element_id=""):
        file_id = super().add_deferred(data_callable, mimetype, coordinates, file_name, element_id=element_id)
        RecordingManager.deferred[file_id] = (data_callable, file_name)
        return file_id


def downloaded(at: AppTest, label: str) -> tuple[bytes, str]:
    """The content and file name behind the download button ``label``.

    Needs the ``recorded_downloads`` fixture, which makes the app's media
    storage keep what it serves. A deferred download's callable is called,
    as a click would.
    """
    button = widget(at.get("download_button"), label)
    if button.proto.deferred_file_id:
        make, name = RecordingManager.deferred[button.proto.deferred_file_id]
        content = make()
        return (content.encode() if isinstance(content, str) else content), name
    file_id = button.proto.url.rsplit("/", 1)[-1].split(".")[0]
    content, name = RecordingStorage.files[file_id]
    return content, name


def shown_frames(at: AppTest) -> list[tuple[str, bytes]]:
    """The address and the file of every image on the page, in order.

    Needs the ``recorded_downloads`` fixture, which makes the app's media
    storage keep what it serves.
    """
    shown = []
    for element in at.get("image"):
        for image in element.proto.imgs:
            file_id = image.url.rsplit("/", 1)[-1].split(".")[0]
            shown.append((image.url, RecordingStorage.files[file_id][0]))
    return shown
