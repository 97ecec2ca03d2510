"""Settings of the benchmark server: the application's, DEBUG off, persistent connections,
plus the bare baseline's URLs."""

from satupintu.settings import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench.serving_urls"
DATABASES["default"]["CONN_MAX_AGE"] = 600  # noqa: F405
ALLOWED_HOSTS = ["127.0.0.1"]
