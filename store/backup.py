"""A whole project as one ZIP file, and the careful reading of one.

:func:`write_backup` packs a project: ``project.json`` (everything but the
database ids and tokens), every still under ``stills/<sha256>.<ext>`` in its
original bytes, and under ``palettes/`` each saved palette's exports (JSON,
hex list, GIMP ``.gpl``, Adobe ``.ase`` and CSS, through
:mod:`kmeans_core.exports`) for a colourist to open directly.

:func:`read_backup` reads one back as a :class:`Backup`, treating the file as
hostile: it must be a ZIP within the size limits, with safe member names, not
encrypted, with members that unpack to no more than the limits (whatever their
headers claim), stills whose bytes match their digests, and a
``project.json`` that validates field by field. Any fault is a
:class:`~store.errors.StoreError` with a plain message, raised before the
store writes anything. No member is ever written to disk.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import hashlib
import io
import json
import math
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np

from kmeans_core.colorspace import SPACES
from kmeans_core.exports import export_filename, to_ase, to_css, to_gpl, to_hex_text, to_json
from kmeans_core.hexcodes import parse_hex_colors
from kmeans_core.lloyd import INITIALIZERS
from kmeans_core.palette import ORDERS, REFINEMENTS, Palette
from store.checks import (
    check_digest,
    check_hex_codes,
    check_json_object,
    check_note,
    check_shares,
    clean_name,
)
from store.errors import StoreError
from store.limits import Limits
from store.records import PaletteRecord, Project, SceneRecord, StillRecord

__all__ = [
    "BACKUP_FORMAT",
    "BACKUP_VERSION",
    "Backup",
    "BackupPalette",
    "BackupScene",
    "BackupStill",
    "palette_for_export",
    "read_backup",
    "write_backup",
]

#: The ``format`` tag of ``project.json``, and its version.
BACKUP_FORMAT = "palette-studio-project"
BACKUP_VERSION = 1

_PROJECT_JSON = "project.json"
#: The most ``project.json`` may unpack to.
_MAX_PROJECT_JSON = 64 * 1024**2
#: Members beside the stills and project.json: the palette exports, and a margin.
_FILES_PER_PALETTE = 5
_SPARE_MEMBERS = 16
_STILL_MEMBER = re.compile(r"stills/([0-9a-f]{64})\.[a-z0-9]{1,10}")
_EXTENSION = re.compile(r"[A-Za-z0-9]{1,10}")
_MAX_MEMBER_NAME = 255


@dataclasses.dataclass(frozen=True)
class BackupStill:
    """A still read from a backup, with its bytes (checked against the digest)."""

    digest: str
    name: str
    position: int
    added: datetime.datetime
    data: bytes


@dataclasses.dataclass(frozen=True)
class BackupPalette:
    """A saved palette read from a backup."""

    name: str
    note: str
    still_digest: str | None
    recipe: str
    hex_codes: tuple[str, ...]
    shares: tuple[float, ...] | None
    created: datetime.datetime


@dataclasses.dataclass(frozen=True)
class BackupScene:
    """A scene read from a backup."""

    name: str
    still_digests: tuple[str, ...]
    settings: str
    created: datetime.datetime


@dataclasses.dataclass(frozen=True)
class Backup:
    """A validated backup; JSON fields (settings, recipes) are canonical JSON text."""

    name: str
    created: datetime.datetime
    settings: str
    stills: tuple[BackupStill, ...]
    palettes: tuple[BackupPalette, ...]
    scenes: tuple[BackupScene, ...]


# --------------------------------------------------------------------------- writing


def palette_for_export(record: PaletteRecord) -> Palette:
    """A :class:`~kmeans_core.palette.Palette` of a saved palette, for :mod:`kmeans_core.exports`.

    Recipe values the exporters do not know fall back to the palette's
    defaults; missing shares become equal shares. The inertia is unknown (NaN).
    """
    rgb = parse_hex_colors(" ".join(record.hex_codes))
    k = len(rgb)
    shares = np.full(k, 1.0 / k) if record.shares is None else np.array(record.shares, dtype=np.float64)
    recipe = record.recipe
    init = recipe.get("init")
    seeds = recipe.get("seeds")
    if init == "manual" and isinstance(seeds, list) and len(seeds) == k and all(isinstance(s, str) for s in seeds):
        seeds = tuple(seeds)
    else:
        init, seeds = (init if init in INITIALIZERS else "k-means++"), ()
    seed = recipe.get("seed", 0)
    return Palette(
        rgb=rgb,
        shares=shares,
        inertia=math.nan,
        space=recipe.get("space") if recipe.get("space") in SPACES else "lab",
        init=init,
        seed=seed if seed is None or (isinstance(seed, int) and not isinstance(seed, bool) and seed >= 0) else 0,
        seed_colors=seeds,
        order=recipe.get("order") if recipe.get("order") in ORDERS else "share",
        refine=recipe.get("refine") if recipe.get("refine") in REFINEMENTS else "none",
    )


def _palette_files(record: PaletteRecord, number: int, still_name: str | None) -> dict[str, str | bytes]:
    palette = palette_for_export(record)
    exports: dict[str, str | bytes] = {
        "json": to_json(palette, name=still_name),
        "txt": to_hex_text(palette),
        "gpl": to_gpl(palette, name=record.name),
        "ase": to_ase(palette, name=record.name),
        "css": to_css(palette),
    }
    stem = export_filename(record.name, palette.k, "x")[: -len(".x")]
    return {f"palettes/{number:04d}-{stem}.{ext}": content for ext, content in exports.items()}


def _still_member(still: StillRecord) -> str:
    ext = still.name.rpartition(".")[2] if "." in still.name else ""
    return f"stills/{still.digest}.{ext.lower() if _EXTENSION.fullmatch(ext) else 'bin'}"


def write_backup(
    project: Project,
    *,
    stills: Iterable[StillRecord],
    still_data: Callable[[str], bytes],
    palettes: Iterable[PaletteRecord],
    scenes: Iterable[SceneRecord],
) -> bytes:
    """Pack a project as ZIP bytes.

    Parameters
    ----------
    project : Project
    stills : iterable of StillRecord
    still_data : callable
        ``still_data(digest) -> bytes``, called once per still, so that only
        one still's bytes need be held at a time besides the ZIP.
    palettes : iterable of PaletteRecord
    scenes : iterable of SceneRecord

    Returns
    -------
    bytes
    """
    stills = list(stills)
    names = {still.digest: still.name for still in stills}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        palette_entries = []
        for number, record in enumerate(palettes, start=1):
            files = _palette_files(record, number, names.get(record.still_digest))
            for member, content in files.items():
                archive.writestr(member, content)
            palette_entries.append(
                {
                    "name": record.name,
                    "note": record.note,
                    "still_digest": record.still_digest,
                    "recipe": record.recipe,
                    "hex_codes": list(record.hex_codes),
                    "shares": None if record.shares is None else list(record.shares),
                    "created": record.created.isoformat(),
                    "files": sorted(files),
                }
            )
        still_entries = []
        for still in stills:
            member = _still_member(still)
            # Stills are compressed images already: store them as they are.
            archive.writestr(member, still_data(still.digest), compress_type=zipfile.ZIP_STORED)
            still_entries.append(
                {
                    "digest": still.digest,
                    "name": still.name,
                    "position": still.position,
                    "added": still.added.isoformat(),
                    "file": member,
                }
            )
        document = {
            "format": BACKUP_FORMAT,
            "version": BACKUP_VERSION,
            "name": project.name,
            "created": project.created.isoformat(),
            "settings": project.settings,
            "stills": still_entries,
            "palettes": palette_entries,
            "scenes": [
                {
                    "name": scene.name,
                    "still_digests": list(scene.still_digests),
                    "settings": scene.settings,
                    "created": scene.created.isoformat(),
                }
                for scene in scenes
            ],
        }
        archive.writestr(_PROJECT_JSON, json.dumps(document, indent=1, ensure_ascii=False, allow_nan=False))
    return buffer.getvalue()


# --------------------------------------------------------------------------- reading


def read_backup(data: bytes, *, limits: Limits) -> Backup:
    """Read and check a backup made by :func:`write_backup`.

    Parameters
    ----------
    data : bytes
        The ZIP file's bytes, untrusted.
    limits : Limits
        What one project may hold; the backup must fit.

    Returns
    -------
    Backup

    Raises
    ------
    StoreError
        For anything but a valid backup within the limits, saying what is wrong.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise StoreError(f"a backup must be the bytes of a ZIP file, got {type(data).__name__}")
    if len(data) > limits.backup_bytes:
        raise StoreError(f"this backup is {len(data)} bytes; the most the store reads is {limits.backup_bytes}")
    try:
        with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
            members = _check_members(archive, limits)
            document = _read_document(archive, members)
            budget = [limits.project_bytes]
            still_files = {
                match.group(1): info
                for info in members.values()
                if (match := _STILL_MEMBER.fullmatch(info.filename)) is not None
            }
            return _build(document, archive, still_files, budget, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as error:
        raise StoreError(
            f"this is not a readable backup ZIP file ({' '.join(str(error).split()) or 'damaged'})"
        ) from None
    except OSError as error:
        raise StoreError(f"this backup ZIP file is damaged ({' '.join(str(error).split())})") from None


def _check_members(archive: zipfile.ZipFile, limits: Limits) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    most = 1 + limits.stills + _FILES_PER_PALETTE * limits.palettes + _SPARE_MEMBERS
    if len(infos) > most:
        raise StoreError(f"this backup holds {len(infos)} files; a project's backup holds at most {most}")
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        name = info.filename
        parts = name.replace("\\", "/").split("/")
        if (
            len(name) > _MAX_MEMBER_NAME
            or name.startswith("/")
            or "\\" in name
            or ":" in name
            or "\x00" in name
            or any(part in ("..", ".") for part in parts)
        ):
            raise StoreError(f"this backup holds a file with an unsafe name: {name[:120]!r}")
        if name in members:
            raise StoreError(f"this backup holds {name[:120]!r} twice")
        if info.flag_bits & 0x1:
            raise StoreError(f"this backup's file {name[:120]!r} is encrypted; backups are not")
        members[name] = info
    if _PROJECT_JSON not in members:
        raise StoreError(f"this ZIP file holds no {_PROJECT_JSON}: it is not a palette studio backup")
    return members


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, most: int, budget: list[int]) -> bytes:
    """The member's bytes, refusing to unpack more than ``most`` or the remaining budget."""
    cap = min(most, budget[0])
    if info.file_size > cap:
        raise StoreError(f"{info.filename[:120]!r} in this backup unpacks to {info.file_size} bytes; too big")
    with archive.open(info) as member:
        content = member.read(cap + 1)  # a lying header cannot make us unpack more
    if len(content) > cap:
        raise StoreError(f"{info.filename[:120]!r} in this backup unpacks to more than {cap} bytes; too big")
    budget[0] -= len(content)
    return content


def _read_document(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]) -> dict:
    raw = _read_member(archive, members[_PROJECT_JSON], most=_MAX_PROJECT_JSON, budget=[_MAX_PROJECT_JSON])
    try:
        document = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise StoreError(f"{_PROJECT_JSON} in this backup is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise StoreError(
            f"{_PROJECT_JSON} in this backup is not valid JSON: {error.msg} at line {error.lineno}"
        ) from None
    if not isinstance(document, dict):
        raise StoreError(f"{_PROJECT_JSON} in this backup must hold an object, got {type(document).__name__}")
    if document.get("format") != BACKUP_FORMAT:
        raise StoreError(f"format={document.get('format')!r:.60} in {_PROJECT_JSON}: not a palette studio backup")
    if document.get("version") != BACKUP_VERSION:
        raise StoreError(f"version={document.get('version')!r:.60} in {_PROJECT_JSON} is not supported")
    return document


@contextlib.contextmanager
def _at(where: str) -> Iterator[None]:
    """Prefix a fault found inside the block with where in ``project.json`` it is."""
    try:
        yield
    except StoreError as error:
        raise StoreError(f"{where} in {_PROJECT_JSON}: {error}") from None


def _field(entry: Any, key: str, kind: type | tuple[type, ...]) -> Any:
    if not isinstance(entry, dict):
        raise StoreError(f"must be an object, got {type(entry).__name__}")
    if key not in entry:
        raise StoreError(f"{key!r} is missing")
    value = entry[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise StoreError(f"{key}={value!r:.60} has the wrong type")
    return value


def _when(entry: Any, key: str) -> datetime.datetime:
    text = _field(entry, key, str)
    try:
        value = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise StoreError(f"{key}={text!r:.60} is not a date and time") from None
    if value.tzinfo is None:
        raise StoreError(f"{key}={text!r:.60} has no time zone")
    return value.astimezone(datetime.UTC)


def _entries(document: dict, key: str, most: int) -> list:
    with _at("the project"):
        entries = _field(document, key, list)
    if len(entries) > most:
        raise StoreError(f"this backup holds {len(entries)} {key}; a project holds at most {most}")
    return entries


def _still(entry: Any, archive: zipfile.ZipFile, still_files: dict, budget: list[int], limits: Limits) -> BackupStill:
    digest = check_digest(_field(entry, "digest", str))
    if digest not in still_files:
        raise StoreError(f"still {digest} is listed but the backup holds no stills/{digest} file")
    content = _read_member(archive, still_files[digest], most=limits.still_bytes, budget=budget)
    if hashlib.sha256(content).hexdigest() != digest:
        raise StoreError(f"the file of still {digest} does not match its digest: it is damaged")
    return BackupStill(
        digest=digest,
        name=clean_name(_field(entry, "name", str), what="still"),
        position=_field(entry, "position", int),
        added=_when(entry, "added"),
        data=content,
    )


def _palette(entry: Any, digests: set[str]) -> BackupPalette:
    still_digest = _field(entry, "still_digest", (str, type(None)))
    if still_digest is not None and still_digest not in digests:
        raise StoreError(f"still_digest={still_digest!r:.80} is not a still of this backup")
    hex_codes = check_hex_codes(_field(entry, "hex_codes", list))
    return BackupPalette(
        name=clean_name(_field(entry, "name", str), what="palette"),
        note=check_note(_field(entry, "note", str)),
        still_digest=still_digest,
        recipe=check_json_object(_field(entry, "recipe", dict), what="the recipe"),
        hex_codes=hex_codes,
        shares=check_shares(_field(entry, "shares", (list, type(None))), count=len(hex_codes)),
        created=_when(entry, "created"),
    )


def _scene(entry: Any, digests: set[str]) -> BackupScene:
    members = _field(entry, "still_digests", list)
    if not all(isinstance(digest, str) and digest in digests for digest in members):
        raise StoreError("still_digests lists a still that is not in this backup")
    return BackupScene(
        name=clean_name(_field(entry, "name", str), what="scene"),
        still_digests=tuple(members),
        settings=check_json_object(_field(entry, "settings", dict), what="settings"),
        created=_when(entry, "created"),
    )


def _build(
    document: dict,
    archive: zipfile.ZipFile,
    still_files: dict[str, zipfile.ZipInfo],
    budget: list[int],
    limits: Limits,
) -> Backup:
    stills: list[BackupStill] = []
    for i, entry in enumerate(_entries(document, "stills", limits.stills)):
        with _at(f"stills[{i}]"):
            still = _still(entry, archive, still_files, budget, limits)
            if any(still.digest == other.digest for other in stills):
                raise StoreError(f"still {still.digest} is listed twice")
        stills.append(still)
    digests = {still.digest for still in stills}
    palettes = []
    for i, entry in enumerate(_entries(document, "palettes", limits.palettes)):
        with _at(f"palettes[{i}]"):
            palettes.append(_palette(entry, digests))
    scenes = []
    for i, entry in enumerate(_entries(document, "scenes", limits.scenes)):
        with _at(f"scenes[{i}]"):
            scenes.append(_scene(entry, digests))
    with _at("the project"):
        return Backup(
            name=clean_name(_field(document, "name", str), what="project"),
            created=_when(document, "created"),
            settings=check_json_object(_field(document, "settings", dict), what="settings"),
            stills=tuple(stills),
            palettes=tuple(palettes),
            scenes=tuple(scenes),
        )
