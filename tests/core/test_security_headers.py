from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from tests.conftest import World


def test_pages_carry_a_content_security_policy_with_a_nonce(db: None) -> None:
    response = Client().get("/")
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce, policy
    assert "script-src 'self' 'nonce-" in policy
    assert "'unsafe-inline'" not in policy
    scripts = re.findall(r"<script[^>]*>", response.content.decode())
    assert scripts
    for tag in scripts:
        assert f'nonce="{nonce.group(1)}"' in tag, tag


def test_pages_refuse_framing_and_sniffing(db: None) -> None:
    response = Client().get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_every_page_says_which_browser_features_it_never_uses(db: None) -> None:
    policy = Client().get("/")["Permissions-Policy"]
    assert "camera=()" in policy and "microphone=()" in policy
    assert "geolocation=(self)" in policy


@pytest.mark.parametrize(
    "url",
    [
        "/personnes/{alice}/",
        "/personnes/{alice}/export.json",
        "/personnes/",
        "/espace/",
    ],
)
def test_what_a_signed_in_person_reads_is_never_stored(
    client_as: Any, world: World, url: str
) -> None:
    response = client_as("mediator").get(url.format(alice=world.alice.reference))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_static_files_stay_cacheable(client: Client, db: None) -> None:
    response = client.get("/static/css/maillage.css")
    assert "no-store" not in response.get("Cache-Control", "")


def test_production_settings_enforce_https_cookies_and_hsts() -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "DEBUG": "false", "HTTPS": "true", "SECRET_KEY": "x" * 60}
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup();"
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)"
    )
    out = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["True", "True", "True", "31536000"]
