"""Loaded by pytest before Django's settings (see `addopts` in pyproject.toml): the environment
every test runs in, whatever the developer's shell holds."""

from __future__ import annotations

import os

os.environ["DEBUG"] = "false"
os.environ["HTTPS"] = "false"
os.environ["STATIC_MANIFEST"] = "false"
os.environ["SMS_BACKEND"] = "maillage.notifications.sms.LocmemBackend"
# The map draws a blank tile of the site's own: no test asks a tile server.
os.environ["MAP_TILE_URL"] = "/static/img/blank-tile.png?{z}/{x}/{y}"
# No address leaves a test: the tests of geocoding bring their own service.
os.environ["GEOCODER_BACKEND"] = "maillage.network.geocoding.NoGeocoder"
# The personas sign in with their password; the tests of the second factor require it.
os.environ["TWO_FACTOR_REQUIRED"] = "false"
os.environ["TASKS_BACKEND"] = "django.tasks.backends.immediate.ImmediateBackend"
# Playwright's synchronous API runs an event loop in the test thread; the ORM calls made by the
# tests themselves are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
# On a busy test machine the API's figures can take longer than its budget: only the test of
# the budget sets one.
os.environ["API_COMPUTATION_MILLISECONDS"] = "600000"
