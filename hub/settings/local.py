"""Settings for `make run` and development: DEBUG on, mail to the demo mailbox."""

from .base import *  # noqa: F403
from .base import env, env_bool, env_list

DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
SECRET_KEY = env("SECRET_KEY", "local-development-only-not-secret")
HUB_EMAIL_TRANSPORT = env("HUB_EMAIL_TRANSPORT", "mailbox")
