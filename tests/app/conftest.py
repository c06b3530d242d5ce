import pytest
import streamlit.testing.v1.app_test as app_test

from tests.app.helpers import RecordingManager, RecordingStorage


@pytest.fixture
def recorded_downloads(monkeypatch):
    """Keep the files behind download buttons, to check their content."""
    RecordingStorage.files = {}
    RecordingManager.deferred = {}
    monkeypatch.setattr(app_test, "MemoryMediaFileStorage", RecordingStorage)
    monkeypatch.setattr(app_test, "MediaFileManager", RecordingManager)
    return RecordingStorage.files


@pytest.fixture(autouse=True)
def project_database(tmp_path, monkeypatch):
    """Every AppTest session keeps its projects in its own SQLite file (never the default one).

    The app opens one store per database URL (``st.cache_resource``); it is
    cleared after each test, so no test sees another's database.
    """
    from studio import project

    path = tmp_path / "projects.sqlite3"
    monkeypatch.setenv("PALETTE_STUDIO_DB", str(path))
    yield path
    project.clear_stores()
