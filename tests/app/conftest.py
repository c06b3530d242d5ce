import pytest
import streamlit.testing.v1.app_test as app_test

from tests.app.helpers import RecordingStorage


@pytest.fixture
def recorded_downloads(monkeypatch):
    """Keep the files behind download buttons, to check their content."""
    RecordingStorage.files = {}
    monkeypatch.setattr(app_test, "MemoryMediaFileStorage", RecordingStorage)
    return RecordingStorage.files
