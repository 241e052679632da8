"""A database of the previous version, migrated forward: the notes written on status changes
and on devices' steps leave the append-only journals for tables erasure can reach, every audit
event already written is sealed into the chain, and the journals still refuse UPDATE and now
DELETE."""

from __future__ import annotations

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from maillage.core.models import AuditEvent, AuditSeal, Transition
from maillage.stock.models import DeviceEvent
from tests.migrations import hautes_alpes, latest, migrate_to

PREVIOUS: list[tuple[str, str | None]] = [
    ("core", "0004_sending"),
    ("stock", "0002_append_only_triggers"),
]


@pytest.mark.django_db(transaction=True)
def test_a_database_of_the_previous_version_keeps_its_notes_and_is_sealed() -> None:
    old = migrate_to(PREVIOUS)
    try:
        user = old.get_model("accounts", "User").objects.create(email="a@exemple.test")
        content_type = old.get_model("contenttypes", "ContentType").objects.get_or_create(
            app_label="people", model="referral"
        )[0]
        steps = old.get_model("core", "Transition")
        noted = steps.objects.create(
            content_type=content_type,
            object_id="1",
            field="status",
            from_state="sent",
            to_state="received",
            at=timezone.now(),
            note="Rappelée au 06 01 02 03 04",
        )
        silent = steps.objects.create(
            content_type=content_type, object_id="1", field="status", to_state="sent"
        )
        events = old.get_model("core", "AuditEvent")
        for action in ("create", "view", "export"):
            events.objects.create(
                actor=user, action=action, content_type=content_type, object_id="1"
            )
        department = hautes_alpes(old)
        place = old.get_model("stock", "Place").objects.create(
            name="Entrepôt de Gap", kind="warehouse", department=department
        )
        device = old.get_model("stock", "Device").objects.create(
            reference="E-MIGRE1",
            kind="laptop",
            brand="Lenovo",
            model="T480",
            serial="SN1",
            place=place,
        )
        device_event = old.get_model("stock", "DeviceEvent").objects.create(
            device=device, to_state="received", place=place, note="Rendu par Mme Exemple"
        )
    finally:
        migrate_to(latest())
        ContentType.objects.clear_cache()

    assert Transition.objects.get(pk=noted.pk).comment == "Rappelée au 06 01 02 03 04"
    assert Transition.objects.get(pk=silent.pk).comment == ""
    assert DeviceEvent.objects.get(pk=device_event.pk).comment == "Rendu par Mme Exemple"
    assert AuditSeal.objects.count() == AuditEvent.objects.count()
    out = io.StringIO()
    call_command("verify_journal", stdout=out)
    assert f"Journal intact : {AuditEvent.objects.count()} événement(s)" in out.getvalue()
    for statement in (
        "UPDATE core_transition SET to_state = 'x'",
        "DELETE FROM core_auditevent",
        "DELETE FROM stock_deviceevent",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
