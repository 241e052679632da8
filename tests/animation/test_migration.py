"""The network's own life moved from the network app to the animation app without copying a row:
a database of the previous version, migrated forward, keeps its calls, applications, coaching
plans, trainings, the programmes its calls count for, and the journal of their statuses."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from maillage.animation.models import Application, Call, CoachingPlan, Training
from maillage.core.models import Transition
from maillage.programmes.models import Programme
from tests.migrations import gap, latest, migrate_to

# Where the previous version stood: its latest migrations of the apps concerned.
PREVIOUS = [
    ("network", "0003_training_catalogue"),
    ("programmes", "0003_calls"),
    ("animation", None),
]


@pytest.mark.django_db(transaction=True)
def test_a_database_of_the_previous_version_keeps_every_row_and_its_journal() -> None:
    old = migrate_to(PREVIOUS)
    try:
        commune = gap(old)
        structure = old.get_model("network", "Structure").objects.create(
            name="Centre social de Gap", kind="social_centre", commune=commune
        )
        coach = old.get_model("accounts", "User").objects.create(
            email="coach@exemple.test", full_name="Coach"
        )
        call = old.get_model("network", "Call").objects.create(
            title="Devenez Relais Numérique — Hautes-Alpes",
            slug="relais-hautes-alpes",
            description="Un appel.",
            opens_on=date(2022, 1, 10),
            closes_on=date(2022, 3, 10),
            eligibility="Structure sociale",
            places=3,
        )
        call.departments.add(commune.department)
        programme = old.get_model("programmes", "Programme").objects.create(
            name="Hautes-Alpes connectées", slug="hautes-alpes-connectees", start=date(2022, 1, 1)
        )
        programme.calls.add(call)
        application = old.get_model("network", "Application").objects.create(
            reference="C-MIGRE1",
            token_digest="0" * 64,
            call=call,
            structure=structure,
            structure_name=structure.name,
            contact_name="Dana",
            contact_email="dana@exemple.test",
            status="selected",
        )
        old.get_model("network", "CoachingPlan").objects.create(
            structure=structure,
            coach=coach,
            application=application,
            starts_on=date(2022, 4, 1),
            ends_on=date(2023, 8, 1),
        )
        content_type = old.get_model("contenttypes", "ContentType").objects.get_or_create(
            app_label="network", model="application"
        )[0]
        old.get_model("core", "Transition").objects.create(
            content_type=content_type,
            object_id=str(application.pk),
            field="status",
            from_state="submitted",
            to_state="selected",
            at=timezone.now(),
        )
        old.get_model("network", "Training").objects.create(
            code="accueillir-les-publics", title="Accueillir les publics", description="…"
        )
        trainings = old.get_model("network", "Training").objects.count()
    finally:
        migrate_to(latest())
        ContentType.objects.clear_cache()

    moved = Application.objects.get(reference="C-MIGRE1")
    assert moved.call.slug == "relais-hautes-alpes"
    assert list(moved.call.departments.values_list("code", flat=True)) == ["05"]
    assert list(Call.objects.get(slug="relais-hautes-alpes").programmes.all()) == [
        Programme.objects.get(slug="hautes-alpes-connectees")
    ]
    assert list(Programme.objects.get(slug="hautes-alpes-connectees").calls.all()) == [moved.call]
    assert CoachingPlan.objects.get(application=moved).coach.email == "coach@exemple.test"
    assert Training.objects.count() == trainings
    assert Training.objects.filter(code="accueillir-les-publics").exists()
    assert ContentType.objects.get_for_model(Application).app_label == "animation"
    assert [t.to_state for t in Transition.objects.for_object(moved)] == ["selected"]
    assert Application.workflow.history(moved).count() == 1
