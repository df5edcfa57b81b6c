"""WSGI entry point for gunicorn: ``gunicorn hyoka.web.wsgi`` behind a TLS proxy in production."""

import os

from django.core.wsgi import get_wsgi_application

from hyoka.web import collector

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hyoka.web.settings")
application = get_wsgi_application()
collector.install()  # a worker holds many plans: the whole heap is walked rarely (collector.py says why)
