"""Settings of the portal: the one place that reads the environment.

Every value comes from an environment variable (see docs/deployment.md). Development mode
(``DJANGO_DEBUG=1``, what ``make demo`` sets) allows development defaults: an embedded
SQLite database under ``var/``, eager tasks, mail written to files under ``var/mail``.
Outside it a missing or malformed value stops the start with ``ImproperlyConfigured``.
``DEVELOPMENT`` is that mode; ``DEBUG`` (Django's debug pages) is on in it unless
``DJANGO_DEBUG_PAGES=0``, as the demo runs.
"""

import re
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.provinces import ABBREVIATIONS, department_name, province_code, province_names

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()


def _env_bool(name: str, default: bool) -> bool:
    raw = env.str(name, default="1" if default else "0").strip().lower()
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be 0 or 1, not {raw!r}.")


def _env_int(name: str, default: int) -> int:
    raw = env.str(name, default=str(default))
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


# Development mode (DJANGO_DEBUG=1): the development defaults below (embedded database, eager
# tasks, mail to files, plain HTTP) and the demo's conveniences (the published second-factor
# key, the log-in page's hints).
DEVELOPMENT = _env_bool("DJANGO_DEBUG", default=False)
# Django's debug pages (tracebacks, the URL list on a 404) only in development, and not when
# DJANGO_DEBUG_PAGES=0: the demo shows the portal's own error pages, as production does.
DEBUG = DEVELOPMENT and _env_bool("DJANGO_DEBUG_PAGES", default=True)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEVELOPMENT:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "string (python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DJANGO_DEBUG=1 for a development run. "
            "未设置 SECRET_KEY 环境变量：生产环境必须提供随机密钥。"
        )
    SECRET_KEY = "insecure-development-key-used-only-with-DJANGO_DEBUG"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEVELOPMENT else [])
if not DEVELOPMENT and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is not set (comma-separated host names).")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# A form refused by the CSRF check gets the portal's page, in its layout (templates/403_csrf.html).
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"

INSTALLED_APPS = [
    # Before django.contrib.auth: its createsuperuser command (which records the superuser in
    # the audit trail) takes the place of Django's own.
    "organizations",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "import_export",
    "axes",
    "django_htmx",
    "django_celery_beat",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "audit",
    "portal",
    "standards",
    "applications",
    "review",
    "evaluation",
    "notices",
    "designations",
    "reinspections",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.PageCSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Renews the idle time-out at most once a minute (instead of SESSION_SAVE_EVERY_REQUEST).
    "portal.middleware.SessionTouchMiddleware",
    "audit.middleware.AuditRequestMiddleware",
    # Which device, if any, verified this session's second factor.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The second factor, then an expired or provisional password, before any other page.
    "organizations.middleware.AccountGateMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "portal.middleware.HtmxLoginRequiredMiddleware",
    # Axes must come last: it turns a lockout raised by the backend into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
            ],
        },
    },
]

# Databases: PostgreSQL in production and in tests; an embedded SQLite file only in debug mode.
if DEVELOPMENT:
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES = {
        "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'demo.sqlite3'}"),
    }
else:
    if not env.str("DATABASE_URL", default=""):
        raise ImproperlyConfigured("DATABASE_URL is not set, e.g. postgres://user:pass@host/db.")
    DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default: the web process and a demo worker share one file; wait for locks.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", _env_int("DATABASE_CONN_MAX_AGE", 60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organizations.User"
AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out username is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "organizations.validators.CharacterClassesValidator",
        "OPTIONS": {"min_classes": 3},
    },
]
# Passwords: changed after this many days; the last PASSWORD_HISTORY_COUNT are not reused.
PASSWORD_EXPIRY_DAYS = _env_int("PASSWORD_EXPIRY_DAYS", default=90)
if PASSWORD_EXPIRY_DAYS < 1:
    raise ImproperlyConfigured("PASSWORD_EXPIRY_DAYS must be 1 or more.")
PASSWORD_HISTORY_COUNT = 5
AUTH_PASSWORD_VALIDATORS.append(
    {
        "NAME": "organizations.validators.PasswordHistoryValidator",
        "OPTIONS": {"count": PASSWORD_HISTORY_COUNT},
    }
)


def _otp_required_roles() -> frozenset[str]:
    """The roles that must use a second factor (OTP_REQUIRED_ROLES, comma-separated role codes);
    every other role is offered it. An unknown code stops the start."""
    from organizations.enums import Role  # noqa: PLC0415 settings

    default = "campaign_office,evaluator,city_head,system_admin,security_admin,audit_admin"
    codes = [c.strip() for c in env.str("OTP_REQUIRED_ROLES", default=default).split(",")]
    codes = [c for c in codes if c]
    unknown = sorted(set(codes) - set(Role.values))
    if unknown:
        raise ImproperlyConfigured(
            f"OTP_REQUIRED_ROLES names unknown roles: {', '.join(unknown)} "
            f"(known: {', '.join(Role.values)})."
        )
    return frozenset(codes)


OTP_REQUIRED_ROLES = _otp_required_roles()
OTP_TOTP_ISSUER = "示范司法局创建评定平台"
# The lockout by username (django-axes) counts wrong codes; no extra per-device delay on top.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# How long the second step of a log-in waits for the code after the password, in seconds.
OTP_LOGIN_TIMEOUT = 300

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout by username, not by address: a county office shares one NAT address.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
# axes.W006 warns that the address is not part of the key: deliberate, see above.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Guardian: anonymous users get no object permissions at all.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# Idle timeout of 30 minutes: portal.middleware.SessionTouchMiddleware renews the session at
# most once every SESSION_TOUCH_SECONDS, so the time-out is exact to within that interval and
# a burst of requests writes the session row once.
SESSION_COOKIE_AGE = _env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_TOUCH_SECONDS = _env_int("SESSION_TOUCH_SECONDS", 60)
if not 1 <= SESSION_TOUCH_SECONDS < SESSION_COOKIE_AGE:
    raise ImproperlyConfigured(
        "SESSION_TOUCH_SECONDS must be at least 1 and below SESSION_IDLE_SECONDS."
    )
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
# In development WhiteNoise serves the files from the apps' folders, with or without DEBUG
# (the demo runs without Django's debug pages and without collectstatic).
WHITENOISE_USE_FINDERS = DEVELOPMENT
WHITENOISE_AUTOREFRESH = DEVELOPMENT
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEVELOPMENT
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Private files (evidence, minutes, scans, photos, certificates): never under STATIC_URL or a
# public MEDIA_URL, always through STORAGES["private"] (core/storage.py). PRIVATE_STORAGE=local
# keeps them in a folder (one machine, or a folder every node mounts); =s3 in an S3-compatible
# object store shared by every web node (docs/deployment.md, "From one machine to several").
PRIVATE_STORAGE = env.str("PRIVATE_STORAGE", default="local").strip().lower()
PRIVATE_STORAGE_ROOT = Path(env.str("PRIVATE_STORAGE_ROOT", default=str(VAR_DIR / "private")))
# Behind nginx, downloads are handed to it with X-Accel-Redirect under this internal prefix.
PRIVATE_STORAGE_ACCEL_PREFIX = env.str("PRIVATE_STORAGE_ACCEL_PREFIX", default="")
# Without nginx, an object store's file is downloaded by a redirect to a presigned URL valid
# this long (0: streamed through the portal, for a store the browsers cannot reach).
PRIVATE_STORAGE_REDIRECT = _env_bool("PRIVATE_STORAGE_REDIRECT", default=True)
PRIVATE_S3_URL_SECONDS = _env_int("PRIVATE_S3_URL_SECONDS", default=60)
if not 1 <= PRIVATE_S3_URL_SECONDS <= 3600:
    raise ImproperlyConfigured("PRIVATE_S3_URL_SECONDS must be between 1 and 3600.")
if PRIVATE_STORAGE == "local":
    STORAGES["private"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_STORAGE_ROOT), "base_url": None},
    }
elif PRIVATE_STORAGE == "s3":
    PRIVATE_S3_BUCKET = env.str("PRIVATE_S3_BUCKET", default="")
    if not PRIVATE_S3_BUCKET:
        raise ImproperlyConfigured("PRIVATE_STORAGE=s3 needs PRIVATE_S3_BUCKET (the bucket).")
    from boto3.s3.transfer import TransferConfig

    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": PRIVATE_S3_BUCKET,
            # Empty: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or boto3's other sources.
            "access_key": env.str("PRIVATE_S3_ACCESS_KEY", default="") or None,
            "secret_key": env.str("PRIVATE_S3_SECRET_KEY", default="") or None,
            # Empty: Amazon S3 itself; otherwise the store's URL (SeaweedFS, MinIO, OSS, COS …).
            "endpoint_url": env.str("PRIVATE_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("PRIVATE_S3_REGION", default="us-east-1"),
            "addressing_style": env.str("PRIVATE_S3_ADDRESSING_STYLE", default="path"),
            "signature_version": "s3v4",
            # Private objects: readable only with the keys or a presigned URL.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": PRIVATE_S3_URL_SECONDS,
            # Names are random (160 bits): no existence check before each write.
            "file_overwrite": True,
            # A file read back (a streamed download, a photo in a report) spills to disk past this.
            "max_memory_size": 8 * 1024 * 1024,
            # Uploads in parts of 5 MB (S3's smallest), one at a time: a 50 MB video holds about
            # 5 MB of memory on its way to the store, not boto3's ten threads' worth (77 MB).
            "transfer_config": TransferConfig(
                multipart_threshold=8 * 1024 * 1024,
                multipart_chunksize=5 * 1024 * 1024,
                max_concurrency=1,
                use_threads=False,
            ),
        },
    }
else:
    raise ImproperlyConfigured(f"PRIVATE_STORAGE must be local or s3, not {PRIVATE_STORAGE!r}.")
# The audit trail is kept at least this long (the Cybersecurity Law asks for six months).
AUDIT_RETENTION_DAYS = _env_int("AUDIT_RETENTION_DAYS", default=365)
# A designated title is re-inspected every so many years (plan §四: 每3年复查一次), counted by the
# calendar from the naming and from each re-inspection passed (designations.workflow).
REINSPECTION_PERIOD_YEARS = _env_int("REINSPECTION_PERIOD_YEARS", default=3)
if AUDIT_RETENTION_DAYS < 180:
    raise ImproperlyConfigured("AUDIT_RETENTION_DAYS must be at least 180 (six months).")
AUDIT_ARCHIVE_DIR = Path(env.str("AUDIT_ARCHIVE_DIR", default=str(VAR_DIR / "audit-archive")))
# How many reverse proxies in front of the portal append to X-Forwarded-For (nginx: 1). The
# audit columns take the address the nearest trusted proxy saw; 0 means REMOTE_ADDR as it is.
TRUSTED_PROXY_COUNT = _env_int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")

# Mail
# In development each mail is a file under EMAIL_FILE_PATH (var/mail), not a page of the log;
# EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend prints them instead.
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.filebased.EmailBackend"
    if DEVELOPMENT
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = _env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", default=False)
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
# The portal's public address, e.g. https://portal.example.gov.cn: the links in mails and the
# QR codes on certificates and notices. In development what `make demo PORT=…` serves.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEVELOPMENT else "").strip()
SITE_URL = SITE_URL.removesuffix("/")
if not SITE_URL:
    raise ImproperlyConfigured(
        "SITE_URL is not set: the portal's public address (https://portal.example.gov.cn), "
        "for the links in mails and the QR codes on certificates."
    )
if not SITE_URL.startswith(("http://", "https://")) or any(c in SITE_URL for c in " ?#"):
    raise ImproperlyConfigured(
        f"SITE_URL must be an address like https://portal.example.gov.cn, not {SITE_URL!r}."
    )
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="示范司法局创建平台 <noreply@localhost>")

# Celery: Redis as broker in production; eager in the embedded default.
REDIS_URL = env.str("REDIS_URL", default="")
# Eager: the in-memory transport, named with a host (kombu warns of a URL without one).
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = _env_bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# A task is acknowledged when it ends, not when it starts: a worker lost halfway leaves it on
# the broker (and a child process killed under a living worker puts it back at once).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A worker holds one unacknowledged task per process, not four: what a lost worker held waits
# for the visibility timeout below.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Hard time limits (seconds): every task's default, and the certificate batch's, the longest.
CELERY_TASK_TIME_LIMIT = 15 * 60
CERTIFICATE_BATCH_TIME_LIMIT = 30 * 60
TASK_TIME_LIMIT_LONGEST = max(CELERY_TASK_TIME_LIMIT, CERTIFICATE_BATCH_TIME_LIMIT)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# A request never waits long on a broker that is down: two quick retries, then the sweep.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# Redis hands a task taken by a worker that never acknowledged it (the worker died) to another
# worker after ``visibility_timeout``. It must be longer than any task may run, or a task still
# running is handed out a second time: the longest time limit and five minutes more.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 3,
    "visibility_timeout": TASK_TIME_LIMIT_LONGEST + 5 * 60,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    # Deadline reminders and the deadline summary (Beijing time, every morning).
    "deadline-jobs": {
        "task": "review.tasks.deadline_jobs",
        "schedule": crontab(hour=8, minute=0),
    },
    # Re-inspections due, and their reminders.
    "reinspection-jobs": {
        "task": "designations.tasks.reinspection_jobs",
        "schedule": crontab(hour=8, minute=10),
    },
    # Reminders before a rectification's deadline and the day after it.
    "rectification-jobs": {
        "task": "reinspections.tasks.rectification_jobs",
        "schedule": crontab(hour=8, minute=15),
    },
    # Notifications the broker missed.
    "notification-sweep": {
        "task": "applications.tasks.notification_sweep",
        "schedule": crontab(minute="*/10"),
    },
    # Certificate batches the broker missed or a lost worker left standing.
    "certificate-batch-sweep": {
        "task": "designations.tasks.certificate_batch_sweep",
        "schedule": crontab(minute="*"),
    },
}
if not DEVELOPMENT and not REDIS_URL and not CELERY_TASK_ALWAYS_EAGER:
    raise ImproperlyConfigured("REDIS_URL is not set and tasks are not eager.")

# Security: strict outside debug mode (python manage.py check --deploy is clean).
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEVELOPMENT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = _env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REFERRER_POLICY = "same-origin"
    # The health check is probed over plain HTTP from inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content-Security-Policy (django-csp) on every page: scripts, styles, fonts and images from the
# portal only, no inline script or style (templates load static/js and static/css; htmx is told
# not to eval or inject its indicator style, see base.html), no plugins, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap's stylesheet draws its icons (menu, select arrow, check marks) as data: SVG.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        # Violations are reported to the portal (portal.views.csp_report, the portal.csp log).
        "report-uri": "/csp-report/",
    },
}
# Permissions-Policy: no page uses a device or sensor. The inspection photo input's
# capture="environment" opens the camera through the file picker, which the policy does not
# govern (it governs getUserMedia), so camera=() costs nothing.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "usb": [],
    "serial": [],
    "hid": [],
    "browsing-topics": [],
}

# Uploads stream to disk beyond this size instead of being held in memory; an upload past the
# evidence limit is cut off by the first handler before it reaches the disk.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "applications.evidence.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
EVIDENCE_MAX_BYTES = _env_int("EVIDENCE_MAX_MB", 50) * 1024 * 1024
# The virus scan of uploads by clamd over its UNIX socket (docs/deployment.md): off when empty;
# when set, an upload is refused if clamd finds something or cannot be reached.
CLAMD_SOCKET = env.str("CLAMD_SOCKET", default="").strip()
# A UNIX socket's path holds at most 107 bytes.
if CLAMD_SOCKET and (not Path(CLAMD_SOCKET).is_absolute() or len(CLAMD_SOCKET.encode()) > 107):
    raise ImproperlyConfigured(
        f"CLAMD_SOCKET must be the absolute path of clamd's socket (at most 107 bytes), "
        f"not {CLAMD_SOCKET!r}."
    )
CLAMD_TIMEOUT = _env_int("CLAMD_TIMEOUT", 30)
if CLAMD_TIMEOUT < 1:
    raise ImproperlyConfigured("CLAMD_TIMEOUT must be at least 1 (seconds).")
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# The province whose campaign this portal runs: a GB/T 2260 province-level code ("230000"; "23"
# is read as "230000"). Only its bureaus take part (organizations.selectors.province_bureaus).
PORTAL_PROVINCE = province_code(env.str("PORTAL_PROVINCE", default="230000")) or ""
_PROVINCE_NAMES = province_names()
if PORTAL_PROVINCE not in _PROVINCE_NAMES:
    raise ImproperlyConfigured(
        "PORTAL_PROVINCE must be the GB/T 2260 code of a province-level division "
        f"(230000 for 黑龙江省), not {env.str('PORTAL_PROVINCE', default='')!r}."
    )
PORTAL_PROVINCE_NAME = _PROVINCE_NAMES[PORTAL_PROVINCE]
# The department that runs the campaign (黑龙江省司法厅) and the province's 简称 (黑).
PORTAL_DEPARTMENT_NAME = env.str(
    "PORTAL_DEPARTMENT_NAME", default=department_name(PORTAL_PROVINCE_NAME)
).strip()
PORTAL_PROVINCE_ABBREVIATION = env.str(
    "PORTAL_PROVINCE_ABBREVIATION", default=ABBREVIATIONS.get(PORTAL_PROVINCE[:2], "")
).strip()
if not PORTAL_DEPARTMENT_NAME or not PORTAL_PROVINCE_ABBREVIATION:
    raise ImproperlyConfigured(
        "PORTAL_DEPARTMENT_NAME and PORTAL_PROVINCE_ABBREVIATION must not be empty."
    )

# Designation numbers: {year} and {seq} (the year's running number).
DESIGNATION_NUMBER_PATTERN = env.str(
    "DESIGNATION_NUMBER_PATTERN", default=f"{PORTAL_PROVINCE_ABBREVIATION}司示〔{{year}}〕{{seq}}号"
)
if "{year}" not in DESIGNATION_NUMBER_PATTERN or "{seq}" not in DESIGNATION_NUMBER_PATTERN:
    raise ImproperlyConfigured("DESIGNATION_NUMBER_PATTERN must contain {year} and {seq}.")

# Certificate batches: one whose progress has not moved for this long (seconds; longer than one
# page takes) is queued again by the sweep; one that began this many times without finishing is
# marked failed.
CERTIFICATE_BATCH_STALL_SECONDS = _env_int("CERTIFICATE_BATCH_STALL_SECONDS", 300)
CERTIFICATE_BATCH_MAX_ATTEMPTS = _env_int("CERTIFICATE_BATCH_MAX_ATTEMPTS", 3)
if CERTIFICATE_BATCH_STALL_SECONDS < 1 or CERTIFICATE_BATCH_MAX_ATTEMPTS < 1:
    raise ImproperlyConfigured(
        "CERTIFICATE_BATCH_STALL_SECONDS and CERTIFICATE_BATCH_MAX_ATTEMPTS must be at least 1."
    )


# The documents the portal prints (docs/deployment.md, "Documents"). Font families are CSS
# font-family lists: the defaults are Debian's free fonts (make sysdeps-pdf); a department with
# licensed fonts installs them and names them here (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312, 黑体).
def _env_font(name: str, default: str) -> str:
    value = env.str(name, default=default).strip()
    # The value goes into the PDF templates' style sheet: a family list, nothing else.
    if not value or any(character in value for character in ";{}<>\\"):
        raise ImproperlyConfigured(f"{name} must be a CSS font-family list, not {value!r}.")
    return value


DOCUMENT_FONT_TITLE = _env_font("DOCUMENT_FONT_TITLE", '"Noto Serif CJK SC", serif')
# Noto Serif bold stands in for 小标宋; a real 小标宋 face is drawn at its own weight (400).
DOCUMENT_FONT_TITLE_WEIGHT = _env_int("DOCUMENT_FONT_TITLE_WEIGHT", default=700)
DOCUMENT_FONT_BODY = _env_font("DOCUMENT_FONT_BODY", '"AR PL UKai CN", "Noto Serif CJK SC", serif')
DOCUMENT_FONT_KAI = _env_font("DOCUMENT_FONT_KAI", '"AR PL UKai CN", "Noto Serif CJK SC", serif')
DOCUMENT_FONT_HEADING = _env_font("DOCUMENT_FONT_HEADING", '"Noto Sans CJK SC", sans-serif')
DOCUMENT_FONT_SONG = _env_font("DOCUMENT_FONT_SONG", '"Noto Serif CJK SC", serif')
# Who issues the naming notice, to whom, with copies to whom (the plan: 省司法厅 names the
# bureaus; the notice goes to the cities' bureaus; the Ministry is kept informed).
DOCUMENT_ISSUER = env.str("DOCUMENT_ISSUER", default=PORTAL_DEPARTMENT_NAME)
DOCUMENT_ISSUER_MARK = env.str("DOCUMENT_ISSUER_MARK", default=f"{DOCUMENT_ISSUER}文件")
DOCUMENT_MAIN_RECIPIENTS = env.str("DOCUMENT_MAIN_RECIPIENTS", default="各市（地）司法局")
DOCUMENT_COPY_TO = env.str("DOCUMENT_COPY_TO", default="司法部，省委政法委")
DOCUMENT_PRINTED_BY = env.str("DOCUMENT_PRINTED_BY", default=f"{DOCUMENT_ISSUER}办公室")
# A PKCS#12 file (certificate and key) signs the naming notice and the certificates (PAdES);
# empty: documents are not signed and the verification page says so.
DOCUMENT_SIGNING_P12 = env.str("DOCUMENT_SIGNING_P12", default="")
DOCUMENT_SIGNING_PASSWORD = env.str("DOCUMENT_SIGNING_PASSWORD", default="")
if DOCUMENT_SIGNING_P12 and not Path(DOCUMENT_SIGNING_P12).is_file():
    raise ImproperlyConfigured(f"DOCUMENT_SIGNING_P12 names no file: {DOCUMENT_SIGNING_P12}.")
# The Word template of the application form (docxtpl tags); an office may supply its own.
APPLICATION_FORM_DOCX_TEMPLATE = Path(
    env.str(
        "APPLICATION_FORM_DOCX_TEMPLATE",
        default=str(BASE_DIR / "applications" / "word" / "application_form.docx"),
    )
)
if not APPLICATION_FORM_DOCX_TEMPLATE.is_file():
    raise ImproperlyConfigured(
        f"APPLICATION_FORM_DOCX_TEMPLATE names no file: {APPLICATION_FORM_DOCX_TEMPLATE}."
    )
# The pages of the codes printed on certificates and notices (/public/verify/<code>/): at most
# this many a minute from one address (django-ratelimit, in the cache below), then a 429.
_PUBLIC_VERIFY_PER_MINUTE = _env_int("PUBLIC_VERIFY_PER_MINUTE", 30)
if _PUBLIC_VERIFY_PER_MINUTE < 1:
    raise ImproperlyConfigured("PUBLIC_VERIFY_PER_MINUTE must be at least 1.")
PUBLIC_VERIFY_RATE = f"{_PUBLIC_VERIFY_PER_MINUTE}/m"
# The largest PDF the verification page accepts.
DOCUMENT_VERIFY_MAX_BYTES = _env_int("DOCUMENT_VERIFY_MAX_MB", default=20) * 1024 * 1024

# A shared cache where Redis is configured (the public list is cached and invalidated across
# processes); a local one in the embedded default.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}


# The public objection form (公示) and the look-up of its result, limited by django-ratelimit on
# the cache above: per client address and per telephone ("<count>/<s|m|h|d>").
def _env_rate(name: str, default: str) -> str:
    raw = env.str(name, default=default).strip()
    if not re.fullmatch(r"[1-9][0-9]*/[1-9]?[0-9]*[smhd]", raw):
        raise ImproperlyConfigured(f"{name} must be a rate such as 10/h, not {raw!r}.")
    return raw


RATELIMIT_USE_CACHE = "default"
OBJECTION_RATE_ADDRESS = _env_rate("OBJECTION_RATE_ADDRESS", "10/h")
OBJECTION_RATE_PHONE = _env_rate("OBJECTION_RATE_PHONE", "3/d")
OBJECTION_LOOKUP_RATE = _env_rate("OBJECTION_LOOKUP_RATE", "30/h")
# Content-Security-Policy violation reports taken from one address (more are refused, 429).
CSP_REPORT_RATE = _env_rate("CSP_REPORT_RATE", "60/m")

# Excel import/export: every import runs in one transaction; one bad row writes nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# Off on purpose: core.excel's formats keep formulas out of every export (core.cells); the
# library's own escaping would delete a leading "=", miss "+", "-" and "@", and stringify all.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # pikepdf says at INFO that it has started.
        "pikepdf": {"level": "WARNING"},
        # Tasks run inline (the demo): not a line per task in the log, as a worker writes.
        **({"celery.app.trace": {"level": "WARNING"}} if CELERY_TASK_ALWAYS_EAGER else {}),
    },
}

PORTAL_NAME = _("Model County Justice Bureau Accreditation Portal")
