"""The production-like run's two halves, against a server started under production settings.

`seed`: a small world in the empty database (a département, a structure with its referral
link, a facilitator with the second factor, a person), printed as JSON for the second half.
`smoke`: as a browser would over HTTPS behind the proxy: sign in with the password and the
code, open the home, the dashboard and the person, send a referral through the public link, and
wait for the tasks worker to send its e-mail.
"""

from __future__ import annotations

import html
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

PASSWORD = "Un mot de passe de production 2026"  # noqa: S105 (a throwaway database)
KEY = b"production-run-key!!".hex()


def seed() -> None:
    import django

    django.setup()
    from datetime import timedelta

    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from maillage.accounts.models import RoleAssignment, User
    from maillage.core.roles import Role
    from maillage.network.models import Structure
    from maillage.people.models import Beneficiary, ReferralLink
    from maillage.territories.models import Commune, Department, Region

    region = Region.objects.create(code="44", name="Grand Est")
    marne = Department.objects.create(code="51", name="Marne", region=region)
    reims = Commune.objects.create(code="51454", name="Reims", department=marne, population=180000)
    ccas = Structure.objects.create(name="CCAS de Reims", kind="ccas_cias", commune=reims)
    facilitator = User.objects.create_user(
        "conseillere@maillage.example.org", PASSWORD, full_name="Claire Conseillère"
    )
    RoleAssignment.objects.create(user=facilitator, role=Role.MEDIATOR).departments.set([marne])
    TOTPDevice.objects.create(user=facilitator, name="Maillage", key=KEY, confirmed=True)
    person = Beneficiary.objects.create(
        structure=ccas, first_name="Paulette", last_name="Essai", birth_year=1950, gender="woman"
    )
    link = ReferralLink.objects.create(
        structure=ccas, label="Smoke", expires_on=timezone.localdate() + timedelta(days=30)
    )
    print(json.dumps({"person": person.get_absolute_url(), "link": link.get_absolute_url()}))


class Browser:
    """Cookies kept by hand: the session cookie is Secure and this client speaks plain HTTP to
    the server behind its (absent) proxy, which says https in X-Forwarded-Proto."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies: dict[str, str] = {}
        self.origin = "https://" + urllib.parse.urlsplit(base).netloc

    def request(self, path: str, data: dict[str, Any] | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        headers = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "192.0.2.10",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        if body is not None:
            headers |= {"Origin": self.origin, "Referer": self.origin + path}
        request = urllib.request.Request(  # noqa: S310 (our own http://127.0.0.1 server)
            self.base + path, data=body, headers=headers
        )
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        text = html.unescape(response.read().decode("utf-8", "replace"))
        return response.status, response.headers.get("Location", ""), text

    def get(self, path: str, expect: int = 200) -> str:
        status, location, text = self.request(path)
        assert status == expect, f"GET {path}: {status} {location}"
        return location if expect == 302 else text

    def post(self, path: str, data: dict[str, Any]) -> tuple[int, str, str]:
        page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, f"no CSRF token on {path}"
        return self.request(path, {**data, "csrfmiddlewaretoken": token.group(1)})


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def smoke(base: str, seeded: dict[str, str], mail_dir: Path) -> None:
    from django_otp.oath import totp

    browser = Browser(base)
    status, _location, _ = browser.post(
        "/espace/connexion/",
        {"username": "conseillere@maillage.example.org", "password": PASSWORD},
    )
    assert status == 302, f"sign-in: {status}"
    step = browser.get("/espace/", expect=302)
    assert step.startswith("/espace/connexion/code/"), step
    status, _location, _ = browser.post(
        "/espace/connexion/code/", {"code": f"{totp(bytes.fromhex(KEY)):06d}"}
    )
    assert status == 302, f"second factor: {status}"
    home = browser.get("/espace/")
    assert "Bonjour Claire" in home
    assert "Tableau de bord" in browser.get("/mesurer/tableau-de-bord/")
    assert "Paulette" in browser.get(seeded["person"])
    print("Connexion avec le code, accueil, tableau de bord et fiche : OK.")

    public = Browser(base)
    status, _location, text = public.post(
        seeded["link"],
        {
            "referrer_name": "Sam Travailleur",
            "referrer_organisation": "Maison départementale",
            "referrer_email": "sam@maillage.example.org",
            "first_name": "Gisèle",
            "last_name": "Essai",
            "birth_year": "1948",
            "gender": "woman",
            "commune": "Reims",
            "phone": "06 22 33 44 55",
            "preferred_language": "fr",
            "needs": ["procedures"],
            "urgency": "normal",
            "eligibility": "rsa",
            "person_agreed": "on",
        },
    )
    errors = re.findall(r'class="field__error"[^>]*>([^<]+)', text)
    assert status == 200 and "l'orientation est envoyée" in text, f"referral: {status} {errors}"
    for _ in range(60):
        sent = [p.read_text() for p in mail_dir.glob("*.log")] if mail_dir.exists() else []
        if any("conseillere@maillage.example.org" in message for message in sent):
            print("Orientation envoyée, e-mail envoyé par le worker : OK.")
            return
        time.sleep(1)
    raise AssertionError("the tasks worker sent no e-mail within 60 s")


if __name__ == "__main__":
    if sys.argv[1] == "seed":
        seed()
    else:
        smoke(sys.argv[2], json.loads(sys.argv[3]), Path(sys.argv[4]))
