import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402 (configured by get_wsgi_application)

# Refuse to serve with DEBUG off and no SECRET_KEY (settings.py says why); runserver and
# gunicorn both load the application from here.
if settings.SECRET_KEY_MISSING:
    raise ImproperlyConfigured(settings.SECRET_KEY_MISSING)
