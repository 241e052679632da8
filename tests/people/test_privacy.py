from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from maillage.core.models import AuditEvent
from maillage.diagnostics import services as diagnostics
from maillage.people import services
from maillage.people.enums import ConsentPurpose, ReferralStatus
from maillage.people.models import Beneficiary, Referral
from tests.conftest import World, text


def accepted_referral(world: World) -> Referral:
    referral = world.referral
    for status in (ReferralStatus.RECEIVED, ReferralStatus.CONTACTED):
        services.move_referral(referral, status, by=None)
    services.accept_referral(referral, world.alice, by=None)
    return referral


def test_the_subject_access_export_holds_everything_and_is_journalled(
    client_as, world: World
) -> None:
    services.give_consent(world.alice, ConsentPurpose.FOLLOW_UP, by=world.personas["mediator"])
    accepted_referral(world)
    diagnostic = diagnostics.start(world.alice, world.framework, by=None)
    diagnostics.complete(diagnostic, by=None)
    response = client_as("mediator").get(f"{world.alice.get_absolute_url()}export.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["person"]["first_name"] == "Alice" and data["person"]["phone"] == "+33611111111"
    assert data["consents"][0]["purpose"] == "follow_up"
    assert data["referrals"][0]["reference"] == world.referral.reference
    assert len(data["diagnostics"]["diagnostics"]) == 1
    assert (
        AuditEvent.objects.for_object(world.alice).filter(action=AuditEvent.Action.EXPORT).exists()
    )


def test_the_printable_export_is_a_page_in_plain_french(client_as, world: World) -> None:
    content = text(client_as("relay_referent").get(f"{world.alice.get_absolute_url()}export.html"))
    assert "Les informations que nous avons sur vous" in content and "Alice" in content


@pytest.mark.parametrize("persona", ["relay_referent", "funder", "stranger"])
def test_others_cannot_export_a_person(client_as, world: World, persona: str) -> None:
    url = f"{world.bruno.get_absolute_url()}export.json"
    assert client_as(persona).get(url).status_code == 404


def raw_values(table: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return " ".join(str(v) for v in cursor.fetchone())


def test_erasure_removes_name_phone_and_email_but_keeps_the_counts(client_as, world: World) -> None:
    world.alice.email = "alice@exemple.test"
    world.alice.save()
    services.give_consent(world.alice, ConsentPurpose.SMS, by=None)
    accepted_referral(world)
    diagnostic = diagnostics.start(world.alice, world.framework, by=None)
    diagnostic.urgent_procedure_note = "Dossier CAF d'Alice"
    diagnostic.save()
    diagnostics.complete(diagnostic, by=None)
    today = timezone.localdate()
    before = Beneficiary.objects.statistics(today)
    diagnostics_before = diagnostic.recommendations.count()

    response = client_as("territory_manager").post(
        f"{world.alice.get_absolute_url()}anonymiser/", {"confirm": world.alice.reference}
    )

    assert response.status_code == 302
    person = Beneficiary.objects.get(pk=world.alice.pk)
    row = raw_values("people_beneficiary", person.pk)
    for secret in ("Alice", "Exemple", "611111111", "alice@exemple.test"):
        assert secret not in row
    referral_row = raw_values("people_referral", world.referral.pk)
    for secret in ("Denise", "612345678"):
        assert secret not in referral_row
    assert "Alice" not in raw_values("diagnostics_diagnostic", diagnostic.pk)
    assert person.is_anonymous and person.erased_at is not None
    assert not person.consents.exists()
    assert Beneficiary.objects.statistics(today) == before
    assert diagnostic.recommendations.count() == diagnostics_before
    assert Referral.objects.filter(status=ReferralStatus.ACCEPTED).count() == 1
    assert AuditEvent.objects.for_object(person).filter(action=AuditEvent.Action.ERASE).exists()


def test_erasure_needs_the_reference_typed_again(client_as, world: World) -> None:
    url = f"{world.alice.get_absolute_url()}anonymiser/"
    response = client_as("territory_manager").post(url, {"confirm": "oui"})
    assert response.status_code == 200 and "Recopiez la référence" in text(response)
    assert Beneficiary.objects.get(pk=world.alice.pk).first_name == "Alice"


@pytest.mark.parametrize("persona", ["mediator", "relay_referent", "funder"])
def test_only_managers_erase(client_as, world: World, persona: str) -> None:
    url = f"{world.alice.get_absolute_url()}anonymiser/"
    assert client_as(persona).post(url, {"confirm": world.alice.reference}).status_code == 404
    assert Beneficiary.objects.get(pk=world.alice.pk).first_name == "Alice"


def test_purge_inactive_anonymises_after_the_retention_period(world: World, settings) -> None:
    settings.PEOPLE_RETENTION_MONTHS = 24
    today = timezone.localdate()
    Beneficiary.objects.filter(pk=world.alice.pk).update(
        last_contact_on=today - timedelta(days=740)
    )
    Beneficiary.objects.filter(pk=world.bruno.pk).update(
        last_contact_on=today - timedelta(days=715)
    )
    before = Beneficiary.objects.statistics(today)

    call_command("purge_inactive")

    assert Beneficiary.objects.get(pk=world.alice.pk).is_anonymous
    assert Beneficiary.objects.get(pk=world.bruno.pk).first_name == "Bruno"  # due, not yet
    assert Beneficiary.objects.get(pk=world.chloe.pk).first_name == "Chloé"
    assert Beneficiary.objects.statistics(today) == before


def test_purge_inactive_lists_the_people_due_within_thirty_days(world: World, capsys) -> None:
    today = timezone.localdate()
    Beneficiary.objects.filter(pk=world.bruno.pk).update(
        last_contact_on=today - timedelta(days=715)
    )
    call_command("purge_inactive", "--dry-run")
    out = capsys.readouterr().out
    assert world.bruno.reference in out and world.alice.reference not in out
    assert Beneficiary.objects.get(pk=world.bruno.pk).first_name == "Bruno"


def test_purge_inactive_also_erases_old_closed_referrals(world: World) -> None:
    services.move_referral(world.referral, ReferralStatus.EXPIRED, by=None)
    Referral.objects.filter(pk=world.referral.pk).update(
        status_changed_at=timezone.now() - timedelta(days=800)
    )
    services.purge_inactive()
    assert "Denise" not in raw_values("people_referral", world.referral.pk)


def test_a_contact_restarts_the_retention_clock(world: World) -> None:
    Beneficiary.objects.filter(pk=world.alice.pk).update(last_contact_on=date(2020, 1, 1))
    world.alice.refresh_from_db()
    diagnostics.start(world.alice, world.framework, by=None)
    assert Beneficiary.objects.get(pk=world.alice.pk).last_contact_on == timezone.localdate()


def test_managers_see_the_people_due_for_anonymisation(client_as, world: World) -> None:
    today = timezone.localdate()
    Beneficiary.objects.filter(pk__in=[world.alice.pk, world.bruno.pk]).update(
        last_contact_on=today - timedelta(days=715)
    )
    content = text(client_as("territory_manager").get("/personnes/a-anonymiser/"))
    assert world.alice.reference in content and world.bruno.reference not in content
    content = text(client_as("regional_manager").get("/personnes/a-anonymiser/"))
    assert world.alice.reference in content and world.bruno.reference in content


@pytest.mark.parametrize("persona", ["mediator", "relay_referent", "funder"])
def test_others_do_not_see_the_anonymisation_list(client_as, world: World, persona: str) -> None:
    assert client_as(persona).get("/personnes/a-anonymiser/").status_code == 404


def test_no_audit_event_holds_a_persons_data(client_as, world: World) -> None:
    client = client_as("mediator")
    client.get(world.alice.get_absolute_url())
    client.get(f"{world.alice.get_absolute_url()}export.json")
    client.post(f"{world.alice.get_absolute_url()}accords/", {"purpose": "sms", "action": "give"})
    journal = " ".join(f"{e.changes} {e.note}" for e in AuditEvent.objects.for_object(world.alice))
    assert AuditEvent.objects.for_object(world.alice).count() >= 3
    for secret in ("Alice", "Exemple", "611111111", "1960"):
        assert secret not in journal
