"""WSGI entry point of the demo site (``mod_wsgi`` or gunicorn: ``sample_site.wsgi``)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sample_site.settings")

application = get_wsgi_application()
