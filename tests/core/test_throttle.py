"""The doors anyone may knock at without an account are limited per address and per target,
in the database: every process and every restart sees the same count."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from maillage.core.models import Sending
from maillage.people.models import Referral, ReferralLink
from tests.conftest import World, text
from tests.people.test_referrals import referral_form

RESET = "/espace/mot-de-passe/oublie/"


def _link(world: World) -> ReferralLink:
    return ReferralLink.objects.create(
        structure=world.ccas_reims,
        label="Département",
        expires_on=timezone.localdate() + timedelta(days=30),
    )


def _refer(link: ReferralLink, world: World, address: str, first_name: str) -> str:
    data = referral_form(world, commune="Reims", first_name=first_name)
    data.pop("to_structure")
    return text(Client().post(link.get_absolute_url(), data, REMOTE_ADDR=address))


def test_one_address_cannot_flood_a_structure_through_its_referral_link(
    world: World, settings: Any
) -> None:
    settings.PUBLIC_FORM_SENDINGS_PER_HOUR = 2
    link = _link(world)
    for name in ["Anne", "Basile"]:
        assert "l'orientation est envoyée" in _refer(link, world, "192.0.2.1", name)

    page = _refer(link, world, "192.0.2.1", "Carole")

    assert "Trop d'envois en une heure" in page
    assert 'value="Carole"' in page
    assert not Referral.objects.filter(first_name="Carole").exists()
    assert "l'orientation est envoyée" in _refer(link, world, "192.0.2.2", "Carole")


def test_many_addresses_cannot_flood_one_structure(world: World, settings: Any) -> None:
    settings.PUBLIC_FORM_SENDINGS_PER_TARGET = 2
    link = _link(world)
    _refer(link, world, "192.0.2.1", "Anne")
    _refer(link, world, "192.0.2.2", "Basile")

    assert "Trop d'envois en une heure" in _refer(link, world, "192.0.2.3", "Carole")
    assert Referral.objects.filter(link=link).count() == 2


def test_the_count_lives_in_the_database_not_in_a_process(world: World, settings: Any) -> None:
    settings.PUBLIC_FORM_SENDINGS_PER_HOUR = 1
    link = _link(world)
    _refer(link, world, "192.0.2.1", "Anne")
    cache.clear()  # another worker, or a restart, has an empty memory

    assert "Trop d'envois en une heure" in _refer(link, world, "192.0.2.1", "Basile")
    assert Sending.objects.filter(door="referral_link", address="192.0.2.1").count() == 1


def test_the_allowance_comes_back_after_an_hour(world: World, settings: Any) -> None:
    settings.PUBLIC_FORM_SENDINGS_PER_HOUR = 1
    link = _link(world)
    _refer(link, world, "192.0.2.1", "Anne")
    Sending.objects.update(at=timezone.now() - timedelta(minutes=61))

    assert "l'orientation est envoyée" in _refer(link, world, "192.0.2.1", "Basile")


def _reset(email: str, address: str) -> str:
    response = Client().post(RESET, {"email": email}, REMOTE_ADDR=address)
    return response["Location"] if response.status_code == 302 else text(response)


def test_password_resets_are_limited_per_account(world: World, settings: Any) -> None:
    for n in range(3):
        assert _reset("mediator@exemple.test", f"10.0.0.{n}").endswith("/envoye/")

    page = _reset("Mediator@exemple.test", "10.0.0.9")

    assert "Trop de demandes de réinitialisation" in page
    assert len(mail.outbox) == 3
    assert _reset("funder@exemple.test", "10.0.0.9").endswith("/envoye/")


def test_password_resets_are_limited_per_address_even_for_unknown_accounts(
    world: World, settings: Any
) -> None:
    settings.PASSWORD_RESETS_PER_ADDRESS = 2
    _reset("personne@exemple.test", "10.0.0.1")
    _reset("inconnu@exemple.test", "10.0.0.1")

    assert "Trop de demandes de réinitialisation" in _reset("mediator@exemple.test", "10.0.0.1")
    assert mail.outbox == []
