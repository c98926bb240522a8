import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def library_files_in_a_temporary_folder(settings, tmp_path):
    settings.PROTECTED_MEDIA_ROOT = tmp_path / "protected"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.PROTECTED_MEDIA_ROOT


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()
