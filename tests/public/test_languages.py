"""The public reads the site in French, English, Ukrainian or Arabic (right to left), chosen with
a visible switch and remembered; a booking's messages go out in the language of the booking."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from maillage.bookings.models import Booking
from maillage.learning.models import DropInSlot
from maillage.notifications.sms import LocmemBackend
from maillage.people.models import Referral
from tests.conftest import World, text


def _in(language: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def slot(world: World) -> DropInSlot:
    place = world.ccas_reims
    place.is_public, place.address = True, "9 rue Eugène Desteuque"
    place.save()
    return DropInSlot.objects.create(
        facilitator=world.personas["mediator"],
        structure=place,
        starts_at=timezone.now() + timedelta(days=2),
    )


def test_the_switch_offers_each_language_in_its_own_words_and_remembers_it(
    client: Any, world: World
) -> None:
    home = text(client.get("/"))
    assert 'href="#language"' in home and '<span lang="uk">Мова</span>' in home
    for code, name in (
        ("uk", "Українська"),
        ("ar", "العربيّة"),
        ("en", "English"),
    ):
        assert f'lang="{code}">{name}</option>' in home
    response = client.post("/langue/", {"language": "uk", "next": "/lieux/"})
    assert response["Location"] == "/lieux/"
    assert "Знайти заклад поруч зі мною" in text(client.get("/lieux/"))


def test_arabic_pages_read_right_to_left(world: World) -> None:
    page = text(_in("ar").get("/"))
    assert re.search(r'<html lang="ar"\s+dir="rtl">', page)
    assert "البحث عن مكان قريب مني" in page
    assert re.search(r'<html lang="fr"\s+dir="ltr">', text(Client().get("/")))


def test_a_booking_made_in_ukrainian_is_confirmed_in_ukrainian(
    slot: DropInSlot, django_capture_on_commit_callbacks: Any
) -> None:
    LocmemBackend.outbox.clear()
    client = _in("uk")
    assert "Забронювати місце" in text(client.get(f"/reserver/permanence/{slot.pk}/"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/reserver/permanence/{slot.pk}/",
            {"first_name": "Olena", "phone": "06 12 34 56 78", "sms_consent": "on"},
        )
    booking = Booking.objects.get()
    assert booking.language == "uk"
    [sms] = LocmemBackend.outbox
    assert sms.body.startswith("Запис підтверджено: Консультація: індивідуальна допомога")
    # The reminder and the cancellation too, whatever the language of who sends them.
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(booking.get_public_url())
    assert "скасовано" in LocmemBackend.outbox[-1].body


def test_a_call_back_asked_in_arabic_keeps_the_persons_language(
    slot: DropInSlot, django_capture_on_commit_callbacks: Any
) -> None:
    client = _in("ar")
    url = f"/lieux/{slot.structure_id}/etre-rappele/"
    assert "أريد أن يتصلوا بي" in text(client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {
                "first_name": "Ahmad",
                "phone": "06 12 34 56 79",
                "needs": ["procedures"],
                "best_moment": "any",
                "person_agreed": "on",
            },
        )
    assert Referral.objects.get(from_public=True).preferred_language == "ar"


# Pages open without an account that are for the staff: signing in, the technical
# administration, the API and the calendar feed of a facilitator's agenda.
STAFF_DOORS = ("accounts:", "admin:", "api", "learning:calendar_feed")


@pytest.mark.parametrize("language", ["uk", "ar"])
def test_every_page_open_without_an_account_is_translated_for_the_public(
    world: World, language: str, monkeypatch: Any
) -> None:
    """Opens (and sends empty) every page that answers without an account, and records each
    French string it asked for: every one must be translated. Django's own strings come from
    Django's catalogues; the staff's sign-in pages stay in French and English."""
    from django.utils import translation

    from tests.core.test_translations import translated_in
    from tests.test_every_url import _urls_for

    ours = translated_in("en")
    translated = translated_in(language)
    asked: dict[str, str] = {}
    current = ""
    trans = translation._trans  # type: ignore[attr-defined]
    for name in ("gettext", "ngettext", "pgettext", "npgettext"):
        real = getattr(trans, name)

        def recording(*args: Any, _real: Any = real, _name: str = name) -> Any:
            message = args[1] if _name in ("pgettext", "npgettext") else args[0]
            if current:
                asked.setdefault(message, current)
            return _real(*args)

        monkeypatch.setattr(trans, name, recording)
    opened = 0
    for name, url, inside in _urls_for(world, None):
        if not inside or name.startswith(STAFF_DOORS):
            continue
        for method in ("get", "post"):
            current = f"{method.upper()} {url}"
            response = getattr(_in(language), method)(url)
            opened += response.status_code == 200
            current = ""
    untranslated = sorted(
        f"{page}: {message!r}"
        for message, page in asked.items()
        if message in ours and message not in translated
    )
    assert opened > 20
    assert not untranslated, f"{len(untranslated)} strings:\n" + "\n".join(untranslated)
