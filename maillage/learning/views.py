from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.bookings import services as bookings
from maillage.core import audit
from maillage.core.forms import bind, errors_text
from maillage.core.models import AuditEvent
from maillage.core.pagination import paginate
from maillage.core.perms import require
from maillage.core.query import FIRST_YEAR, LAST_YEAR, date_param, int_param
from maillage.core.statemachine import TransitionNotAllowed
from maillage.diagnostics.enums import OrientationOutcome, RecommendationKind
from maillage.diagnostics.models import Orientation
from maillage.learning import agenda as agenda_tools
from maillage.learning import ical, services
from maillage.learning.enums import CohortStatus, EnrolmentStatus, Presence, Theme
from maillage.learning.forms import (
    CancelForm,
    CohortForm,
    CourseForm,
    DropForm,
    DropInForm,
    DropInSlotForm,
    EnrolForm,
    RollCallForm,
    SessionMoveForm,
    SessionReportForm,
    UnavailabilityForm,
    WorkshopAttendanceForm,
    WorkshopForm,
    refuse_for_clashes,
    walk_in_initial,
)
from maillage.learning.models import (
    Attendance,
    CalendarFeed,
    Cohort,
    Course,
    DropIn,
    Enrolment,
    Session,
    Unavailability,
    Workshop,
)
from maillage.learning.pages import COHORT_PAGE
from maillage.learning.perms import (
    can_edit_catalogue,
    can_keep_an_agenda,
    can_plan_activities,
    can_see_activities,
)
from maillage.network.models import Structure
from maillage.people.forms import offers_structures
from maillage.people.models import Beneficiary


def _people_to_add(request: HttpRequest, **already: Any) -> tuple[str, list[Beneficiary]]:
    """The people matching the search `q` whom this person may add, less those `already` in."""
    query = request.GET.get("q", "").strip()
    if not query:
        return query, []
    people = Beneficiary.objects.visible_to(request.user).named().search(query).exclude(**already)
    return query, list(people.select_related("structure")[:20])


def _hosts(user: Any) -> Any:
    """Structures where this person may plan a cohort."""
    if not can_plan_activities(user):
        return Structure.objects.none()
    return Structure.objects.editable_by(user)


# --- Catalogue ---------------------------------------------------------------


def course_list(request: HttpRequest) -> HttpResponse:
    require(can_see_activities(request.user))
    courses = Course.objects.annotate(
        runs=Count("cohorts", filter=~Q(cohorts__status=CohortStatus.CANCELLED))
    )
    if not can_edit_catalogue(request.user):
        courses = courses.filter(is_active=True)
    return render(
        request,
        "learning/course_list.html",
        {
            "courses": courses,
            "can_edit": can_edit_catalogue(request.user),
            "can_plan": _hosts(request.user).exists(),
        },
    )


def course_detail(request: HttpRequest, code: str) -> HttpResponse:
    require(can_see_activities(request.user))
    course = get_object_or_404(Course, code=code)
    return render(
        request,
        "learning/course_detail.html",
        {
            "course": course,
            "can_edit": can_edit_catalogue(request.user),
            "can_plan": _hosts(request.user).exists(),
        },
    )


def course_create(request: HttpRequest) -> HttpResponse:
    require(can_edit_catalogue(request.user))
    form = bind(request, CourseForm)
    if request.method == "POST" and form.is_valid():
        course = audit.save_form(form, request.user)
        messages.success(
            request, _("Le parcours « %(title)s » est ajouté au catalogue.") % {"title": course}
        )
        return redirect(course)
    return render(request, "learning/course_form.html", {"form": form, "course": None})


def course_edit(request: HttpRequest, code: str) -> HttpResponse:
    require(can_edit_catalogue(request.user))
    course = get_object_or_404(Course, code=code)
    fields = [f for f in CourseForm.Meta.fields if f != "code"]
    form = bind(request, CourseForm, instance=course)
    if request.method == "POST" and form.is_valid():
        course = audit.save_form(form, request.user, fields=[*fields, "syllabus", "publics"])
        messages.success(request, _("Les modifications ont été enregistrées."))
        return redirect(course)
    return render(request, "learning/course_form.html", {"form": form, "course": course})


# --- Cohorts -----------------------------------------------------------------


def cohort_list(request: HttpRequest) -> HttpResponse:
    require(can_see_activities(request.user))
    cohorts = (
        Cohort.objects.visible_to(request.user)
        .select_related("course", "structure__commune")
        .annotate(
            seated=Count(
                "enrolments",
                filter=Q(
                    enrolments__status__in=[EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED]
                ),
                distinct=True,
            )
        )
        .order_by("-created_at", "-pk")
    )
    status = request.GET.get("statut", "")
    if status in CohortStatus.values:
        cohorts = cohorts.filter(status=status)
    course = request.GET.get("parcours", "")
    if course:
        cohorts = cohorts.filter(course__code=course)
    return render(
        request,
        "learning/cohort_list.html",
        {
            "page": paginate(request, cohorts),
            "status": status,
            "statuses": CohortStatus.choices,
            "course": course,
            "courses": Course.objects.all(),
            "can_plan": _hosts(request.user).exists(),
        },
    )


def cohort_create(request: HttpRequest) -> HttpResponse:
    hosts = _hosts(request.user)
    require(hosts.exists())
    initial: dict[str, Any] = {}
    if request.GET.get("parcours"):
        initial["course"] = Course.objects.filter(code=request.GET["parcours"]).first()
    if request.GET.get("structure"):
        initial["structure"] = request.GET["structure"]  # checked against the hosts by the form
    form = bind(request, CohortForm, user=request.user, structures=hosts, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.plan_cohort(
                form.save(commit=False),
                first=form.cleaned_data["first_day"],
                at=form.cleaned_data["start_time"],
                facilitators=form.cleaned_data["facilitators"],
                co_facilitators=form.cleaned_data["co_facilitators"],
                by=request.user,
                despite_clashes=form.cleaned_data["despite_clashes"],
            )
        except services.PlanningClash as refused:
            refuse_for_clashes(form, refused.clashes)
            return render(request, "learning/cohort_form.html", {"form": form})
        messages.success(
            request,
            _(
                "Parcours planifié : %(count)s séances générées. Vous pouvez déplacer chacune d'elles."
            )
            % {"count": cohort.sessions.count()},
        )
        return redirect(cohort)
    return render(request, "learning/cohort_form.html", {"form": form})


def _visible_cohort(request: HttpRequest, pk: int) -> Cohort:
    return get_object_or_404(
        Cohort.objects.visible_to(request.user).select_related(
            "course", "structure__commune", "programme"
        ),
        pk=pk,
    )


def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _visible_cohort(request, pk)
    sessions = list(cohort.sessions.all())
    enrolments = list(cohort.enrolments.select_related("beneficiary"))
    present = dict(
        Attendance.objects.filter(session__cohort=cohort, presence=Presence.PRESENT)
        .values_list("beneficiary")
        .annotate(n=Count("pk"))
        .values_list("beneficiary", "n")
    )
    query, candidates = _people_to_add(request, enrolments__cohort=cohort)
    return render(
        request,
        "learning/cohort_detail.html",
        {
            "cohort": cohort,
            "sessions": sessions,
            "enrolments": [(e, present.get(e.beneficiary_id, 0)) for e in enrolments],
            "seated": sum(
                1
                for e in enrolments
                if e.status in (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED)
            ),
            "waiting": sum(1 for e in enrolments if e.status == EnrolmentStatus.WAITING),
            "needed": cohort.course.sessions_needed(),
            "query": query,
            "candidates": candidates,
            "cancel_form": CancelForm() if cohort.is_open else None,
            "can_complete": cohort.status == CohortStatus.RUNNING,
            "panels": COHORT_PAGE.render(request, cohort),
        },
    )


@require_POST
def cohort_transition(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _visible_cohort(request, pk)
    target = request.POST.get("target", "")
    reason = ""
    if target == CohortStatus.CANCELLED:
        form = CancelForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Indiquez le motif de l'annulation."))
            return redirect(cohort)
        reason = form.cleaned_data["reason"]
    elif target != CohortStatus.COMPLETED:
        messages.error(request, _("Cette demande n'est pas valide."))
        return redirect(cohort)
    try:
        services.move_cohort(cohort, target, reason=reason, by=request.user)
    except TransitionNotAllowed as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, _("Statut mis à jour : %(status)s.") % {"status": cohort.get_status_display()}
        )
    return redirect(cohort)


@require_POST
def cohort_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _visible_cohort(request, pk)
    form = EnrolForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez une personne à inscrire."))
        return redirect(cohort)
    person = get_object_or_404(
        Beneficiary.objects.visible_to(request.user).named(),
        reference=form.cleaned_data["beneficiary"].strip().upper(),
    )
    orientation = None
    if request.POST.get("orientation"):
        orientation = get_object_or_404(
            Orientation.objects.visible_to(request.user).filter(
                beneficiary=person, kind=RecommendationKind.COURSE
            ),
            pk=request.POST["orientation"],
        )
    try:
        enrolment = services.enrol(cohort, person, by=request.user, orientation=orientation)
    except TransitionNotAllowed as refusal:
        messages.error(request, str(refusal))
        return redirect(cohort)
    if orientation is not None and orientation.outcome == OrientationOutcome.PENDING:
        from maillage.diagnostics.services import record_outcome

        record_outcome(orientation, OrientationOutcome.DONE, by=request.user, note=str(cohort))
    if enrolment.status == EnrolmentStatus.WAITING:
        messages.warning(
            request,
            _("Le parcours est complet : %(name)s est sur la liste d'attente.") % {"name": person},
        )
    else:
        messages.success(request, _("%(name)s est inscrit·e.") % {"name": person})
    return redirect(cohort)


@require_POST
def enrolment_drop(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_object_or_404(
        Enrolment.objects.filter(cohort__in=Cohort.objects.visible_to(request.user)).select_related(
            "cohort", "beneficiary"
        ),
        pk=pk,
    )
    form = DropForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez le motif de l'abandon."))
        return redirect(enrolment.cohort)
    try:
        promoted = services.drop(enrolment, by=request.user, reason=form.cleaned_data["reason"])
    except TransitionNotAllowed as refusal:
        messages.error(request, str(refusal))
        return redirect(enrolment.cohort)
    messages.success(request, _("Abandon enregistré."))
    if promoted is not None:
        messages.info(
            request,
            _("%(name)s quitte la liste d'attente et prend la place.")
            % {"name": promoted.beneficiary},
        )
    return redirect(enrolment.cohort)


def enrol_from_orientation(request: HttpRequest, pk: int) -> HttpResponse:
    """An accepted recommendation of a parcours: the open cohorts of that course."""
    orientation = get_object_or_404(
        Orientation.objects.visible_to(request.user)
        .filter(kind=RecommendationKind.COURSE)
        .select_related("beneficiary", "recommendation"),
        pk=pk,
    )
    code = orientation.recommendation.target if orientation.recommendation else ""
    course = Course.objects.filter(code=code).first()
    cohorts = (
        Cohort.objects.visible_to(request.user)
        .filter(status__in=[CohortStatus.PLANNED, CohortStatus.RUNNING])
        .select_related("course", "structure__commune")
    )
    if course is not None:
        cohorts = cohorts.filter(course=course)
    return render(
        request,
        "learning/enrol_from_orientation.html",
        {
            "orientation": orientation,
            "person": orientation.beneficiary,
            "course": course,
            "cohorts": cohorts[:50],
        },
    )


# --- Sessions ----------------------------------------------------------------


def _visible_session(request: HttpRequest, pk: int) -> Session:
    return get_object_or_404(
        Session.objects.filter(cohort__in=Cohort.objects.visible_to(request.user)).select_related(
            "cohort__course", "cohort__structure__commune"
        ),
        pk=pk,
    )


def session_move(request: HttpRequest, pk: int) -> HttpResponse:
    session = _visible_session(request, pk)
    require(session.cohort.is_open)
    local = timezone.localtime(session.starts_at)
    form = bind(
        request,
        SessionMoveForm,
        initial={"day": local.date(), "start_time": local.time(), "place": session.place},
    )
    if request.method == "POST" and form.is_valid():
        starts_at = timezone.make_aware(
            datetime.combine(form.cleaned_data["day"], form.cleaned_data["start_time"])
        )
        try:
            services.move_session(
                session,
                starts_at,
                by=request.user,
                place=form.cleaned_data["place"],
                despite_clashes=form.cleaned_data["despite_clashes"],
            )
        except services.PlanningClash as refused:
            refuse_for_clashes(form, refused.clashes)
        else:
            messages.success(request, _("La séance est déplacée."))
            return redirect(session.cohort)
    return render(request, "learning/session_move.html", {"form": form, "session": session})


def session_roll_call(request: HttpRequest, pk: int) -> HttpResponse:
    """One screen, usable on a phone: every learner with present / absent / excused, the
    anonymous walk-ins, saved in one request."""
    session = _visible_session(request, pk)
    cohort = session.cohort
    learners = [
        e.beneficiary
        for e in cohort.enrolments.filter(
            status__in=[EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED]
        ).select_related("beneficiary")
    ]
    recorded = dict(session.attendances.values_list("beneficiary_id", "presence"))
    initial: dict[str, Any] = {f"p{pk}": presence for pk, presence in recorded.items()}
    walk_ins = list(session.walk_ins.all())
    initial.update(walk_in_initial(walk_ins))
    data = request.POST if request.method == "POST" else None
    form = RollCallForm(data, learners=learners, initial=initial)
    report_form = SessionReportForm(
        initial={"report": session.report, "new_needs": session.new_needs}
    )
    too_early = session.roll_call_refusal()
    if request.method == "POST" and too_early:
        form.add_error(None, too_early)
    if request.method == "POST" and form.is_valid():
        require(cohort.status != CohortStatus.CANCELLED)
        completed = services.take_roll_call(
            session, form.presences(), form.walk_ins(), by=request.user
        )
        messages.success(request, _("Appel enregistré."))
        for enrolment in completed:
            messages.info(
                request, _("%(name)s a terminé le parcours.") % {"name": enrolment.beneficiary}
            )
        return redirect(session)
    return render(
        request,
        "learning/session_roll_call.html",
        {
            "session": session,
            "cohort": cohort,
            "form": form,
            "report_form": report_form,
            "walk_in_total": sum(g.count for g in walk_ins),
            "earlier_needs": _earlier_needs(session),
            "too_early": too_early,
        },
    )


def _earlier_needs(session: Session) -> list[str]:
    """The needs learners expressed at the cohort's earlier sessions, to prepare this one."""
    needs: list[str] = []
    for earlier in session.cohort.sessions.filter(starts_at__lt=session.starts_at):
        needs += [n for n in earlier.new_needs if n not in needs]
    return [str(Theme(n).label) for n in needs if n in Theme.values]


@require_POST
def session_report(request: HttpRequest, pk: int) -> HttpResponse:
    session = _visible_session(request, pk)
    form = SessionReportForm(request.POST)
    if form.is_valid():
        session.report = form.cleaned_data["report"]
        session.new_needs = form.cleaned_data["new_needs"]
        session.save(update_fields=["report", "new_needs"])
        audit.record(
            request.user,
            AuditEvent.Action.UPDATE,
            session,
            changes={"fields": ["report", "new_needs"]},
        )
        messages.success(request, _("Compte rendu enregistré."))
    else:
        messages.error(
            request,
            _("Le compte rendu n'a pas pu être enregistré : %(errors)s")
            % {"errors": form.errors.as_text()},
        )
    return redirect(session)


# --- Workshops ---------------------------------------------------------------


def workshop_list(request: HttpRequest) -> HttpResponse:
    require(can_see_activities(request.user))
    workshops = (
        Workshop.objects.visible_to(request.user)
        .select_related("structure__commune")
        .annotate(followed=Count("participants", distinct=True))
        .order_by("-starts_at", "-pk")
    )
    return render(
        request,
        "learning/workshop_list.html",
        {"page": paginate(request, workshops), "can_create": _hosts(request.user).exists()},
    )


def workshop_create(request: HttpRequest) -> HttpResponse:
    hosts = _hosts(request.user)
    require(hosts.exists())
    form = bind(request, WorkshopForm, user=request.user, structures=hosts)
    if request.method == "POST" and form.is_valid():
        try:
            workshop = services.create_workshop(
                form.save(commit=False),
                starts_at=form.starts_at(),
                facilitators=form.cleaned_data["facilitators"],
                by=request.user,
                despite_clashes=form.cleaned_data["despite_clashes"],
            )
        except services.PlanningClash as refused:
            refuse_for_clashes(form, refused.clashes)
            return render(request, "learning/workshop_form.html", {"form": form})
        messages.success(
            request, _("L'atelier « %(title)s » est enregistré.") % {"title": workshop}
        )
        return redirect(workshop)
    return render(request, "learning/workshop_form.html", {"form": form})


def _visible_workshop(request: HttpRequest, pk: int) -> Workshop:
    return get_object_or_404(
        Workshop.objects.visible_to(request.user).select_related("structure__commune", "programme"),
        pk=pk,
    )


def workshop_detail(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = _visible_workshop(request, pk)
    walk_ins = list(workshop.walk_ins.all())
    form = WorkshopAttendanceForm(
        request.POST if request.method == "POST" else None,
        initial={**walk_in_initial(walk_ins), "report": workshop.report},
    )
    if request.method == "POST" and form.is_valid():
        services.record_workshop(
            workshop, form.walk_ins(), report=form.cleaned_data["report"], by=request.user
        )
        messages.success(request, _("Participation enregistrée."))
        return redirect(workshop)
    query, candidates = _people_to_add(request, workshops=workshop)
    return render(
        request,
        "learning/workshop_detail.html",
        {
            "workshop": workshop,
            "participants": workshop.participants.all(),
            "walk_in_total": sum(g.count for g in walk_ins),
            "form": form,
            "query": query,
            "candidates": candidates,
            "bookings": bookings.shown_to_staff(request.user, workshop),
        },
    )


@require_POST
def workshop_participant(request: HttpRequest, pk: int) -> HttpResponse:
    """Add (or with `remove`, take off) a followed person."""
    workshop = _visible_workshop(request, pk)
    person = get_object_or_404(
        Beneficiary.objects.visible_to(request.user).named(),
        reference=request.POST.get("beneficiary", ""),
    )
    if request.POST.get("remove"):
        services.remove_participant(workshop, person, by=request.user)
        messages.success(request, _("%(name)s est retiré·e de l'atelier.") % {"name": person})
    else:
        services.add_participant(workshop, person, by=request.user)
        messages.success(request, _("%(name)s a participé à l'atelier.") % {"name": person})
    return redirect(workshop)


# --- Drop-ins ----------------------------------------------------------------


def drop_in_list(request: HttpRequest) -> HttpResponse:
    require(can_see_activities(request.user))
    drop_ins = (
        DropIn.objects.visible_to(request.user)
        .select_related("structure", "beneficiary", "facilitator")
        .order_by("-starts_at", "-pk")
    )
    return render(
        request,
        "learning/drop_in_list.html",
        {"page": paginate(request, drop_ins), "can_create": _hosts(request.user).exists()},
    )


def drop_in_create(request: HttpRequest) -> HttpResponse:
    hosts = _hosts(request.user)
    require(hosts.exists())
    people = Beneficiary.objects.visible_to(request.user).named()
    initial: dict[str, Any] = {"person": request.GET.get("personne", "")}
    booking = bookings.booking_to_record(
        request.user, request.GET.get("reservation") or request.POST.get("reservation") or ""
    )
    if booking is not None:
        moment = timezone.localtime(booking.starts_at)
        initial.update(
            structure=booking.structure_id,
            day=moment.date(),
            start_time=moment.time(),
            notes=booking.purpose,
        )
    form = bind(
        request, DropInForm, user=request.user, structures=hosts, people=people, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        drop_in = services.record_drop_in(form.save(commit=False), by=request.user)
        if booking is not None:
            bookings.came_to_drop_in(booking, drop_in, by=request.user)
        messages.success(request, _("Permanence enregistrée."))
        if request.POST.get("another"):
            return redirect("learning:drop_in_create")
        return redirect(drop_in)
    return render(request, "learning/drop_in_form.html", {"form": form, "booking": booking})


def drop_in_detail(request: HttpRequest, pk: int) -> HttpResponse:
    drop_in = get_object_or_404(
        DropIn.objects.visible_to(request.user).select_related(
            "structure", "beneficiary", "facilitator"
        ),
        pk=pk,
    )
    if drop_in.beneficiary is not None:
        audit.record(request.user, AuditEvent.Action.VIEW, drop_in.beneficiary, note="drop-in")
    return render(request, "learning/drop_in_detail.html", {"drop_in": drop_in})


# --- A facilitator's week ----------------------------------------------------


def _monday(request: HttpRequest) -> date:
    """The Monday of the week asked for (?semaine=2023-W14 or ?date=2023-04-05), else this one."""
    raw = request.GET.get("semaine", "")
    day = date_param(request, "date") or timezone.localdate()
    if "-W" in raw:
        try:
            week = datetime.strptime(raw + "-1", "%G-W%V-%u").date()  # noqa: DTZ007 (a date)
        except ValueError:
            pass
        else:
            day = week if FIRST_YEAR <= week.year <= LAST_YEAR else day
    return day - timedelta(days=day.weekday())


def agenda(request: HttpRequest) -> HttpResponse:
    me: Any = request.user
    require(can_keep_an_agenda(me))
    team = agenda_tools.team_of(me)
    person: Any = me
    if request.GET.get("personne"):
        person = get_object_or_404(team, pk=int_param(request, "personne"))
    monday = _monday(request)
    days = agenda_tools.week_of(person, monday)
    own = person.pk == me.pk
    slot_form = DropInSlotForm(structures=_hosts(me)) if own else None
    if slot_form is not None and not offers_structures(slot_form):
        slot_form = None  # nowhere to hold a drop-in
    return render(
        request,
        "learning/agenda.html",
        {
            "person": person,
            "own": own,
            "team": team if team.count() > 1 else None,
            "days": days,
            "monday": monday,
            "previous": (monday - timedelta(days=7)).strftime("%G-W%V"),
            "next": (monday + timedelta(days=7)).strftime("%G-W%V"),
            "problems": sum(len(d.problems) for d in days),
            "slot_form": slot_form,
            "unavailability_form": UnavailabilityForm() if own else None,
            "unavailabilities": Unavailability.objects.filter(user=person, end__gte=monday),
            "feed": CalendarFeed.objects.active().filter(user=me).first() if own else None,
        },
    )


@require_POST
def agenda_slot(request: HttpRequest) -> HttpResponse:
    me: Any = request.user
    hosts = _hosts(me)
    require(hosts.exists())
    form = DropInSlotForm(request.POST, structures=hosts)
    if form.is_valid():
        slot = form.save(commit=False)
        try:
            services.open_slot(slot, facilitator=me)
        except services.PlanningClash as refused:
            messages.error(
                request,
                _("Le créneau n'a pas été ajouté : %(errors)s")
                % {"errors": " ".join(refused.clashes)},
            )
            return redirect("learning:agenda")
        messages.success(request, _("Créneau de permanence ajouté."))
        return redirect(
            f"{reverse('learning:agenda')}?date={timezone.localtime(slot.starts_at).date().isoformat()}"
        )
    messages.error(
        request,
        _("Le créneau n'a pas été ajouté : %(errors)s") % {"errors": errors_text(form)},
    )
    return redirect("learning:agenda")


@require_POST
def agenda_unavailability(request: HttpRequest) -> HttpResponse:
    me: Any = request.user
    require(can_keep_an_agenda(me))
    if request.POST.get("delete"):
        Unavailability.objects.filter(user=me, pk=request.POST["delete"]).delete()
        messages.success(request, _("Indisponibilité supprimée."))
        return redirect("learning:agenda")
    form = UnavailabilityForm(request.POST)
    if form.is_valid():
        period = form.save(commit=False)
        period.user = me
        period.save()
        messages.success(
            request,
            _("Indisponibilité enregistrée : les prochains parcours planifiés l'éviteront."),
        )
    else:
        messages.error(
            request,
            _("L'indisponibilité n'a pas été enregistrée : %(errors)s")
            % {"errors": errors_text(form)},
        )
    return redirect("learning:agenda")


@require_POST
def agenda_feed(request: HttpRequest) -> HttpResponse:
    """Create a new private calendar address (the previous one stops working), or revoke it."""
    me: Any = request.user
    require(can_keep_an_agenda(me))
    CalendarFeed.objects.active().filter(user=me).update(revoked_at=timezone.now())
    if request.POST.get("action") == "revoke":
        messages.success(request, _("L'adresse de votre calendrier est désactivée."))
    else:
        CalendarFeed.objects.create(user=me, token=secrets.token_urlsafe(32))
        messages.success(
            request, _("Nouvelle adresse de calendrier créée : l'ancienne ne fonctionne plus.")
        )
    audit.record(me, AuditEvent.Action.UPDATE, me, changes={"fields": ["calendar_feed"]})
    return redirect("learning:agenda")


@login_not_required
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = get_object_or_404(CalendarFeed.objects.active().select_related("user"), token=token)
    today = timezone.localdate()
    items = agenda_tools.items_for(
        feed.user, today - timedelta(days=30), today + timedelta(days=180)
    )
    body = ical.calendar(
        items,
        name=_("Maillage — mon agenda"),
        host=request.get_host().split(":")[0],
        now=timezone.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="maillage.ics"'
    return response
