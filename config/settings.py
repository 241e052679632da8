"""Maillage settings: one file, every deployment-specific value read from the environment.

Each variable read here is documented in the README ("Configuration").
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# --- Core -------------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)
# Marker prefix recognised by `check --deploy` (security.W009): an unset key is never production.
_DEV_SECRET_KEY = "django-insecure-maillage-development-key-never-use-in-production-0123456789"  # noqa: S105 (marked insecure on purpose)
SECRET_KEY = env_str("SECRET_KEY") or _DEV_SECRET_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# HTTPS=true is the production switch for secure cookies, HSTS and the redirect to https.
HTTPS = env_bool("HTTPS", False)
SITE_NAME = env_str("SITE_NAME", "Maillage")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Ours, from the ground up (see docs/architecture.md).
    "maillage.core",
    "maillage.notifications",
    "maillage.territories",
    "maillage.network",
    "maillage.programmes",
    "maillage.accounts",
    "maillage.people",
    "maillage.diagnostics",
    "maillage.learning",
    "maillage.stock",
    "maillage.animation",
    "maillage.impact",
    "maillage.public",
    "maillage.bookings",
    "maillage.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "maillage.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "maillage.core.middleware.ActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "maillage.core.middleware.SessionTimeoutMiddleware",
    "maillage.core.middleware.LoginRequiredMiddleware",
    "maillage.accounts.middleware.SecondFactorMiddleware",
    "maillage.core.middleware.PrivatePagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "maillage.core.context_processors.layout",
            ],
        },
    },
]

FORM_RENDERER = "maillage.core.forms.FormRenderer"

# --- Database ---------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'maillage.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent readers with one writer, and a writer that waits instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", True
):
    # Parameters sent apart from the statement, which PostgreSQL prepares once per connection
    # after its second use: a page's twenty short queries are no longer parsed and planned on
    # every request (docs/performance.md, « Under load »). Off behind a pooler that cannot keep
    # prepared statements (PgBouncer before 1.21 in transaction mode).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 2}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts, passwords, sessions -----------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "public:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

# A staff session ends after SESSION_IDLE_MINUTES without a request, and SESSION_MAX_HOURS after
# sign-in whatever happens (maillage.core.middleware.SessionTimeoutMiddleware).
SESSION_IDLE_TIMEOUT = timedelta(minutes=env_int("SESSION_IDLE_MINUTES", 30))
SESSION_MAX_AGE = timedelta(hours=env_int("SESSION_MAX_HOURS", 12))
SESSION_COOKIE_AGE = int(SESSION_MAX_AGE.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Failed sign-ins allowed in LOGIN_THROTTLE_WINDOW, per account and per network address.
LOGIN_THROTTLE_WINDOW = timedelta(minutes=env_int("LOGIN_THROTTLE_MINUTES", 15))
LOGIN_THROTTLE_PER_ACCOUNT = env_int("LOGIN_THROTTLE_PER_ACCOUNT", 5)
LOGIN_THROTTLE_PER_ADDRESS = env_int("LOGIN_THROTTLE_PER_ADDRESS", 20)

# Failed sign-ins (passwords and codes) that lock an account until its password is reset, within
# LOGIN_LOCK_HOURS.
LOGIN_LOCK_AFTER = env_int("LOGIN_LOCK_AFTER", 30)
LOGIN_LOCK_WINDOW = timedelta(hours=env_int("LOGIN_LOCK_HOURS", 24))

# A second factor (a code from an authenticator app) is required of the staff, the managers and
# the administrators; of referents and funders when these say so. `make demo` sets
# TWO_FACTOR_REQUIRED=false so that a newcomer signs in with the printed password; anyone who
# enrolled is asked for their code whatever this says.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)
TWO_FACTOR_FOR_REFERENTS = env_bool("TWO_FACTOR_FOR_REFERENTS", False)
TWO_FACTOR_FOR_FUNDERS = env_bool("TWO_FACTOR_FOR_FUNDERS", False)
OTP_TOTP_ISSUER = SITE_NAME
# Wrong codes are throttled and lock the account like wrong passwords (LOGIN_THROTTLE_*,
# LOGIN_LOCK_*), not by django-otp's own growing delay, which would refuse a right code typed
# a second after a wrong one without saying why.
OTP_TOTP_THROTTLE_FACTOR = 0
# Exporting a person's data, erasing, changing roles and creating an API key ask for the
# password (or the code) again when the last one is older than this.
REAUTHENTICATION_MINUTES = env_int("REAUTHENTICATION_MINUTES", 10)

# --- People accompanied and referrals ---------------------------------------

# A person's data is anonymised PEOPLE_RETENTION_MONTHS after the last contact
# (`manage.py purge_inactive`, daily); managers see who is due PEOPLE_RETENTION_WARNING_DAYS ahead.
PEOPLE_RETENTION_MONTHS = env_int("PEOPLE_RETENTION_MONTHS", 24)

# Requests per minute allowed to each key of the statistics API.
API_RATE_LIMIT = env_int("API_RATE_LIMIT", 60)
# The longest (ms) a statistics API request computes figures live (those the facts do not hold yet):
# beyond, it answers 503 with Retry-After, and what it computed is kept API_LIVE_FIGURES_SECONDS
# for the next request to resume from.
API_COMPUTATION_MILLISECONDS = env_int("API_COMPUTATION_MILLISECONDS", 1500)
API_LIVE_FIGURES_SECONDS = env_int("API_LIVE_FIGURES_SECONDS", 300)
PEOPLE_RETENTION_WARNING_DAYS = env_int("PEOPLE_RETENTION_WARNING_DAYS", 30)
# An open referral is recalled to the receiving team after REFERRAL_REMINDER_DAYS without a
# change, and expires REFERRAL_EXPIRY_DAYS after it was sent (`manage.py referral_reminders`).
REFERRAL_REMINDER_DAYS = env_int("REFERRAL_REMINDER_DAYS", 10)
REFERRAL_EXPIRY_DAYS = env_int("REFERRAL_EXPIRY_DAYS", 30)
# How long a referral link shared with social workers stays valid, by default.
REFERRAL_LINK_DAYS = env_int("REFERRAL_LINK_DAYS", 180)

# A coach is reminded when a structure they coach (or follow in the year after its coaching)
# has had no recorded contact for COACHING_SILENCE_DAYS (`manage.py coaching_reminders`).
COACHING_SILENCE_DAYS = env_int("COACHING_SILENCE_DAYS", 60)
# Drafts of applications never submitted are deleted APPLICATION_DRAFT_MONTHS after their call
# closed; applicants' contact persons and information-meeting registrants are anonymised
# PEOPLE_RETENTION_MONTHS after the decision or the meeting (`manage.py purge_inactive`).
APPLICATION_DRAFT_MONTHS = env_int("APPLICATION_DRAFT_MONTHS", 3)
# What one network address may send through each public form (an application, a registration
# to an information meeting) in an hour.
PUBLIC_FORM_SENDINGS_PER_HOUR = env_int("PUBLIC_FORM_SENDINGS_PER_HOUR", 20)
# …and what every address together may send in an hour to one target (a structure's referral
# link, a call, a meeting).
PUBLIC_FORM_SENDINGS_PER_TARGET = env_int("PUBLIC_FORM_SENDINGS_PER_TARGET", 60)
# Bookings of the public: how many a phone number may hold to come, and how many days after its
# date a booking still names the person (then only its count and status are kept).
BOOKINGS_PER_PHONE = env_int("BOOKINGS_PER_PHONE", 3)
BOOKING_KEEP_DAYS = env_int("BOOKING_KEEP_DAYS", 30)
# Password reset requests allowed in an hour per network address and per account.
PASSWORD_RESETS_PER_ADDRESS = env_int("PASSWORD_RESETS_PER_ADDRESS", 10)
PASSWORD_RESETS_PER_ACCOUNT = env_int("PASSWORD_RESETS_PER_ACCOUNT", 3)
# Largest document (a resource) that may be uploaded, in megabytes.
UPLOAD_MAX_MEGABYTES = env_int("UPLOAD_MAX_MEGABYTES", 20)
# Largest file accepted by the beneficiary import, in megabytes.
IMPORT_MAX_MEGABYTES = env_int("IMPORT_MAX_MEGABYTES", 5)
# …its largest number of lines, and what an XLSX file may unpack to, in megabytes.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 5000)
IMPORT_MAX_UNCOMPRESSED_MEGABYTES = env_int("IMPORT_MAX_UNCOMPRESSED_MEGABYTES", 50)
# An import's report (refused lines may quote a cell) is deleted after this many days.
IMPORT_KEEP_DAYS = env_int("IMPORT_KEEP_DAYS", 7)

# Each process keeps the figures it computed (the equipment figures, stamped by their months'
# last changes); nothing to share between processes.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 10000)},
    }
}

# --- Equipment and connection ----------------------------------------------

# A person may receive one device of each kind every STOCK_DEVICE_CAP_MONTHS months, and
# top-ups worth at most STOCK_TOPUP_MONTHLY_CAP euros in a calendar month.
STOCK_DEVICE_CAP_MONTHS = env_int("STOCK_DEVICE_CAP_MONTHS", 24)
STOCK_TOPUP_MONTHLY_CAP = env_int("STOCK_TOPUP_MONTHLY_CAP", 30)
# A referral makes a person eligible to the solidarity offer for STOCK_REFERRAL_VALIDITY_MONTHS;
# a criterion checked at the counter for STOCK_CRITERION_VALIDITY_MONTHS.
STOCK_REFERRAL_VALIDITY_MONTHS = env_int("STOCK_REFERRAL_VALIDITY_MONTHS", 12)
STOCK_CRITERION_VALIDITY_MONTHS = env_int("STOCK_CRITERION_VALIDITY_MONTHS", 12)
# The criteria (maillage.people.enums.Eligibility) that open the solidarity offer.
STOCK_ACCEPTED_CRITERIA = env_list(
    "STOCK_ACCEPTED_CRITERIA", ["rsa", "ass", "aah", "css", "asylum", "homeless", "other"]
)
# The largest number of things (units of a product, items of a donation) a form accepts.
MAX_QUANTITY = env_int("MAX_QUANTITY", 100_000)
# How long a device stays reserved for a person, by default.
STOCK_RESERVATION_DAYS = env_int("STOCK_RESERVATION_DAYS", 7)
# The legal warranty of a refurbished device sold by a professional (printed on the receipt).
STOCK_WARRANTY_MONTHS = env_int("STOCK_WARRANTY_MONTHS", 12)

# --- Security headers -------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Browser features the site may use: geolocation on its own pages (« autour de moi »), nothing
# else.
PERMISSIONS_POLICY = {
    "geolocation": ["self"],
    "camera": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "serial": [],
    "midi": [],
    "magnetometer": [],
    "gyroscope": [],
    "accelerometer": [],
    "display-capture": [],
}

# The public map's background tiles (Leaflet): their address, with {z}/{x}/{y}, and the credit
# their licence asks for. A relative address (the blank tile of the tests) needs no origin.
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_ATTRIBUTION = env_str(
    "MAP_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">contributeurs d\'OpenStreetMap</a>',
)
_tiles = urlsplit(MAP_TILE_URL)
MAP_TILE_ORIGIN = f"{_tiles.scheme}://{_tiles.netloc}" if _tiles.netloc else ""

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *([MAP_TILE_ORIGIN] if MAP_TILE_ORIGIN else [])],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# --- Internationalisation ---------------------------------------------------

LANGUAGE_CODE = "fr"
# The staff work in French (English for the interface too); the public's pages, forms and
# messages also speak Ukrainian and Arabic (right to left): `maillage/public/languages.py`.
LANGUAGES = [
    ("fr", _("Français")),
    ("en", _("English")),
    ("uk", _("Українська")),
    ("ar", _("العربية")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production serves collected, fingerprinted files (`collectstatic`); development, the demo and
# the tests serve the source folders directly.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
STATIC_ROOT = (
    Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static"))) if STATIC_MANIFEST else None
)
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
# Serving the source folders, each file is looked up when asked rather than all of them listed
# when the application starts: every test client starts one (45 ms each, a third of the time
# of the tests that open every page).
WHITENOISE_AUTOREFRESH = not STATIC_MANIFEST
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))

# --- E-mail and SMS ---------------------------------------------------------

_EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
}
_email_backend = env_str("EMAIL_BACKEND", "console")
MAILERS = {
    "default": {
        "BACKEND": _EMAIL_BACKENDS.get(_email_backend, _email_backend),
        "OPTIONS": (
            {
                "host": env_str("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 25),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "use_ssl": env_bool("EMAIL_USE_SSL", False),
                "timeout": env_int("EMAIL_TIMEOUT", 10),
            }
            if _email_backend == "smtp"
            else {"file_path": env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))}
            if _email_backend == "file"
            else {}
        ),
    }
}
# The address of the site, for links in e-mails sent outside a request.
SITE_URL = env_str("SITE_URL", "http://localhost:8000").rstrip("/")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Maillage <ne-pas-repondre@maillage.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SMS_BACKEND = env_str("SMS_BACKEND", "maillage.notifications.sms.ConsoleBackend")
SMS_SENDER = env_str("SMS_SENDER", "Maillage")
# FileBackend: where messages are written. BrevoBackend: the API address and key.
SMS_FILE_DIR = env_str("SMS_FILE_DIR", str(BASE_DIR / "var" / "sms"))
SMS_API_URL = env_str("SMS_API_URL", "https://api.brevo.com/v3/transactionalSMS/sms")
SMS_API_KEY = env_str("SMS_API_KEY")
SMS_TIMEOUT = env_int("SMS_TIMEOUT", 10)
# The secret part of the address where the provider posts the replies people send (STOP).
SMS_INBOUND_TOKEN = env_str("SMS_INBOUND_TOKEN")

# --- Geocoding ------------------------------------------------------------

# Structures' addresses to coordinates (maillage.network.geocoding): the national address
# service by default; NoGeocoder keeps places at their commune's centre or where staff put them.
GEOCODER_BACKEND = env_str("GEOCODER_BACKEND", "maillage.network.geocoding.AddressService")
GEOCODER_URL = env_str("GEOCODER_URL", "https://data.geopf.fr/geocodage/search")
GEOCODER_TIMEOUT = env_int("GEOCODER_TIMEOUT", 5)
# The service's score (0 to 1) under which an answer is not trusted.
GEOCODER_MIN_SCORE = float(env_str("GEOCODER_MIN_SCORE", "0.5"))

# --- Backups ----------------------------------------------------------------

# `manage.py backup` writes here, encrypted when BACKUP_PASSPHRASE is set, and removes the
# backups older than BACKUP_RETENTION_DAYS: a person erased is gone from every backup by then.
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(BASE_DIR / "var" / "backups")))
BACKUP_PASSPHRASE = env_str("BACKUP_PASSPHRASE")
BACKUP_RETENTION_DAYS = env_int("BACKUP_RETENTION_DAYS", 30)

# --- Background tasks -------------------------------------------------------

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- Logging ----------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # WeasyPrint reports each step of every PDF at INFO level.
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
    },
}


# --- The organisation running this instance (legal notice, privacy notice) ---

ORGANISATION_NAME = env_str("ORGANISATION_NAME", "Association Maillage (instance de démonstration)")
# This instance's name as a producer of open data (data·inclusion's `source`, a slug).
OPEN_DATA_SOURCE = env_str("OPEN_DATA_SOURCE", "maillage")
ORGANISATION_ADDRESS = env_str("ORGANISATION_ADDRESS", "Adresse à renseigner")
CONTACT_EMAIL = env_str("CONTACT_EMAIL", "contact@maillage.localhost")
HOSTING_PROVIDER = env_str("HOSTING_PROVIDER", "Hébergeur à renseigner")
