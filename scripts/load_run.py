"""The load run's driver, against the demo served as in production (scripts/load-run.sh).

It signs in over HTTP as a facilitator of the demo and as the national administrator, each
with the password and the second factor, as a person would; finds a person, a session with
learners and a counter that the facilitator may open; then runs wrk (scripts/load.lua) on
each screen, LOAD_CONNECTIONS connections without pause for LOAD_SECONDS, and prints one line
per screen: requests per second, p50 / p95 / p99, and errors (connection errors, time-outs,
answers other than 2xx/3xx). Exits non-zero when any screen had an error.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.parse
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.db.models import Count  # noqa: E402
from django_otp.oath import totp  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from maillage.accounts.models import User  # noqa: E402
from maillage.learning.models import Cohort, Session  # noqa: E402
from maillage.people.models import Beneficiary  # noqa: E402
from maillage.stock.models import Place  # noqa: E402
from scripts.production_smoke import Browser  # noqa: E402

SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
CONNECTIONS = int(os.environ.get("LOAD_CONNECTIONS", "50"))
FACILITATOR = "double.authentification@maillage.test"
ADMIN = "admin@maillage.test"
PASSWORD = "Maillage-demo-2026"  # noqa: S105 (the demo's printed password)
KEY = b"Maillage-demo-2026!!".hex()  # the demo facilitator's second factor (README)


@dataclass
class Target:
    name: str
    path: str
    browser: Browser
    body: str = ""

    @property
    def method(self) -> str:
        return "POST" if self.body else "GET"


def signed_in(base: str, email: str) -> Browser:
    """A session opened through the sign-in form and the code page."""
    user = User.objects.get(email=email)
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="Maillage", key=KEY, confirmed=True)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    browser = Browser(base)
    status, _location, _ = browser.post(
        "/espace/connexion/", {"username": email, "password": PASSWORD}
    )
    assert status == 302, f"sign-in of {email}: {status}"
    status, _location, _ = browser.post(
        "/espace/connexion/code/", {"code": f"{totp(device.bin_key):06d}"}
    )
    assert status == 302, f"second factor of {email}: {status}"
    return browser


def first_open(browser: Browser, paths: Any) -> str:
    """The first of these pages that the person may open."""
    for path in paths:
        status, _location, _ = browser.request(path)
        if status == 200:
            return path
    raise AssertionError("none of the candidate pages opens")


class FormValues(HTMLParser):
    """The values a browser would send for the page's own POST form (not the header's sign-out
    form), every radio group left empty answered with its first choice."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        self.inside = False
        self.done = False
        self.values: dict[str, str] = {}
        self.radios: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if (
            tag == "form"
            and not self.done
            and found.get("method", "").lower() == "post"
            and found.get("action", "") in ("", self.path)
        ):
            self.inside = True
        if not self.inside or tag != "input" or not found.get("name"):
            return
        name, kind = found["name"], found.get("type", "text")
        if kind == "radio":
            self.radios.setdefault(name, found.get("value", ""))
            if "checked" in found:
                self.values[name] = found.get("value", "")
        elif kind == "checkbox":
            if "checked" in found:
                self.values[name] = found.get("value", "on")
        elif kind not in ("submit", "button", "file"):
            self.values[name] = found.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside, self.done = False, True

    def body(self) -> str:
        return urllib.parse.urlencode({**self.radios, **self.values})


def targets(base: str) -> list[Target]:
    field = signed_in(base, FACILITATOR)
    admin = signed_in(base, ADMIN)
    facilitator = User.objects.get(email=FACILITATOR)
    people = (
        Beneficiary.objects.visible_to(facilitator)
        .named()
        .annotate(n=Count("enrolments"))
        .order_by("-n")
    )
    person = first_open(field, (p.get_absolute_url() for p in people[:20]))
    sessions = (
        Session.objects.filter(cohort__in=Cohort.objects.visible_to(facilitator))
        .annotate(n=Count("cohort__enrolments"))
        .order_by("-n")
    )
    roll_call = first_open(field, (f"/accompagner/seances/{s.pk}/" for s in sessions[:20]))
    places = Place.objects.filter(is_active=True).order_by("pk")
    counter = first_open(field, (f"/equiper/comptoir/{p.pk}/" for p in places))
    form = FormValues(roll_call)
    form.feed(field.request(roll_call)[2])
    return [
        Target("La liste des personnes", "/personnes/", field),
        Target("La fiche d'une personne", person, field),
        Target("L'agenda", "/accompagner/agenda/", field),
        Target("L'appel d'une séance (GET)", roll_call, field),
        Target("L'appel d'une séance (POST)", roll_call, field, body=form.body()),
        Target("Le comptoir", counter, field),
        Target("Les orientations reçues", "/orientations/", field),
        Target("Le tableau de bord national", "/mesurer/tableau-de-bord/", admin),
    ]


def load(base: str, target: Target) -> dict[str, Any]:
    origin = "https://" + urllib.parse.urlsplit(base).netloc
    cookie = "; ".join(f"{k}={v}" for k, v in target.browser.cookies.items())
    environment = {
        **os.environ,
        "LOAD_METHOD": target.method,
        "LOAD_COOKIE": cookie,
        "LOAD_BODY": target.body,
        "LOAD_ORIGIN": origin,
        "LOAD_REFERER": origin + target.path,
    }
    output = subprocess.run(  # noqa: S603
        [
            shutil.which("wrk") or "/usr/bin/wrk",
            f"-c{CONNECTIONS}",
            "-t2",
            f"-d{SECONDS}s",
            "--timeout",
            "5s",
            "-s",
            str(Path(__file__).with_name("load.lua")),
            base + target.path,
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    result["errors"] = sum(result[k] for k in ("connect", "read", "write", "status", "timeout"))
    result["rate"] = result["requests"] / result["seconds"]
    return result


def main() -> None:
    base = sys.argv[1]
    print(
        f"{CONNECTIONS} connections without pause, {SECONDS} s per screen, "
        "2 gunicorn workers (production settings, PostgreSQL):"
    )
    print("| Screen | Requests/s | p50 | p95 | p99 | Errors |")
    print("|---|---|---|---|---|---|")
    failed = False
    only = os.environ.get("LOAD_SCREENS", "")
    for target in targets(base):
        if only and not any(word in target.name for word in only.split(",")):
            continue
        r = load(base, target)
        failed |= r["errors"] > 0
        print(
            f"| {target.name} | {r['rate']:.0f} | {r['p50']:.0f} ms | {r['p95']:.0f} ms "
            f"| {r['p99']:.0f} ms | {r['errors']} (time-outs {r['timeout']}, "
            f"status {r['status']}) |",
            flush=True,
        )
    if failed:
        sys.exit("Some requests failed.")


if __name__ == "__main__":
    main()
