"""Erasure reaches everything: a person who went through every workflow (referred, diagnosed,
oriented, enrolled then dropped, seen at a drop-in, texted, lent a device that came back, sold a
SIM card) is erased, then every text column of every table is searched for their name, phone
and e-mail, and nothing is found. The journals still say who did what and when."""

from __future__ import annotations

from datetime import time, timedelta

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils import timezone

from maillage.core.models import AuditEvent, Transition
from maillage.diagnostics import services as diagnostics
from maillage.learning import services as learning
from maillage.learning.models import Cohort, Course, DropIn
from maillage.people import services
from maillage.people.enums import ConsentPurpose, ReferralStatus
from maillage.people.models import Beneficiary, Referral
from maillage.stock import services as stock_services
from maillage.stock.enums import DeviceKind, Payment
from maillage.stock.services import ProductLine
from tests.conftest import World
from tests.stock.conftest import Stock, eligible

# ASCII on purpose: JSON columns store accented letters escaped.
SECRETS = ("Zephyrine", "Quillebeuf", "98765432", "98 76 54 32", "zephyrine.q@")
SAID = "Zephyrine Quillebeuf, rappelée au 06 98 76 54 32 (zephyrine.q@exemple.test)"

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def _everything_about_her(world: World, stock: Stock) -> Beneficiary:
    mediator = world.personas["mediator"]
    person = services.create_beneficiary(
        Beneficiary(
            structure=world.ccas_reims,
            first_name="Zephyrine",
            last_name="Quillebeuf",
            phone="+33698765432",
            email="zephyrine.q@exemple.test",
            birth_year=1948,
            gender="woman",
        ),
        by=mediator,
        consents=[ConsentPurpose.FOLLOW_UP, ConsentPurpose.SMS],
    )
    referral = services.send_referral(
        Referral(
            to_structure=world.ccas_reims,
            referrer_name="Sam",
            referrer_email="sam@exemple.test",
            first_name="Zephyrine",
            last_name="Quillebeuf",
            phone="+33698765432",
            email="zephyrine.q@exemple.test",
            message=SAID,
            person_agreed=True,
        ),
        by=None,
    )
    services.move_referral(referral, ReferralStatus.RECEIVED, by=mediator, note=SAID)
    services.move_referral(referral, ReferralStatus.CONTACTED, by=mediator, note=SAID)
    services.accept_referral(referral, person, by=mediator)
    services.send_sms_to(person, f"Bonjour Zephyrine, rappel : 06 98 76 54 32. {SAID}")

    diagnostic = diagnostics.start(person, world.framework, by=mediator)
    diagnostic.urgent_procedure_note = SAID
    diagnostic.save()
    diagnostics.complete(diagnostic, by=mediator)
    recommendation = diagnostic.recommendations.order_by("pk").first()
    assert recommendation is not None
    orientation = diagnostics.accept(recommendation, by=mediator, note=SAID)
    diagnostics.record_outcome(orientation, "done", by=mediator, note=SAID)

    cohort = learning.plan_cohort(
        Cohort(course=Course.objects.get(code="initiation-computer"), structure=world.ccas_reims),
        first=timezone.localdate() + timedelta(days=7),
        at=time(14, 0),
        facilitators=[mediator],
        by=mediator,
    )
    enrolment = learning.enrol(cohort, person, by=mediator)
    learning.drop(enrolment, by=mediator, reason=SAID)
    learning.record_drop_in(
        DropIn(structure=world.ccas_reims, beneficiary=person, minutes=30, notes=SAID),
        by=mediator,
    )

    eligible(person, mediator)
    laptop = stock.ready(stock.reims, mediator, kind=DeviceKind.LAPTOP)
    stock_services.lend(
        laptop, person, until=timezone.localdate() + timedelta(days=30), by=mediator
    )
    stock_services.take_back(laptop, note=SAID, by=mediator)
    stock.supply(stock.reims, stock.sim, 5)
    stock_services.sell(
        place=stock.reims,
        person=person,
        products=[ProductLine(stock.sim, 1, iccid="8933150319000012345")],
        payment=Payment.CASH,
        by=mediator,
    )
    return person


def _where_it_is_still_written() -> list[str]:
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        columns = [f for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        for secret in SECRETS:
            for column in columns:
                rows = model._base_manager.filter(Q(**{f"{column.name}__icontains": secret}))
                if rows.exists():
                    found.append(f"{model._meta.db_table}.{column.column} holds {secret!r}")
    return found


def test_after_erasure_no_column_of_any_table_holds_her_name_phone_or_email(
    world: World, stock: Stock
) -> None:
    person = _everything_about_her(world, stock)
    assert _where_it_is_still_written(), "the search must find her before the erasure"
    steps_before = Transition.objects.count()

    services.erase(person, by=world.personas["territory_manager"], note="demande de la personne")

    assert _where_it_is_still_written() == []
    assert Transition.objects.count() == steps_before
    assert AuditEvent.objects.for_object(person).filter(action="erase").exists()


def test_the_subject_access_export_includes_what_was_written_on_every_step(
    world: World, stock: Stock
) -> None:
    person = _everything_about_her(world, stock)

    data = services.export_person(person, by=world.personas["mediator"])

    referral_notes = data["referrals"][0]["status_notes"]
    assert [n["status"] for n in referral_notes] == ["received", "contacted"]
    assert referral_notes[0]["note"] == SAID
    assert data["diagnostics"]["orientations"][0]["status_notes"][0]["note"] == SAID
    assert data["learning"]["enrolments"][0]["status_notes"][0]["note"] == SAID
    assert {"step": "returned", "note": SAID}.items() <= data["stock"]["devices"][-1].items()
