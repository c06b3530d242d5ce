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
