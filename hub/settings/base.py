"""Settings shared by every environment. Everything that differs comes from the environment."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY", "")
# No default here, so production refuses to start without it; local and test settings default to this machine.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
HUB_BASE_URL = env("HUB_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
HUB_SITE_NAME = "Safeguarding Partnership Hub"

INSTALLED_APPS = [
    # The hub's own apps, one per area of the product.
    "apps.core",
    "apps.accounts",
    "apps.audit",
    "apps.notifications",
    "apps.pages",
    "apps.news",
    "apps.awareness",
    "apps.documents",
    "apps.training",
    "apps.referrals",
    "apps.linkage",
    "apps.earlyhelp",
    "apps.attendance",
    "apps.localoffer",
    "apps.practicetools",
    "apps.demo",
    # Accounts and MFA.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Content management.
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.images",
    "wagtail.documents",  # Wagtail's admin needs it: every /cms/ page links its documents API
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Background work.
    "django_tasks",
    "django_tasks_db",
    # Forms and the API.
    "crispy_forms",
    "crispy_forms_gds",
    "rest_framework",
    "drf_spectacular",
    "rules.apps.AutodiscoverRulesConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "apps.core.middleware.RequestIdMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "apps.accounts.middleware.AccountStandingMiddleware",
    "apps.core.page_cache.AnonymousPageCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "hub.urls"
WSGI_APPLICATION = "hub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "apps.core.context_processors.hub",
            ],
        },
    },
]

# Databases: an embedded SQLite file unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'hub.sqlite3'}",
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0")),
        # A kept connection is checked before a request reuses it, so after the database restarts each
        # worker reconnects instead of failing its next request on the dead connection.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take SQLite's write lock when a transaction starts,
    # so concurrent writers queue instead of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"].setdefault("TEST", {})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6 behaviour now: a typed address without a scheme is https

CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "hub_cache"}}
if env("REDIS_URL"):
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_URL")}
CACHES["default"]["KEY_PREFIX"] = env("CACHE_KEY_PREFIX", "")  # for hubs that share one Redis
# With Redis, a signed-in person's session is read from Redis and written through to the database: one
# query fewer on every page they open, and nobody is signed out if Redis is emptied (apps/accounts/sessions.py).
SESSION_ENGINE = "apps.accounts.sessions" if env("REDIS_URL") else "django.contrib.sessions.backends.db"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "rules.permissions.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# django-allauth: sign-in by e-mail, verified addresses, rate limits, MFA.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    # Failed sign-ins (apps/accounts/adapters.py): one account at one address, one account from anywhere,
    # and a far higher ceiling for one address, which many people of a partner agency may share.
    "login_failed_from_address": "5/5m/key",
    "login_failed": "10/15m/key",
    "login_failed_per_address": "100/15m/ip",
    "login": "30/m/ip",
    "signup": "10/h/ip",
    "reset_password": "5/h/ip,3/h/key",
    "confirm_email": "3/h/key",
}
ACCOUNT_ADAPTER = "apps.accounts.adapters.HubAccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "apps.accounts.forms.PractitionerDetailsForm"
ACCOUNT_FORMS = {  # allauth's forms with GOV.UK labels, hints and messages
    name: f"apps.accounts.account_forms.{form}"
    for name, form in [
        ("login", "LoginForm"),
        ("signup", "SignupForm"),
        ("add_email", "AddEmailForm"),
        ("change_password", "ChangePasswordForm"),
        ("set_password", "SetPasswordForm"),
        ("reset_password", "ResetPasswordForm"),
        ("reset_password_from_key", "ResetPasswordKeyForm"),
        ("reauthenticate", "ReauthenticateForm"),
    ]
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Safeguarding Partnership Hub] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Safeguarding Partnership Hub"
MFA_ADAPTER = "apps.accounts.adapters.HubMFAAdapter"
MFA_FORMS = {
    name: f"apps.accounts.account_forms.{form}"
    for name, form in [
        ("authenticate", "AuthenticateForm"),
        ("reauthenticate", "MFAReauthenticateForm"),
        ("activate_totp", "ActivateTOTPForm"),
        ("deactivate_totp", "DeactivateTOTPForm"),
        ("generate_recovery_codes", "GenerateRecoveryCodesForm"),
    ]
}
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"

SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
HUB_SERVE_MEDIA = False  # local settings serve uploads from the hub itself; production's web server does
HUB_DEMO_ALLOWED = False  # `load_demo` (accounts with published passwords) only where the settings allow it
# Uploaded documents and evidence live outside the web root and are only ever
# served through views that check who is asking.
PROTECTED_MEDIA_ROOT = Path(env("PROTECTED_MEDIA_ROOT", str(BASE_DIR / "var" / "protected")))
DOCUMENT_MAX_UPLOAD_MB = int(env("DOCUMENT_MAX_UPLOAD_MB", "20"))  # the document library's largest file
TRAINING_VIDEO_MAX_UPLOAD_MB = int(env("TRAINING_VIDEO_MAX_UPLOAD_MB", "500"))  # an e-learning video
TRAINING_BUSINESS_UNIT_TEAM = env("TRAINING_BUSINESS_UNIT_TEAM", "business-unit")  # hears of booking requests
REFERRALS_MAX_UPLOAD_MB = int(env("REFERRALS_MAX_UPLOAD_MB", "10"))  # a partner form's photo or attachment
HUB_LINKAGE_MAX_UPLOAD_BYTES = int(env("HUB_LINKAGE_MAX_UPLOAD_BYTES", str(100 * 1024 * 1024)))  # an agency extract
# A school's attendance file.
ATTENDANCE_MAX_UPLOAD_BYTES = int(env("ATTENDANCE_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# Wagtail.
WAGTAIL_SITE_NAME = HUB_SITE_NAME
WAGTAILADMIN_BASE_URL = HUB_BASE_URL
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "AUTO_UPDATE": env_bool("WAGTAILSEARCH_AUTO_UPDATE", True),
    }
}
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILADMIN_COMMENTS_ENABLED = False

# Background tasks: the database queue by default; TASKS_BACKEND=rq with REDIS_URL to scale out.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if env("TASKS_BACKEND") == "rq":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": env("REDIS_URL", "redis://127.0.0.1:6379/0")}}
    INSTALLED_APPS += ["django_rq"]
elif env("TASKS_BACKEND") == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# E-mail. The outbox hands each message to one transport:
#   smtp    - Django's SMTP backend with the EMAIL_* settings below (production default)
#   notify  - GOV.UK Notify, with NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID
#   mailbox - kept in the database and shown at /mailbox/ (the demo)
HUB_EMAIL_TRANSPORT = env("HUB_EMAIL_TRANSPORT", "smtp")
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Safeguarding Partnership Hub <no-reply@hub.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
NOTIFY_API_KEY = env("NOTIFY_API_KEY", "")
NOTIFY_TEMPLATE_ID = env("NOTIFY_TEMPLATE_ID", "")
NOTIFY_BASE_URL = env("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
OUTBOX_MAX_ATTEMPTS = int(env("OUTBOX_MAX_ATTEMPTS", "12"))

# Training: how long a place offered from a waiting list is held before it passes on.
TRAINING_OFFER_HOLD_HOURS = int(env("TRAINING_OFFER_HOLD_HOURS", "48"))
TRAINING_APPROVAL_HOLD_HOURS = int(env("TRAINING_APPROVAL_HOLD_HOURS", "72"))

# Forms in the GOV.UK Design System.
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Safeguarding Partnership Hub API",
    "VERSION": "1.0.0",
    "PREPROCESSING_HOOKS": ["apps.core.openapi.only_hub_api"],
}

# Content-Security-Policy: nothing from anywhere but the hub itself.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "apps.core.logging.RequestIdFilter"}},
    "formatters": {
        "structured": {
            "format": "%(asctime)s level=%(levelname)s logger=%(name)s request_id=%(request_id)s %(message)s"
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        # Every task run and every page save are logged at INFO by these libraries; keep warnings only.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}


def require(name: str, value: object) -> None:
    if not value:
        raise ImproperlyConfigured(f"The {name} environment variable must be set.")


# The audit trail: on PostgreSQL an entry joins the hash chain just after it commits, so page views never
# queue for the chain's head (SQLite chains as it writes).
AUDIT_CHAIN_AFTER_COMMIT = env_bool("AUDIT_CHAIN_AFTER_COMMIT", True)
# Each process chains at most this often (seconds): a burst of writes is chained a batch at a time, not
# once per write; whatever is left when the burst ends waits for the next chaining or the minute's sweep.
AUDIT_CHAIN_AT_MOST_EVERY = float(env("AUDIT_CHAIN_AT_MOST_EVERY", "1"))

# Periodic jobs: `manage.py run_scheduler` enqueues each task on the queue at its interval (seconds).
HUB_PERIODIC_TASKS = [
    ("apps.audit.tasks.chain_pending_entries", 60),
    ("apps.notifications.tasks.deliver_due_outbox_messages", 30),
    ("apps.pages.tasks.publish_scheduled_pages", 60),
    ("apps.training.tasks.send_training_reminders", 300),
    ("apps.training.tasks.pass_on_expired_offers", 60),
    ("apps.training.tasks.lapse_unanswered_approvals", 60),
    ("apps.documents.tasks.forget_unconfirmed_subscriptions", 3600),
    ("apps.referrals.tasks.forget_stale_drafts", 3600),
    ("apps.linkage.tasks.expire_undecided_extracts", 3600),
    ("apps.earlyhelp.tasks.send_review_reminders", 3600),
    ("apps.earlyhelp.tasks.flag_for_retention_review", 86400),
]

# The early help record: how long break-glass access lasts, and how long a closed record is kept before
# it is listed for a person to decide whether to keep or erase it.
EARLY_HELP_BREAK_GLASS_HOURS = int(env("EARLY_HELP_BREAK_GLASS_HOURS", "4"))
EARLY_HELP_RETENTION_DAYS = int(env("EARLY_HELP_RETENTION_DAYS", str(365 * 6)))
