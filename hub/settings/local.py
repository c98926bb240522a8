"""Settings for `make run` and development: the hub's own error pages (Django's debug pages only with
DEBUG=1), static files and uploads served by the hub itself, mail to the demo mailbox."""

from .base import *  # noqa: F403
from .base import STORAGES, env, env_bool, env_list

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
SECRET_KEY = env("SECRET_KEY", "local-development-only-not-secret")
HUB_EMAIL_TRANSPORT = env("HUB_EMAIL_TRANSPORT", "mailbox")

# WhiteNoise serves static files straight from the apps' folders, with or without DEBUG and with no
# collectstatic; uploads (news images) are served too, as runserver does only with DEBUG on.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
HUB_SERVE_MEDIA = True
# `make run` loads the demo with DEBUG off (it shows the hub's own error pages), so these settings allow it.
HUB_DEMO_ALLOWED = True
