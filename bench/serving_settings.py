"""Settings of the benchmark server: the application's, DEBUG off, persistent connections,
plus the bare baseline's URLs."""

from satupintu.settings import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench.serving_urls"
DATABASES["default"]["CONN_MAX_AGE"] = 600  # noqa: F405
ALLOWED_HOSTS = ["127.0.0.1"]
# The pages are measured, not their static files: plain names, no collectstatic needed.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The bare baseline is anonymous by design: the anonymous throttle (issue 22) would answer it
# with 429s after 120 requests a minute, and the baseline would measure refusals.
ANONYMOUS_REQUESTS_PER_MINUTE = 10**9
