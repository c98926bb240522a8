"""Production settings: refuse to start unless the environment is safe."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, DEBUG, SECRET_KEY, env, env_bool

if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")
if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set SECRET_KEY to a random value of at least 50 characters.")
if not ALLOWED_HOSTS:  # read from the environment only: base.py gives it no default
    raise ImproperlyConfigured("Set ALLOWED_HOSTS to the hub's host names (comma-separated).")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
