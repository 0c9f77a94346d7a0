"""Settings for Jiuye, read from the environment.

Every setting has a safe default for development; production sets the documented
variables (see docs/operations.md). Secrets never live in this file.
"""

import os
from pathlib import Path

import dj_database_url

from jiuye.local_secrets import local_secret

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envfloat(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


def envoptfloat(name: str, default: float | None) -> float | None:
    """A number, or None when the variable says "none" (a criterion switched off)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return None if value.strip().lower() in {"", "none", "off"} else float(value)


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Off unless asked for: with DEBUG on, Django shows settings and URL patterns on errors.
DEBUG = envbool("DEBUG", False)

# SQLite file, private files, the generated secret: one folder outside the code.
VAR_DIR = Path(os.environ.get("JIUYE_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # SQLite does not create its folder
SECRET_KEY = os.environ.get("SECRET_KEY") or local_secret(VAR_DIR / "secret_key")
# The key that signs skill certificates so anyone can verify them offline
# (apps/training/signing.py): every server of a deployment must share it.
CERTIFICATE_SIGNING_KEY = os.environ.get("CERTIFICATE_SIGNING_KEY") or local_secret(
    VAR_DIR / "certificate_signing_key"
)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "ninja",  # the API's docs page, with its vendored Swagger UI (no CDN)
    "apps.accounts",
    "apps.regions",
    "apps.taxonomy",
    "apps.people",
    "apps.employers",
    "apps.jobs",
    "apps.imports",
    "apps.matching",
    "apps.services",
    "apps.policies",
    "apps.indicators",
    "apps.monitoring",
    "apps.training",
    "apps.startups",
    "apps.fairs",
    "apps.gigs",
    "apps.sharing",
    "apps.cooperation",
    "apps.api",
    "apps.demo",
    "apps.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # every error under /api/ in the API's one body (apps/api/middleware.py)
    "apps.api.middleware.ApiErrorBody",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "apps.accounts.middleware.StaffIdleTimeout",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out attempts
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "jiuye.urls"
WSGI_APPLICATION = "jiuye.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# SQLite by default (zero setup); DATABASE_URL=postgres://... switches engines.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'jiuye.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets pages read while an import writes; IMMEDIATE avoids upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get("SQLITE_TEST_NAME")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Chinese first; Django's i18n lets English follow.
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploaded and generated files (import files, rejected rows) name people: they live in
# private storage that no URL serves; apps.accounts.downloads checks and logs each download.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "apps.accounts.downloads.PrivateStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Progress of long jobs (imports) is published through the cache. The default
# local-memory cache serves one process; a multi-process deployment sets CACHE_URL
# to Redis so that every web process sees the workers' progress.
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Background work: Celery on Redis when a broker is configured, in-process otherwise.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_ACKS_LATE = True

# Uploads: import files can be large; they are streamed to disk, not held in memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", 2_000_000)
IMPORT_CHUNK_ROWS = envint("IMPORT_CHUNK_ROWS", 2000)
# A running import beats after every chunk; one silent this long is taken as interrupted.
IMPORT_HEARTBEAT_SECONDS = envint("IMPORT_HEARTBEAT_SECONDS", 600)
# Imports and batch pushes: "background" (Celery when CELERY_BROKER_URL is set, else a
# thread of the web process) or "inline" (before the response; tests and commands).
BACKGROUND_RUNNER = os.environ.get("BACKGROUND_RUNNER", "background")

# Geography: H3 resolution of every stored coordinate (res 8 ≈ 0.7 km² cells).
H3_RESOLUTION = envint("H3_RESOLUTION", 8)

# Matching (人岗匹配): weights of the score's components and the rules bureaus tune.
MATCHING = {
    "weights": {
        "occupation": envfloat("MATCHING_W_OCCUPATION", 0.35),
        "certificate": envfloat("MATCHING_W_CERTIFICATE", 0.10),
        "wage": envfloat("MATCHING_W_WAGE", 0.20),
        "distance": envfloat("MATCHING_W_DISTANCE", 0.20),
        "recency": envfloat("MATCHING_W_RECENCY", 0.05),
        "text": envfloat("MATCHING_W_TEXT", 0.10),  # wishes and skills vs job text
    },
    "distance_scale_km": envfloat("MATCHING_DISTANCE_SCALE_KM", 5.0),  # score e^(-d/scale)
    "recency_days": envfloat("MATCHING_RECENCY_DAYS", 30.0),
    "circle_km": envfloat("MATCHING_CIRCLE_KM", 3.0),  # 三公里就业圈
    # A wished 职业's neighbours (相近职业, tasks in common: taxonomy/similarity.py) fit
    # by their similarity times this, at most related_fit_max (same 小类: 0.7).
    "related_fit_per_similarity": envfloat("MATCHING_RELATED_FIT_PER_SIMILARITY", 1.5),
    "related_fit_max": envfloat("MATCHING_RELATED_FIT_MAX", 0.6),
    # A batch push sends a job to at most this many people per opening (capacity-aware),
    # and only jobs at least this close in occupation (0.4: the same 中类) count as suitable.
    "offers_per_opening": envfloat("MATCHING_OFFERS_PER_OPENING", 3.0),
    "push_min_occupation_fit": envfloat("MATCHING_PUSH_MIN_FIT", 0.4),
    # Processes ranking a push's people (forked from the one running it; 0: one per CPU,
    # 1: rank in that process alone), a chunk of people at a time.
    "push_processes": envint("MATCHING_PUSH_PROCESSES", 0),
    "push_chunk": envint("MATCHING_PUSH_CHUNK", 500),
    "max_radius_km": 200.0,
    # The learned re-ranker re-orders the rules' best `shortlist` when a trained model
    # exists (python manage.py evaluate_matching --save); off: the rule order only.
    "rerank": envbool("MATCHING_RERANK", True),
    "shortlist": envint("MATCHING_SHORTLIST", 50),
    # Kinds reserved for key groups: public-welfare posts for the hard-to-employ and
    # zero-employment families; internships (就业见习) for graduates and unemployed youth.
    "reserved_kinds": {
        "public_welfare": ["hard_to_employ", "zero_employment_family"],
        "internship": ["graduate", "unemployed_youth"],
    },
}

# Employers on the wage-arrears blacklist (欠薪黑名单, under joint discipline: 004 七.2): their
# jobs are neither recommended nor pushed nor put forward by staff, and are flagged on the
# board. A bureau that decides otherwise for its region lists the region's code prefix here
# (comma-separated); its blacklisted employers' jobs are then matched, still flagged.
BLACKLIST_EXEMPT_REGIONS = [
    p.strip() for p in os.environ.get("BLACKLIST_EXEMPT_REGIONS", "").split(",") if p.strip()
]

# Working age for registrations: from 16 to the statutory retirement age, which the 2025
# reform raises gradually (men 60 → 63, women 50/55 → 55/58 from 2025); a bureau sets the
# ages that apply to the people it registers.
WORKING_AGE_MIN = envint("WORKING_AGE_MIN", 16)
RETIREMENT_AGE = {
    "M": envint("RETIREMENT_AGE_MALE", 60),
    "F": envint("RETIREMENT_AGE_FEMALE", 55),
}

# Public-welfare posts (公益性岗位): a term of at most a year at a time, three years in all,
# except for people within five years of retirement, who may stay until it; the posts a
# year's plan develops (002: 390).
WELFARE_POSTS = {
    "term_days": envint("WELFARE_TERM_DAYS", 365),
    "max_years": envint("WELFARE_MAX_YEARS", 3),
    "near_retirement_years": envint("WELFARE_NEAR_RETIREMENT_YEARS", 5),
    "yearly_target": envint("WELFARE_YEARLY_TARGET", 390),
}

# Trained re-ranking models (LightGBM text files), one per direction.
MATCHING_MODEL_DIR = os.environ.get("MATCHING_MODEL_DIR", str(VAR_DIR / "models"))

# Communities' circles: the 3-km employment circle (三公里就业圈, MATCHING["circle_km"]) and
# the 15-minute service circle around each service station (15 min walking ≈ 1.2 km, 004 五.1).
SERVICE_CIRCLE_KM = envfloat("SERVICE_CIRCLE_KM", 1.2)
# Full-employment community (充分就业社区) criteria; a criterion set to None is not applied.
# Defaults follow the usual national standard; a bureau sets its own.
FULL_EMPLOYMENT = {
    # registered unemployed / residents in the labour force (employed, flexible, unemployed)
    "max_unemployment_rate": envoptfloat("FULL_EMPLOYMENT_MAX_UNEMPLOYMENT_RATE", 0.04),
    # zero-employment families left (零就业家庭动态清零)
    "max_zero_employment_families": envoptfloat("FULL_EMPLOYMENT_MAX_ZERO_FAMILIES", 0),
    # hard-to-employ residents in work / hard-to-employ residents in the labour force
    "min_hard_to_employ_placed": envoptfloat("FULL_EMPLOYMENT_MIN_HARD_PLACED", 0.9),
    # openings within the 3-km circle per resident seeking work (三公里 criterion; off by default)
    "min_openings_per_seeker": envoptfloat("FULL_EMPLOYMENT_MIN_OPENINGS_PER_SEEKER", None),
}
# Share of communities meeting the criteria, by year (002: 40% in 2022, 70% by 2025).
FULL_EMPLOYMENT_TARGETS = {
    int(year): float(share)
    for year, share in (
        item.split(":") for item in envlist("FULL_EMPLOYMENT_TARGETS", "2022:0.40,2025:0.70")
    )
}
# A tile URL template for the maps (an intranet tile server); empty: no base map, the
# communities and stations are drawn on a plain background.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")

# One-time codes to mobile numbers (sign-up): the channel that sends them (an SMS gateway's
# class in production; the log by default) and, for the demo only, showing them on screen.
SMS_CHANNEL = os.environ.get("SMS_CHANNEL", "apps.accounts.codes.LogChannel")
SHOW_CODES = envbool("SHOW_CODES", False)

# Where offers are sent besides the worker's inbox (dotted paths of channel classes).
OFFER_CHANNELS = envlist("OFFER_CHANNELS", "apps.matching.channels.TableChannel")

# The default city of the demo: 界首市, pilot city of seed 002.
DEMO_REGION = os.environ.get("DEMO_REGION", "341282")
# The region whose policy list the public pages show to a visitor who has not chosen one.
PUBLIC_REGION = os.environ.get("PUBLIC_REGION", DEMO_REGION)
# Official sweeps (and trials) kept per region and year; older results are removed.
POLICY_SWEEPS_KEPT = envint("POLICY_SWEEPS_KEPT", 3)
# Demo logins; only created with DEBUG on or when DEMO_PASSWORD is set explicitly.
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "")

# --- Security (docs/security.md) ------------------------------------------------------
# Behind HTTPS (production): redirect plain HTTP, HSTS, cookies only over HTTPS. The demo
# on http://127.0.0.1 runs without it. TRUSTED_PROXIES: how many reverse proxies in front
# add to X-Forwarded-For (0: the client is REMOTE_ADDR); the lockout and the access log
# read the client's address through it.
HTTPS = envbool("HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = envint("HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if HTTPS and envbool("BEHIND_TLS_PROXY", True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", HTTPS)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", HTTPS)
TRUSTED_PROXIES = envint("TRUSTED_PROXIES", 0)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # pages carry the token in their forms and hx-headers
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "apps.portal.errors.csrf_failure"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Sessions: staff sessions end after STAFF_IDLE_MINUTES without a request (the idle
# limit of a back office holding a city's personal data); others after a day.
SESSION_COOKIE_AGE = envint("SESSION_HOURS", 24) * 3600
STAFF_IDLE_SECONDS = envint("STAFF_IDLE_MINUTES", 30) * 60

# Login lockout (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one account
# (from anywhere), or LOGIN_ADDRESS_FAILURE_LIMIT from one address (for any accounts: an
# office shares one address), further attempts are refused for LOGIN_LOCKOUT_MINUTES (the
# right password included); an administrator unlocks earlier in the admin (访问尝试).
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = max(AXES_FAILURE_LIMIT, envint("LOGIN_ADDRESS_FAILURE_LIMIT", 30))
AXES_HANDLER = "apps.accounts.lockout.AccountOrAddressHandler"
AXES_COOLOFF_TIME = envint("LOGIN_LOCKOUT_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# A sign-in does not wipe the failures: otherwise anyone with an account could guess
# another's password forever, signing in to their own between guesses. Failures expire
# with the lockout time.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "apps.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "apps.accounts.requests.client_ip"
AXES_VERBOSE = False

# Content-Security-Policy (django-csp): scripts and styles only from the platform's own
# static files, no inline script, no inline style; map tiles from MAP_TILE_URL's origin.
_TILE_ORIGIN = "/".join(MAP_TILE_URL.split("/")[:3]).replace("{s}", "*")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *([_TILE_ORIGIN] if _TILE_ORIGIN else [])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # numexpr (under OpenFisca) announces its thread count at INFO on every start.
    "loggers": {
        "numexpr.utils": {"level": "WARNING"},
        # WeasyPrint narrates each step of a PDF, fontTools each font it subsets, and
        # matplotlib each categorical axis, at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "matplotlib": {"level": "WARNING"},
        # django-axes reports every login at INFO; lockouts are warnings.
        "axes": {"level": "WARNING"},
    },
}
