"""Settings for the test suite."""

import atexit
import shutil
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import env, env_list

DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
SECRET_KEY = "test-only-not-secret"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUB_EMAIL_TRANSPORT = env("HUB_EMAIL_TRANSPORT", "smtp")
EMAIL_PORT = int(env("EMAIL_PORT", "2525"))
# Entries chain as they are written, so tests may order them by sequence inside their transaction;
# apps/audit tests chaining after commit.
AUDIT_CHAIN_AFTER_COMMIT = False
AUDIT_CHAIN_AT_MOST_EVERY = 0.0  # every write chains (apps/audit tests a longer interval)
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Uploads made by tests go to a folder of this run's own, never the development data in var/.
_TEST_FILES = Path(tempfile.mkdtemp(prefix="hub-test-files-"))
MEDIA_ROOT = _TEST_FILES / "media"
PROTECTED_MEDIA_ROOT = _TEST_FILES / "protected"
atexit.register(shutil.rmtree, _TEST_FILES, ignore_errors=True)
