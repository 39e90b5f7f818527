"""Pilotis settings: one module, every deploy-specific value from the environment.

See `.env.example` for the variables. Development defaults are safe only on a laptop:
`DEBUG` defaults to off, and production refuses to start without `SECRET_KEY`.
"""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.csp import CSP

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
# The demo on a laptop (`make demo`): DEBUG off, so that a newcomer meets Pilotis's own French
# 404, 403 and 500 pages, never Django's technical ones (which list every URL), with a laptop's
# defaults: the development key, loopback hosts, plain http, e-mails on the console, static files
# from the apps. DEBUG=1 (`make run`) keeps Django's debug pages for developers.
DEMO = env_bool("DEMO", False)
ON_A_LAPTOP = DEBUG or DEMO
# The development key only exists on a laptop; a production start without one fails.
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production" if ON_A_LAPTOP else None)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if ON_A_LAPTOP else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "widget_tweaks",
    "dsfr",
    "django_htmx",
    "axes",
    "mozilla_django_oidc",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "pilotis.core.apps.TasksConfig",  # django_tasks_db, its admin section in French
    "pilotis.core",
    "pilotis.referential",
    "pilotis.territories",
    "pilotis.accounts",
    "pilotis.assessments",
    "pilotis.steering",
    "pilotis.missions",
    "pilotis.plans",
    "pilotis.commission",
    "pilotis.accompaniment",
    "pilotis.fiches",
    "pilotis.workshops",
    "pilotis.evidence",
    "pilotis.news",
    "pilotis.digital_services",
    "pilotis.equipment",
    "pilotis.newsletters",
    "pilotis.support",
    "pilotis.api",
    "pilotis.demo",
]

MIDDLEWARE = [
    # First, so that every later layer and the error handlers read `request.htmx`.
    "django_htmx.middleware.HtmxMiddleware",
    "pilotis.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before SessionLifetimeMiddleware, which leaves a message when it ends a session.
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "pilotis.accounts.middleware.SessionLifetimeMiddleware",
    "pilotis.accounts.middleware.CurrentSchoolMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pilotis.core.middleware.PrivateCacheMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so that its process_exception sees a view's exception first.
    "pilotis.core.middleware.DatabaseBusyMiddleware",
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
                "django.template.context_processors.csp",
                "pilotis.core.context_processors.generate_csp_nonce",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pilotis.core.context_processors.site",
                "pilotis.accounts.context_processors.navigation",
            ],
            # Tests turn this into an error (see conftest); production renders "".
            "string_if_invalid": "",
        },
    }
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database -----------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'pilotis.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers and one writer work at once; IMMEDIATE transactions take the write
        # lock up front so that concurrent writers queue instead of failing with "locked".
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": env_str("SQLITE_TEST_NAME", "") or None}
else:
    DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "pilotis.accounts.backends.UsernameOrEmailBackend",
    # Never reached by authenticate(): its callback view signs agents in (accounts.proconnect).
    "pilotis.accounts.proconnect.ProConnectBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# CNIL / ANSSI: length over composition (no rule on which characters, not even "not only digits":
# a long random number is a fine password); common passwords refused.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # The login, e-mail or name repeated, reversed or padded with digits ("rupn64rupn64").
    {"NAME": "pilotis.accounts.validators.PersonalPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "pilotis.accounts.validators.FrenchCommonPasswordValidator"},
    {"NAME": "pilotis.accounts.validators.PredictablePasswordValidator"},
    {"NAME": "pilotis.accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
]
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60 * 24 * 3)

# Lockout: N failures for one account from one address lock that pair only: the account from
# another address, and another account from that address, still sign in.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "pilotis.accounts.backends.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "pilotis.accounts.views.locked_out"
# django-ipware is not installed, so axes' AXES_IPWARE_* settings do nothing: without this callable
# every sign-in behind the TLS proxy came "from the proxy", and one attacker locked an account
# for everybody. The client's address is X-Forwarded-For's entry appended by the outermost of
# PROXY_COUNT trusted proxies (the audit journal records the same address).
PROXY_COUNT = env_int("PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "pilotis.core.audit.client_ip"
AXES_VERBOSE = False

# --- ProConnect (OIDC) --------------------------------------------------------------------
# Sign-in with ProConnect, the State's identity federation for its agents. Configured when a
# client id and an issuer (or its discovery document's URL) are set; otherwise its button is
# absent and its URLs answer 404. The endpoints are read from the discovery document at first use;
# the settings mozilla-django-oidc reads (OIDC_*) are derived from these in one place,
# pilotis.accounts.proconnect.provider, so that a test overriding these overrides those too.
PROCONNECT_ISSUER = env_str("PROCONNECT_ISSUER", "").rstrip("/")
PROCONNECT_DISCOVERY_URL = env_str(
    "PROCONNECT_DISCOVERY_URL",
    f"{PROCONNECT_ISSUER}/.well-known/openid-configuration" if PROCONNECT_ISSUER else "",
)
PROCONNECT_CLIENT_ID = env_str("PROCONNECT_CLIENT_ID", "")
PROCONNECT_CLIENT_SECRET = env_str("PROCONNECT_CLIENT_SECRET", "")  # or PROCONNECT_CLIENT_SECRET_FILE
# The authentication levels asked for (« eidas1 »…), space-separated; the ID token must carry one.
PROCONNECT_ACR_VALUES = env_str("PROCONNECT_ACR_VALUES", "")
# E-mail domains whose agents get a role-less account at their first sign-in (« ac-bordeaux.fr »);
# everyone else needs an account or an invitation of Pilotis for their address.
PROCONNECT_ALLOWED_DOMAINS = [d.lower().lstrip("@") for d in env_list("PROCONNECT_ALLOWED_DOMAINS", [])]
PROCONNECT_TIMEOUT = env_int("PROCONNECT_TIMEOUT", 5)
# Passwords: off, sign-in goes through ProConnect only (the form is gone, its POSTs refused).
LOCAL_ACCOUNTS_ENABLED = env_bool("LOCAL_ACCOUNTS_ENABLED", True)

# --- Sessions and cookies -----------------------------------------------------------------
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 60) * 60  # idle timeout
# Activity renews the session once a minute (accounts.middleware.SessionLifetimeMiddleware).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_HOURS", 10) * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not ON_A_LAPTOP)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not ON_A_LAPTOP)
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "pilotis.core.views.csrf_failure"
if SESSION_COOKIE_SECURE:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# --- Security headers ---------------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not ON_A_LAPTOP)
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if ON_A_LAPTOP else 63072000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# A request id set by our reverse proxy is kept in the logs; nobody else may choose it.
TRUST_REQUEST_ID_HEADER = env_bool("TRUST_REQUEST_ID_HEADER", env_bool("BEHIND_TLS_PROXY", False))
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
if PROCONNECT_DISCOVERY_URL:
    # Signing out posts a form whose answer redirects to ProConnect's end_session: browsers hold
    # that redirect to form-action too.
    _proconnect = urlsplit(PROCONNECT_DISCOVERY_URL)
    SECURE_CSP["form-action"].append(f"{_proconnect.scheme}://{_proconnect.netloc}")

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
# Production: hashed names (cached forever) and gzip/brotli copies. COMPRESS_STATIC=0 keeps the
# hashed names without the copies, whose brotli pass takes most of collectstatic's minute (the
# production browser test uses it); the browser decodes either to the same bytes.
if ON_A_LAPTOP or not env_bool("MANIFEST_STATIC", True):
    _STATIC_BACKEND = "django.contrib.staticfiles.storage.StaticFilesStorage"
elif env_bool("COMPRESS_STATIC", True):
    _STATIC_BACKEND = "whitenoise.storage.CompressedManifestStaticFilesStorage"
else:
    _STATIC_BACKEND = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": _STATIC_BACKEND},
}
# Serve static files straight from the apps (development, tests) instead of a collectstatic tree.
WHITENOISE_USE_FINDERS = env_bool("STATIC_FROM_APPS", ON_A_LAPTOP)
WHITENOISE_AUTOREFRESH = WHITENOISE_USE_FINDERS

# --- Evidence (« Pièces justificatives ») --------------------------------------------------
# The files a school attaches to its answers, actions, minutes, fiches and workshops. Stored under
# generated names in a private storage that no URL serves: only `pieces:download` reads them,
# after checking the reader's rights. By default a folder outside static and media; in production
# any django-storages backend, e.g. EVIDENCE_STORAGE_BACKEND=storages.backends.s3.S3Storage with
# the EVIDENCE_S3_* variables (S3-compatible object storage: a private bucket).
EVIDENCE_STORAGE_BACKEND = env_str("EVIDENCE_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")
if EVIDENCE_STORAGE_BACKEND.endswith("FileSystemStorage"):
    _EVIDENCE_OPTIONS = {
        "location": env_str("EVIDENCE_ROOT", str(BASE_DIR / "var" / "pieces")),
        "base_url": None,
        "file_permissions_mode": 0o600,
        "directory_permissions_mode": 0o700,
    }
else:
    _EVIDENCE_OPTIONS = {
        "bucket_name": env_str("EVIDENCE_S3_BUCKET", "pilotis-pieces"),
        "endpoint_url": env_str("EVIDENCE_S3_ENDPOINT_URL", "") or None,
        "region_name": env_str("EVIDENCE_S3_REGION", "") or None,
        "access_key": env_str("EVIDENCE_S3_ACCESS_KEY_ID", "") or None,
        "secret_key": env_str("EVIDENCE_S3_SECRET_ACCESS_KEY", "") or None,
        "location": env_str("EVIDENCE_S3_PREFIX", ""),
        # Private objects, never a public or signed URL: the download view streams them.
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }
STORAGES["evidence"] = {"BACKEND": EVIDENCE_STORAGE_BACKEND, "OPTIONS": _EVIDENCE_OPTIONS}
# One file at most (bytes), and the sum of a school's live pieces (bytes).
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
EVIDENCE_SCHOOL_QUOTA_BYTES = env_int("EVIDENCE_SCHOOL_QUOTA_BYTES", 500 * 1024 * 1024)
# An office document is a zip: past this uncompressed size, this many entries or this ratio of
# uncompressed to compressed size, it is a zip bomb, not a document.
EVIDENCE_ZIP_MAX_UNCOMPRESSED_BYTES = env_int("EVIDENCE_ZIP_MAX_UNCOMPRESSED_BYTES", 100 * 1024 * 1024)
EVIDENCE_ZIP_MAX_ENTRIES = env_int("EVIDENCE_ZIP_MAX_ENTRIES", 2000)
EVIDENCE_ZIP_MAX_RATIO = env_int("EVIDENCE_ZIP_MAX_RATIO", 100)


# --- Background exports (« Mes exports ») ---------------------------------------------------
# An export of more than EXPORT_BACKGROUND_ROWS rows is prepared by the worker; its file waits in
# a private storage that no URL serves (only `exports:download`, for its owner) for
# EXPORT_KEEP_HOURS, then `purge_exports` deletes it.
EXPORT_BACKGROUND_ROWS = env_int("EXPORT_BACKGROUND_ROWS", 5000)
EXPORT_KEEP_HOURS = env_int("EXPORT_KEEP_HOURS", 24)
STORAGES["exports"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {
        "location": env_str("EXPORTS_ROOT", str(BASE_DIR / "var" / "exports")),
        "base_url": None,
        "file_permissions_mode": 0o600,
        "directory_permissions_mode": 0o700,
    },
}

# --- E-mail -------------------------------------------------------------------------------
# Development prints e-mails on the console; production sends them through SMTP.
_EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if ON_A_LAPTOP else "django.core.mail.backends.smtp.EmailBackend",
)
_EMAIL_OPTIONS = {}
if _EMAIL_BACKEND.endswith("smtp.EmailBackend"):
    _EMAIL_OPTIONS = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "timeout": env_int("EMAIL_TIMEOUT", 10),
    }
MAILERS = {"default": {"BACKEND": _EMAIL_BACKEND, "OPTIONS": _EMAIL_OPTIONS}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Pilotis <ne-pas-repondre@pilotis.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks ----------------------------------------------------------------------
# django.tasks with the database backend: a task is a row, run by `manage.py db_worker` (one
# process beside the web server; `make demo` starts one). Nothing else to deploy.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- Annuaire import ----------------------------------------------------------------------
# Lines an annuaire file may have: the national second-degree export has 11,248, the whole
# annuaire (écoles included, --ecoles) about 70,000; a file past this is refused unread.
ANNUAIRE_MAX_LINES = env_int("ANNUAIRE_MAX_LINES", 200_000)

# --- Audit --------------------------------------------------------------------------------
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 365)
# Accounts unused for ACCOUNT_INACTIVITY_DAYS are told by e-mail, then anonymised
# ACCOUNT_NOTICE_DAYS later unless the person signs in meanwhile (`anonymise_inactive`).
ACCOUNT_INACTIVITY_DAYS = env_int("ACCOUNT_INACTIVITY_DAYS", 3 * 365)
ACCOUNT_NOTICE_DAYS = env_int("ACCOUNT_NOTICE_DAYS", 30)

# The annual rates of the IMP (indemnité pour mission particulière), in euros: arrêté du 27 avril 2015
# (JO du 29 avril 2015). A new arrêté changes them here, without a release.
IMP_RATES = [Decimal(rate) for rate in env_list("IMP_RATES", ["312.50", "625.00", "1250.00", "2500.00", "3750.00"])]

# --- Logging ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "pilotis.core.middleware.RequestIdLogFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Demandes d'assistance (pilotis.support) ------------------------------------------------
# A GLPI channel names its credentials; the tokens live here only (never in the database, a page,
# a log line or the journal). SUPPORT_GLPI_NAMES=landes,gironde, then for each name
# SUPPORT_GLPI_<NAME>_APP_TOKEN and SUPPORT_GLPI_<NAME>_USER_TOKEN (or their *_FILE secret files),
# and optionally SUPPORT_GLPI_<NAME>_URL (the apirest.php address; it wins over the channel's).
SUPPORT_GLPI = {
    _name: {
        "URL": env_str(f"SUPPORT_GLPI_{_name.upper()}_URL", ""),
        "APP_TOKEN": env_str(f"SUPPORT_GLPI_{_name.upper()}_APP_TOKEN", ""),
        "USER_TOKEN": env_str(f"SUPPORT_GLPI_{_name.upper()}_USER_TOKEN", ""),
    }
    for _name in env_list("SUPPORT_GLPI_NAMES", [])
}
# Seconds a GLPI call may take; seconds between two looks at an open ticket.
SUPPORT_GLPI_TIMEOUT = env_int("SUPPORT_GLPI_TIMEOUT", 10)
SUPPORT_FOLLOW_SECONDS = env_int("SUPPORT_FOLLOW_SECONDS", 15 * 60)

# --- The open API (pilotis.api, /api/v1/) ------------------------------------------------------
# Read-only, JSON only; a personal access token (`Authorization: Bearer …`) or the session.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "pilotis.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["pilotis.api.permissions.CanRead"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "pilotis.api.pagination.Pages",
    "DEFAULT_THROTTLE_CLASSES": ["pilotis.api.throttling.PerTokenThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "pilotis.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Requests per token (per person for the session), in DRF's notation: 600/min, 10/s.
API_THROTTLE_RATE = env_str("API_THROTTLE_RATE", "600/min")
SPECTACULAR_SETTINGS = {
    "TITLE": "API de Pilotis",
    "DESCRIPTION": (
        "Lecture seule. Chaque appel montre ce que la même personne voit dans Pilotis, rien de plus. "
        "Authentification : en-tête « Authorization: Bearer VOTRE_JETON », un jeton créé dans « Mon compte » › « Jetons d’accès à l’API »."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"SchoolKindEnum": "pilotis.territories.enums.SchoolKind"},
    # No deep links: Swagger UI would put each operation's link inside its toggle button, a
    # control nested in a control (WCAG 4.1.2; axe's nested-interactive).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "persistAuthorization": False},
}
