"""The portal's settings as the benchmark servers run them: production settings (no debug)
plus a query counter in a response header and the baseline view's URL and template."""

from portal.settings import *  # noqa: F403
from portal.settings import MIDDLEWARE, TEMPLATES

ROOT_URLCONF = "tests.perf.urls"
MIDDLEWARE = ["tests.perf.middleware.QueryCountMiddleware", *MIDDLEWARE]
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "tests" / "perf" / "templates"]  # noqa: F405
