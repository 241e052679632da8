"""Every form the URL walk finds, posted with values a careless or hostile person could type:
empty, 10,000 characters, emoji and a right-to-left override, years 1 and 9999, negative and
10^20 quantities, HTML. No answer may be a server error, and nothing already recorded is lost."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client

from maillage.network.models import Structure
from maillage.people.models import Beneficiary, Referral
from tests.conftest import World
from tests.test_every_url import _urls_for

BAD_VALUES = [
    "",
    "x" * 10_000,
    "😀 Ꭿ \u202egnp.exe",
    "0001-01-01",
    "9999-12-31",
    "-5",
    "100000000000000000000",
    "<script>alert(1)</script><b>gras</b>",
]


class Forms(HTMLParser):
    """The POST forms of a page: their action and the names of their fields."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, list[str]]] = []
        self._current: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form" and (values.get("method") or "").lower() == "post":
            self._current = (values.get("action") or "", [])
            self.forms.append(self._current)
        elif tag in ("input", "select", "textarea") and self._current is not None:
            name = values.get("name")
            kind = (values.get("type") or "").lower()
            if name and name != "csrfmiddlewaretoken" and kind not in ("submit", "file"):
                self._current[1].append(name)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def _records() -> tuple[int, int, int]:
    return Beneficiary.objects.count(), Referral.objects.count(), Structure.objects.count()


@pytest.mark.parametrize("persona", ["admin", "territory_manager", "relay_referent", "anonymous"])
def test_bad_values_in_every_form_never_break_the_site(world: World, persona: str) -> None:
    user = world.personas.get(persona)
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    failures: list[str] = []
    posted = 0
    seen: set[tuple[str, tuple[str, ...]]] = set()
    before = _records()
    for name, url, inside in _urls_for(world, user):
        if not inside:
            continue
        page = client.get(url)
        if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
            continue
        parser = Forms()
        parser.feed(page.content.decode())
        for action, fields in parser.forms:
            target = action or url
            if not fields or (target, tuple(fields)) in seen or "deconnexion" in target:
                continue
            seen.add((target, tuple(fields)))
            for value in BAD_VALUES:
                response = client.post(target, dict.fromkeys(fields, value))
                posted += 1
                if response.status_code >= 500:
                    failures.append(
                        f"{target} ({name}) with {value[:30]!r}: {response.status_code}"
                    )
    assert posted > 20
    assert not failures, "\n".join(failures)
    people, referrals, structures = _records()
    assert people >= before[0] and referrals >= before[1] and structures >= before[2]
