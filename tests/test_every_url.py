"""Every URL pattern of the project, requested as every persona (and anonymously), with GET and
POST: no answer may be a server error, and an object outside the persona's scope answers 404.

A new URL with parameters needs a line in KWARGS below, or this test fails and says so: that
is how later work joins the walk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from maillage.accounts.models import RoleAssignment
from maillage.diagnostics import services as diagnostics
from maillage.diagnostics.models import Diagnostic, Orientation, Recommendation
from maillage.network.models import Structure
from maillage.people.models import Beneficiary, PeopleImport, Referral, ReferralLink
from maillage.programmes.models import Programme
from tests.animation.conftest import journey
from tests.conftest import PERSONAS, World

SKIPPED_NAMESPACES = {"admin"}  # Django's own admin, tested by Django


def _patterns(
    resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if ns in SKIPPED_NAMESPACES:
                continue
            yield from _patterns(entry, prefix + str(entry.pattern), ns)
        else:
            name = f"{namespace}:{entry.name}" if namespace else str(entry.name)
            yield name, entry


def _structure(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    visible = Structure.objects.visible_to(user)
    pool = visible if inside else Structure.objects.exclude(pk__in=visible.values("pk"))
    found = pool.order_by("pk").first()
    return {"pk": found.pk} if found else None


def _programme(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    visible = Programme.objects.visible_to(user)
    pool = visible if inside else Programme.objects.exclude(pk__in=visible.values("pk"))
    found = pool.order_by("pk").first()
    return {"slug": found.slug} if found else None


def _pick(queryset: Any, visible: Any, inside: bool) -> Any:
    pool = visible if inside else queryset.exclude(pk__in=visible.values("pk"))
    return pool.order_by("pk").first()


def _person(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    found = _pick(Beneficiary.objects, Beneficiary.objects.visible_to(user), inside)
    return {"reference": found.reference} if found else None


def _person_export(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    kwargs = _person(world, user, inside)
    return {**kwargs, "fmt": "json"} if kwargs else None


def _import_template(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    return {"fmt": "xlsx"} if inside else None


def _people_import(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    for structure in Structure.objects.all():
        PeopleImport.objects.get_or_create(
            structure=structure,
            file_name="personnes.csv",
            defaults={"status": PeopleImport.Status.REFUSED, "errors": [[2, "commune inconnue"]]},
        )
    found = _pick(PeopleImport.objects, PeopleImport.objects.visible_to(user), inside)
    return {"pk": found.pk} if found else None


def _referral(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    found = _pick(Referral.objects, Referral.objects.visible_to(user), inside)
    return {"reference": found.reference} if found else None


def _referral_link(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    for structure in Structure.objects.all():
        ReferralLink.objects.get_or_create(
            structure=structure, label="Test", defaults={"expires_on": date(2099, 1, 1)}
        )
    editable = Structure.objects.editable_by(user)
    links = ReferralLink.objects.filter(structure__in=editable)
    found = _pick(ReferralLink.objects, links, inside)
    return {"pk": found.pk} if found else None


def _referral_token(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    link, _ = ReferralLink.objects.get_or_create(
        structure=world.ccas_reims, label="Public", defaults={"expires_on": date(2099, 1, 1)}
    )
    return {"token": link.token} if inside else None


def _completed_diagnostics(world: World) -> None:
    """A completed diagnostic, with an accepted recommendation, for every person."""
    for person in Beneficiary.objects.filter(diagnostics__isnull=True):
        diagnostic = diagnostics.start(person, world.framework, by=None)
        diagnostic.answers = {}
        diagnostics.complete(diagnostic, by=None)
        first = diagnostic.recommendations.order_by("pk").first()
        if first is not None:
            diagnostics.accept(first, by=None, note="")


def _diagnostic(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    _completed_diagnostics(world)
    found = _pick(Diagnostic.objects, Diagnostic.objects.visible_to(user), inside)
    return {"pk": found.pk} if found else None


def _diagnostic_step(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    kwargs = _diagnostic(world, user, inside)
    return {**kwargs, "step": 0} if kwargs else None


def _recommendation(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    _completed_diagnostics(world)
    visible = Recommendation.objects.filter(diagnostic__in=Diagnostic.objects.visible_to(user))
    found = _pick(Recommendation.objects, visible, inside)
    return {"pk": found.pk} if found else None


def _orientation(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    _completed_diagnostics(world)
    found = _pick(Orientation.objects, Orientation.objects.visible_to(user), inside)
    return {"pk": found.pk} if found else None


def _course(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    return {"code": "initiation-computer"} if inside else None


def _cohorts(world: World) -> None:
    """A cohort with one learner at each structure of the world."""
    from datetime import date, time

    from maillage.learning import services as learning
    from maillage.learning.models import Cohort, Course

    if Cohort.objects.exists():
        return
    course = Course.objects.get(code="initiation-computer")
    for day, person in enumerate((world.alice, world.bruno, world.chloe), start=2):
        cohort = learning.plan_cohort(
            Cohort(course=course, structure=person.structure),
            first=date(2026, 3, day),  # a day each: one facilitator, three places
            at=time(14, 0),
            facilitators=[world.personas["mediator"]],
            by=None,
        )
        learning.enrol(cohort, person, by=None)


def _cohort(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    from maillage.learning.models import Cohort

    _cohorts(world)
    found = _pick(Cohort.objects, Cohort.objects.visible_to(user), inside)
    return {"pk": found.pk} if found else None


def _session(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    from maillage.learning.models import Cohort, Session

    _cohorts(world)
    visible = Session.objects.filter(cohort__in=Cohort.objects.visible_to(user))
    found = _pick(Session.objects, visible, inside)
    return {"pk": found.pk} if found else None


def _enrolment(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    from maillage.learning.models import Cohort, Enrolment

    _cohorts(world)
    visible = Enrolment.objects.filter(cohort__in=Cohort.objects.visible_to(user))
    found = _pick(Enrolment.objects, visible, inside)
    return {"pk": found.pk} if found else None


def _course_orientation(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    from maillage.diagnostics.models import Orientation

    _completed_diagnostics(world)
    courses = Orientation.objects.filter(kind="course")
    found = _pick(courses, courses.visible_to(user), inside)
    return {"pk": found.pk} if found else None


def _activities(world: World) -> None:
    """A workshop and a drop-in at each structure of the world."""
    from django.utils import timezone

    from maillage.learning import services as learning
    from maillage.learning.models import DropIn, Workshop

    if Workshop.objects.exists():
        return
    for person in (world.alice, world.bruno, world.chloe):
        workshop = learning.create_workshop(
            Workshop(
                title="Se protéger des arnaques", themes=["safety"], structure=person.structure
            ),
            starts_at=timezone.now(),
            facilitators=[],
            by=None,
        )
        learning.add_participant(workshop, person, by=None)
        learning.record_drop_in(
            DropIn(
                structure=person.structure,
                beneficiary=person,
                themes=["procedures"],
                autonomy="guided",
            ),
            by=world.personas["admin"],
        )


def _workshop(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    from maillage.learning.models import Workshop

    _activities(world)
    found = _pick(Workshop.objects, Workshop.objects.visible_to(user), inside)
    return {"pk": found.pk} if found else None


def _drop_in(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    from maillage.learning.models import DropIn

    _activities(world)
    found = _pick(DropIn.objects, DropIn.objects.visible_to(user), inside)
    return {"pk": found.pk} if found else None


def _calendar_feed(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    from maillage.learning.models import CalendarFeed

    feed, _ = CalendarFeed.objects.get_or_create(
        user=world.personas["mediator"], revoked_at=None, defaults={"token": "jeton-de-test"}
    )
    return {"token": feed.token} if inside else None


def _sms_reply(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    return {"token": "pas-le-bon-jeton"} if inside else None


def _report(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    kwargs = _programme(world, user, inside)
    return {**kwargs, "fmt": "json"} if kwargs else None


def _target(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    from maillage.programmes.models import Target

    kwargs = _programme(world, user, inside)
    if kwargs is None:
        return None
    programme = Programme.objects.get(slug=kwargs["slug"])
    target, _ = Target.objects.get_or_create(
        programme=programme,
        indicator="parcours_realised",
        defaults={"value": 10, "deadline": date(2030, 1, 1)},
    )
    return {"slug": programme.slug, "pk": target.pk}


def _staffing(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    from maillage.programmes.models import Staffing

    kwargs = _programme(world, user, inside)
    if kwargs is None:
        return None
    programme = Programme.objects.get(slug=kwargs["slug"])
    staffing, _ = Staffing.objects.get_or_create(
        programme=programme,
        person=world.personas["mediator"],
        defaults={"title": "facilitator", "start": date(2022, 1, 1)},
    )
    return {"slug": programme.slug, "pk": staffing.pk}


def _reset_link(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    return {"uidb64": "MQ", "token": "bad-token"} if inside else None


def _stock(world: World) -> None:
    """A warehouse in the Marne and a counter at each structure, with a device taken through
    the workshop, a SIM card, a sale, a donation, a transfer, a count and a lending fleet."""
    from django.utils import timezone

    from maillage.people.enums import Eligibility
    from maillage.stock import ledger, services
    from maillage.stock.enums import DonorKind, MovementKind, PlaceKind, ProductKind
    from maillage.stock.models import (
        Donation,
        DonationLine,
        Donor,
        Fleet,
        FreeDistribution,
        Place,
        Price,
        PriceList,
        Product,
        Transfer,
    )

    if Place.objects.exists():
        return
    from tests.stock.conftest import ready_device

    warehouse = Place.objects.create(
        name="Entrepôt", kind=PlaceKind.WAREHOUSE, department=world.marne
    )
    sim = Product.objects.create(name="Carte SIM", kind=ProductKind.SIM)
    prices = PriceList.objects.create(name="Grille", valid_from=date(2020, 1, 1))
    Price.objects.create(price_list=prices, device_kind="laptop", grade="B", amount=150)
    Price.objects.create(price_list=prices, product=sim, amount=5)
    donation = services.receive_donation(
        Donation(donor=Donor.objects.create(name="SFR", kind=DonorKind.COMPANY), place=warehouse),
        [DonationLine(product=sim, quantity=10)],
        by=None,
    )
    operation = FreeDistribution.objects.create(name="Connect", product=sim, start=date(2020, 1, 1))
    for person in (world.alice, world.bruno, world.chloe):
        counter = Place.objects.create(
            name=f"Comptoir {person.structure}", kind=PlaceKind.RELAY, structure=person.structure
        )
        operation.places.add(counter)
        device = ready_device(warehouse)
        transfer = services.send(
            Transfer(from_place=warehouse, to_place=counter),
            devices=[device],
            products={sim: 2},
            by=None,
        )
        services.confirm_receipt(transfer, by=None)
        services.record_criterion(person, Eligibility.RSA, by=None)
        services.sell(place=counter, person=person, devices=[device], payment="cash", by=None)
        services.record_count(counter, {sim: 2}, by=None)
        ledger.move(counter, sim, 1, MovementKind.RECEIPT, by=None)
    fleet = Fleet.objects.create(name="Flotte", place=warehouse)
    fleet_device = ready_device(warehouse, fleet=fleet)
    services.check_out(
        fleet,
        [fleet_device],
        facilitator=world.personas["mediator"],
        due_on=timezone.localdate(),
        by=None,
    )
    assert donation.pk


def _stock_pick(
    model_name: str, key: str = "pk"
) -> Callable[[World, Any, bool], dict[str, Any] | None]:
    def provider(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
        from maillage.stock import models

        _stock(world)
        model = getattr(models, model_name)
        visible = model.objects.visible_to(user) if hasattr(model.objects, "visible_to") else None
        if visible is None:  # reached through their place
            visible = model.objects.filter(place__in=models.Place.objects.visible_to(user))
        found = _pick(model.objects, visible, inside)
        return {key: getattr(found, key)} if found else None

    return provider


def _fleet(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    return _stock_pick("Fleet")(world, user, inside)


def _device_step(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    kwargs = _stock_pick("Device", "reference")(world, user, inside)
    return {**kwargs, "step": "test"} if kwargs else None


def _counter_person(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    from maillage.stock.models import Place

    _stock(world)
    counters = Place.objects.filter(kind="relay")
    place = _pick(counters, counters.visible_to(user), inside)
    person = _pick(Beneficiary.objects, Beneficiary.objects.visible_to(user), inside)
    if place is None or person is None:
        return None
    return {"pk": place.pk, "reference": person.reference}


def _offer(model_name: str) -> Callable[[World, Any, bool], dict[str, Any] | None]:
    def provider(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
        from maillage.stock import models

        _stock(world)
        found = getattr(models, model_name).objects.order_by("pk").first()
        return {"pk": found.pk} if inside and found else None

    return provider


def _network_pick(
    model_name: str, key: str = "pk", visible: str = "visible_to"
) -> Callable[[World, Any, bool], dict[str, Any] | None]:
    def provider(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
        from maillage.animation import models

        journey(world)
        model = getattr(models, model_name)
        found = _pick(model.objects, getattr(model.objects, visible)(user), inside)
        return {key: getattr(found, key)} if found else None

    return provider


def _action(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    from maillage.animation.models import ActionItem

    kwargs = _network_pick("CoachingPlan")(world, user, inside)
    if kwargs is None:
        return None
    action = ActionItem.objects.filter(plan_id=kwargs["pk"]).first()
    return {**kwargs, "action_pk": action.pk} if action else None


def _question(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    from maillage.animation.models import CallQuestion

    kwargs = _network_pick("Call", visible="managed_by")(world, user, inside)
    if kwargs is None:
        return None
    question = CallQuestion.objects.filter(call_id=kwargs["pk"]).first()
    return {**kwargs, "question_pk": question.pk} if question else None


def _closing(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    from maillage.animation.models import ClosingCommittee, CoachingPlan

    journey(world)
    visible = ClosingCommittee.objects.filter(plans__in=CoachingPlan.objects.visible_to(user))
    found = _pick(ClosingCommittee.objects, visible, inside)
    return {"pk": found.pk} if found else None


def _public_call(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    journey(world)
    return {"slug": "relais-marne"} if inside else None


def _draft(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    journey(world)
    return {"slug": "relais-marne", "token": "pas-le-bon-jeton"} if inside else None


def _public_meeting(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    from maillage.animation.models import InfoMeeting

    journey(world)
    found = InfoMeeting.objects.order_by("pk").first()
    return {"pk": found.pk} if inside and found else None


def _public_place(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    """A published place, the same for everyone (an unpublished one answers 404 to everyone:
    tests/public/test_places.py)."""
    place = world.ccas_reims
    if not place.is_public:
        place.is_public, place.address = True, "9 rue Eugène Desteuque"
        place.save()
    return {"pk": place.pk} if inside else None


# URL name → function(world, user, inside) giving kwargs of an object inside (or outside) the
# persona's scope, or None where there is none.
def _team_account(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    from maillage.accounts import perms
    from maillage.accounts.models import User

    others = User.objects.exclude(pk=getattr(user, "pk", 0))
    reached = (
        perms.accounts_reached(user).exclude(pk=user.pk)
        if user is not None and perms.can_manage_team(user)
        else User.objects.none()
    )
    found = _pick(others, reached, inside)
    return {"pk": found.pk} if found else None


def _team_role(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    kwargs = _team_account(world, user, inside)
    if kwargs is None:
        return None
    role = RoleAssignment.objects.filter(user_id=kwargs["pk"]).order_by("pk").first()
    return {**kwargs, "role_pk": role.pk} if role else None


def _bookable(world: World) -> tuple[Any, Any]:
    """A public workshop and a bookable drop-in slot to come, at a published place, each
    with one booking."""
    from datetime import timedelta

    from django.utils import timezone

    from maillage.bookings.models import Booking
    from maillage.learning.models import DropInSlot, Workshop

    place = world.ccas_reims
    _public_place(world, None, True)
    workshop = Workshop.objects.filter(title="Atelier réservable").first()
    if workshop is None:
        soon = timezone.now() + timedelta(days=3)
        workshop = Workshop.objects.create(
            title="Atelier réservable", structure=place, starts_at=soon, is_public=True, capacity=5
        )
        slot = DropInSlot.objects.create(
            facilitator=world.personas["mediator"], structure=place, starts_at=soon
        )
        for target in ({"workshop": workshop}, {"slot": slot}):
            Booking.objects.create(
                structure=place, starts_at=soon, first_name="Anne", phone="+33612345678", **target
            )
    return workshop, DropInSlot.objects.get(structure=place, bookings__isnull=False)


def _bookable_workshop(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    return {"pk": _bookable(world)[0].pk} if inside else None


def _bookable_slot(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    return {"pk": _bookable(world)[1].pk} if inside else None


def _booking_link(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    from maillage.bookings.models import Booking

    _bookable(world)
    return {"token": Booking.objects.order_by("pk")[0].token()} if inside else None


def _staff_slot(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    from maillage.bookings.perms import places_handled_by
    from maillage.learning.models import DropInSlot

    _bookable(world)
    visible = DropInSlot.objects.filter(structure__in=places_handled_by(user))
    found = _pick(DropInSlot.objects, visible, inside)
    return {"pk": found.pk} if found else None


def _booking(world: World, user: Any, inside: bool) -> dict[str, Any] | None:
    from maillage.bookings.models import Booking

    _bookable(world)
    found = _pick(Booking.objects, Booking.objects.handled_by(user), inside)
    return {"pk": found.pk} if found else None


KWARGS: dict[str, Callable[[World, Any, bool], dict[str, Any] | None]] = {
    "accounts:team_member": _team_account,
    "accounts:team_access": _team_account,
    "accounts:team_role_remove": _team_role,
    "network:structure_detail": _structure,
    "network:structure_edit": _structure,
    "network:structure_transition": _structure,
    "programmes:programme_detail": _programme,
    "programmes:programme_edit": _programme,
    "accounts:password_reset_confirm": _reset_link,
    "people:beneficiary_detail": _person,
    "people:beneficiary_edit": _person,
    "people:beneficiary_consent": _person,
    "people:beneficiary_export": _person_export,
    "people:beneficiary_erase": _person,
    "people:import_template": _import_template,
    "people:import_detail": _people_import,
    "people:referral_detail": _referral,
    "people:referral_step": _referral,
    "people:referral_accept": _referral,
    "people:referral_link_revoke": _referral_link,
    "people:referral_public": _referral_token,
    "diagnostics:diagnostic_start": _person,
    "diagnostics:diagnostic_detail": _diagnostic,
    "diagnostics:diagnostic_step": _diagnostic_step,
    "diagnostics:diagnostic_summary": _diagnostic,
    "diagnostics:recommendation_accept": _recommendation,
    "diagnostics:recommendation_dismiss": _recommendation,
    "diagnostics:orientation_outcome": _orientation,
    "learning:course_detail": _course,
    "learning:course_edit": _course,
    "learning:cohort_detail": _cohort,
    "learning:cohort_transition": _cohort,
    "learning:cohort_enrol": _cohort,
    "learning:enrolment_drop": _enrolment,
    "learning:enrol_from_orientation": _course_orientation,
    "learning:session_roll_call": _session,
    "learning:session_move": _session,
    "learning:session_report": _session,
    "learning:workshop_detail": _workshop,
    "learning:workshop_participant": _workshop,
    "learning:drop_in_detail": _drop_in,
    "learning:calendar_feed": _calendar_feed,
    "people:sms_reply": _sms_reply,
    "impact:target_add": _programme,
    "impact:report_download": _report,
    "impact:target_delete": _target,
    "impact:indicator_records": lambda world, user, inside: {
        "code": "parcours_realised" if inside else "no_such_indicator"
    },
    "programmes:staffing_add": _programme,
    "programmes:staffing_delete": _staffing,
    "stock:place_detail": _stock_pick("Place"),
    "stock:place_ledger": _stock_pick("Place"),
    "stock:place_count": _stock_pick("Place"),
    "stock:transfer_create": _stock_pick("Place"),
    "stock:count_detail": _stock_pick("StockCount"),
    "stock:device_detail": _stock_pick("Device", "reference"),
    "stock:device_step": _device_step,
    "stock:device_certificate": _stock_pick("Device", "reference"),
    "stock:donation_detail": _stock_pick("Donation", "reference"),
    "stock:donation_receipt": _stock_pick("Donation", "reference"),
    "stock:transfer_detail": _stock_pick("Transfer", "reference"),
    "stock:transfer_confirm": _stock_pick("Transfer", "reference"),
    "stock:transfer_note": _stock_pick("Transfer", "reference"),
    "stock:counter": _stock_pick("Place"),
    "stock:counter_person": _counter_person,
    "stock:counter_criterion": _counter_person,
    "stock:sale_detail": _stock_pick("Sale", "reference"),
    "stock:sale_cancel": _stock_pick("Sale", "reference"),
    "stock:sale_receipt": _stock_pick("Sale", "reference"),
    "stock:price_list_edit": _offer("PriceList"),
    "stock:distribution_edit": _offer("FreeDistribution"),
    "stock:product_edit": _offer("Product"),
    "stock:fleet_detail": _fleet,
    "stock:fleet_loan_detail": _stock_pick("FleetLoan"),
    "animation:plan_start": _structure,
    "animation:call_detail": _network_pick("Call"),
    "animation:call_edit": _network_pick("Call", visible="managed_by"),
    "animation:call_questions": _network_pick("Call", visible="managed_by"),
    "animation:call_question_delete": _question,
    "animation:committee": _network_pick("Call", visible="managed_by"),
    "animation:application_detail": _network_pick("Application", "reference"),
    "animation:application_shortlist": _network_pick("Application", "reference"),
    "animation:application_turn_down": _network_pick("Application", "reference"),
    "animation:plan_detail": _network_pick("CoachingPlan"),
    "animation:plan_diagnosis": _network_pick("CoachingPlan", visible="editable_by"),
    "animation:action_add": _network_pick("CoachingPlan", visible="editable_by"),
    "animation:action_edit": _action,
    "animation:followup_add": _network_pick("CoachingPlan", visible="editable_by"),
    "animation:closing_detail": _closing,
    "animation:training_detail": lambda world, user, inside: (
        {"code": "decouvrir-inclusion-numerique"} if inside else None
    ),
    "animation:training_session_detail": _network_pick("TrainingSession"),
    "animation:session_register": _network_pick("TrainingSession"),
    "animation:session_attendance": _network_pick("TrainingSession", visible="managed_by"),
    "animation:training_certificate": _network_pick("TrainingRegistration"),
    "animation:resource_edit": _network_pick("Resource"),
    "animation:resource_download": _network_pick("Resource"),
    "animation:meeting_detail": _network_pick("InfoMeeting", visible="managed_by"),
    "public:call_apply": _public_call,
    "public:call_draft": _draft,
    "public:meeting_register": _public_meeting,
    "bookings:book_workshop": _bookable_workshop,
    "bookings:book_slot": _bookable_slot,
    "bookings:manage": _booking_link,
    "bookings:slot_bookings": _staff_slot,
    "bookings:came": _booking,
    "bookings:did_not_come": _booking,
    "public:place_detail": _public_place,
    "public:place_error": _public_place,
    "public:place_call_back": _public_place,
}


def _urls_for(world: World, user: Any) -> Iterator[tuple[str, str, bool]]:
    """(name, url, inside) for every pattern."""
    from django.urls import reverse

    for name, pattern in _patterns():
        if not pattern.pattern.converters:
            yield name, reverse(name), True
            continue
        assert name in KWARGS, (
            f"Add a kwargs provider for the URL {name!r} in tests/test_every_url.py"
        )
        for inside in (True, False):
            kwargs = KWARGS[name](world, user, inside)
            if kwargs is not None:
                yield name, reverse(name, kwargs=kwargs), inside


@pytest.mark.parametrize("persona", [*PERSONAS, "anonymous"])
def test_every_url_answers_without_error_and_hides_what_is_out_of_scope(
    world: World, persona: str
) -> None:
    from django.conf import settings

    user = world.personas.get(persona)
    failures = []
    checked = 0
    session = ""
    for name, url, inside in _urls_for(world, user):
        for method in ("get", "post"):
            client = Client(raise_request_exception=False)
            if user is not None:
                # One session for the persona, opened again when a page ends it (signing out).
                if not session:
                    client.force_login(user)
                    session = client.cookies[settings.SESSION_COOKIE_NAME].value
                client.cookies[settings.SESSION_COOKIE_NAME] = session
            response = getattr(client, method)(url)
            sent = response.cookies.get(settings.SESSION_COOKIE_NAME)
            if sent is not None and sent.value != session:
                session = ""
            checked += 1
            if response.status_code >= 500:
                failures.append(f"{method.upper()} {url} ({name}): {response.status_code}")
            elif user is not None and "no-store" not in response.get("Cache-Control", ""):
                failures.append(f"{method.upper()} {url} ({name}) may be kept by the browser")
            elif not inside:
                expected = {302} if user is None else {404}
                if response.status_code not in expected and not (
                    method == "get" and response.status_code == 405
                ):
                    failures.append(
                        f"{method.upper()} {url} ({name}) outside the scope: "
                        f"{response.status_code}, expected {expected}"
                    )
    assert checked > 20
    assert not failures, "\n".join(failures)
