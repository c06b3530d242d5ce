"""Eight sessions saving at once, into one project and into their own: nothing lost, nothing mixed."""

from __future__ import annotations

import concurrent.futures
import threading

from store import LimitError, Limits, open_store
from tests.store.conftest import still_data

SESSIONS = 8
SAVES = 8


def _colour(session: int, i: int) -> str:
    return f"#{session:02X}{i:02X}{(session * 31 + i) % 256:02X}"


def _run(sessions: int, work) -> list:
    """Call ``work(session)`` in ``sessions`` threads released together; their results in order."""
    start = threading.Barrier(sessions)

    def task(session):
        start.wait()
        return work(session)

    with concurrent.futures.ThreadPoolExecutor(sessions) as pool:
        return list(pool.map(task, range(sessions)))


def _save(handle, session: int) -> list[int]:
    ids = []
    for i in range(SAVES):
        saved = handle.save_palette(
            name=f"session {session} palette {i}", recipe={"session": session, "i": i},
            hex_codes=[_colour(session, i)], shares=[1.0],
        )  # fmt: skip
        ids.append(saved.id)
        if i % 4 == 0:
            handle.add_still(f"session {session} still {i}", still_data(1000 * session + i, size=2000))
    return ids


def _check(palettes, session: int) -> None:
    for palette in palettes:
        assert palette.recipe["session"] == session
        i = palette.recipe["i"]
        assert palette.name == f"session {session} palette {i}" and palette.hex_codes == (_colour(session, i),)


def test_eight_sessions_saving_into_one_project(db_url):
    with open_store(db_url) as store:
        token = store.create_project("Shared").edit_token
        ids = _run(SESSIONS, lambda session: _save(store.open_project(token), session))
        handle = store.open_project(token)
        palettes = handle.list_palettes()
        assert sorted(p.id for p in palettes) == sorted(i for session_ids in ids for i in session_ids)
        assert len(palettes) == SESSIONS * SAVES
        for session in range(SESSIONS):
            _check([p for p in palettes if p.recipe["session"] == session], session)
        stills = handle.list_stills()
        assert len(stills) == SESSIONS * 2
        assert sorted(still.position for still in stills) == list(range(SESSIONS * 2))  # no position given twice
        for still in stills:
            session, i = (int(word) for word in still.name.split()[1::2])
            assert handle.still_bytes(still.digest) == still_data(1000 * session + i, size=2000)


def test_eight_sessions_saving_into_their_own_projects(db_url):
    with open_store(db_url) as store:
        tokens = [store.create_project(f"Session {session}").edit_token for session in range(SESSIONS)]
        _run(SESSIONS, lambda session: _save(store.open_project(tokens[session]), session))
        for session, token in enumerate(tokens):
            handle = store.open_project(token)
            palettes = handle.list_palettes()
            assert len(palettes) == SAVES
            _check(palettes, session)
            assert [p.name for p in palettes] == [f"session {session} palette {i}" for i in range(SAVES)]
            assert len(handle.list_stills()) == 2


def test_the_still_limit_holds_when_sessions_race_for_the_last_places(db_url):
    with open_store(db_url, limits=Limits(stills=5)) as store:
        token = store.create_project("Race").edit_token

        def add(session):
            try:
                store.open_project(token).add_still(f"{session}.png", still_data(session))
            except LimitError:
                return "refused"
            return "added"

        outcomes = _run(SESSIONS, add)
        assert outcomes.count("added") == 5 and outcomes.count("refused") == SESSIONS - 5
        assert len(store.open_project(token).list_stills()) == 5


def test_two_stores_on_one_database_like_two_app_servers(db_url):
    stores = 2
    opened = [open_store(db_url) for _ in range(stores)]
    try:
        token = opened[0].create_project("Two servers").edit_token
        _run(SESSIONS, lambda session: _save(opened[session % stores].open_project(token), session))
        palettes = opened[1].open_project(token).list_palettes()
        assert len(palettes) == SESSIONS * SAVES
        for session in range(SESSIONS):
            _check([p for p in palettes if p.recipe["session"] == session], session)
    finally:
        for store in opened:
            store.close()
