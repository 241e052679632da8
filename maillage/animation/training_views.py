"""Trainings of referents, pedagogical resources and information meetings (staff side)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import Count, F, Q
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.animation import services
from maillage.animation.forms import (
    AttendanceForm,
    InfoMeetingForm,
    RegistrationForm,
    ResourceFilterForm,
    ResourceForm,
    TrainingSessionForm,
)
from maillage.animation.models import (
    Call,
    InfoMeeting,
    Resource,
    Training,
    TrainingRegistration,
    TrainingSession,
)
from maillage.animation.perms import (
    can_manage_resources,
    can_organise_meetings,
    can_organise_trainings,
    can_see_trainings,
    can_use_resources,
)
from maillage.core import audit
from maillage.core.forms import bind
from maillage.core.models import AuditEvent
from maillage.core.pagination import paginate
from maillage.core.pdf import pdf_response
from maillage.core.perms import require
from maillage.core.roles import scope_of
from maillage.network.models import Structure
from maillage.territories.models import Department


def _me(request: HttpRequest) -> Any:
    """The signed-in person (every page here requires signing in)."""
    return request.user


def _departments(user: Any) -> Any:
    return Department.objects.within_scope_of(user)


# --- Trainings --------------------------------------------------------------------------------


def training_list(request: HttpRequest) -> HttpResponse:
    require(can_see_trainings(request.user))
    today = timezone.localdate()
    sessions = (
        TrainingSession.objects.visible_to(request.user)
        .filter(day__gte=today)
        .select_related("training", "department")
        .annotate(seats_left=F("capacity") - Count("registrations"))
        .order_by("day", "start_time")
    )
    return render(
        request,
        "animation/training_list.html",
        {
            "trainings": Training.objects.filter(is_active=True),
            "sessions": sessions[:50],
            "mine": TrainingRegistration.objects.filter(user=_me(request)).select_related(
                "session__training"
            ),
            "can_plan": can_organise_trainings(request.user),
        },
    )


def training_detail(request: HttpRequest, code: str) -> HttpResponse:
    require(can_see_trainings(request.user))
    training = get_object_or_404(Training, code=code)
    sessions = (
        TrainingSession.objects.visible_to(request.user)
        .filter(training=training)
        .select_related("department")
        .annotate(
            taken=Count("registrations"),
            present=Count("registrations", filter=Q(registrations__attended=True)),
        )
        .order_by("-day", "start_time", "pk")
    )
    return render(
        request,
        "animation/training_detail.html",
        {"training": training, "page": paginate(request, sessions), "today": timezone.localdate()},
    )


def session_create(request: HttpRequest) -> HttpResponse:
    require(can_organise_trainings(request.user))
    initial: dict[str, Any] = {"trainer": request.user.pk, "capacity": 12}
    if request.GET.get("formation"):
        initial["training"] = Training.objects.filter(code=request.GET["formation"]).first()
    form = bind(
        request,
        TrainingSessionForm,
        departments=_departments(request.user),
        calls=Call.objects.visible_to(request.user),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        session = audit.save_form(form, request.user)
        messages.success(request, _("La session de formation est programmée."))
        return redirect(session)
    return render(request, "animation/session_form.html", {"form": form})


def _trainee(registration: TrainingRegistration) -> str:
    return f"{registration.full_name} ({registration.structure.name})"


def _registrable_structures(user: Any) -> Any:
    """Staff register the referents of the structures of their territory."""
    return Structure.objects.editable_by(user).order_by("name")


def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(
        TrainingSession.objects.visible_to(request.user).select_related(
            "training", "department", "trainer", "call"
        ),
        pk=pk,
    )
    return _render_session(request, session)


def _render_session(
    request: HttpRequest,
    session: TrainingSession,
    *,
    registration_form: RegistrationForm | None = None,
    attendance_form: AttendanceForm | None = None,
) -> HttpResponse:
    manages = TrainingSession.objects.managed_by(request.user).filter(pk=session.pk).exists()
    registrations = list(
        TrainingRegistration.objects.visible_to(request.user)
        .filter(session=session)
        .select_related("structure")
    )
    scope = scope_of(request.user)
    own_structures = Structure.objects.filter(pk__in=scope.structure_ids)
    already = any(r.user_id == request.user.pk for r in registrations)
    is_future = session.day >= timezone.localdate()
    if manages and registration_form is None and is_future:
        registration_form = RegistrationForm(structures=_registrable_structures(request.user))
    if (
        manages
        and attendance_form is None
        and registrations
        and session.day <= timezone.localdate()
    ):
        attendance_form = AttendanceForm(registrations=registrations, label=_trainee)
    return render(
        request,
        "animation/session_detail.html",
        {
            "session": session,
            "manages": manages,
            "registrations": registrations,
            "count": session.registrations.count(),
            "registration_form": registration_form if manages else None,
            "attendance_form": attendance_form if manages else None,
            "can_register_self": is_future
            and not already
            and own_structures.exists()
            and not manages,
            "own_structures": own_structures,
        },
    )


@require_POST
def session_register(request: HttpRequest, pk: int) -> HttpResponse:
    """A referent registers themself, or staff register someone."""
    session = get_object_or_404(TrainingSession.objects.visible_to(request.user), pk=pk)
    manages = TrainingSession.objects.managed_by(request.user).filter(pk=pk).exists()
    user: Any = request.user
    if manages:
        form = RegistrationForm(request.POST, structures=_registrable_structures(request.user))
        if not form.is_valid():
            return _render_session(request, session, registration_form=form)
        data = form.cleaned_data
        structure, full_name, email, person = (
            data["structure"],
            data["full_name"],
            data["email"],
            None,
        )
    else:
        structure = get_object_or_404(
            Structure.objects.filter(pk__in=scope_of(user).structure_ids),
            pk=request.POST.get("structure"),
        )
        full_name, email, person = user.full_name or user.email, user.email, user
    try:
        services.register_to_training(
            session, structure=structure, full_name=full_name, email=email, user=person, by=user
        )
    except services.NetworkError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("Inscription enregistrée à la session du %(day)s.")
            % {"day": session.day.strftime("%d/%m/%Y")},
        )
    return redirect(session)


@require_POST
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(TrainingSession.objects.managed_by(request.user), pk=pk)
    require(session.day <= timezone.localdate())
    registrations = list(session.registrations.select_related("structure"))
    form = AttendanceForm(request.POST, registrations=registrations, label=_trainee)
    if not form.is_valid():
        return _render_session(request, session, attendance_form=form)
    with transaction.atomic():
        form.save()
        audit.record(request.user, AuditEvent.Action.UPDATE, session, changes={"attendance": []})
    messages.success(request, _("Les présences sont enregistrées."))
    return redirect(session)


def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate of attendance, once the presence is recorded."""
    registration = get_object_or_404(
        TrainingRegistration.objects.visible_to(request.user).select_related(
            "session__training", "session__trainer", "structure"
        ),
        pk=pk,
        attended=True,
    )
    audit.record(request.user, AuditEvent.Action.EXPORT, registration)
    return pdf_response(
        "animation/certificate_pdf.html",
        {
            "registration": registration,
            "session": registration.session,
            "training": registration.session.training,
            "organisation_name": settings.ORGANISATION_NAME,
        },
        f"attestation-{registration.session.day:%Y-%m-%d}-{registration.pk}.pdf",
    )


# --- Resources --------------------------------------------------------------------------------


def resource_list(request: HttpRequest) -> HttpResponse:
    require(can_use_resources(request.user))
    filters = ResourceFilterForm(request.GET or None)
    resources = filters.filter(Resource.objects.visible_to(request.user))
    return render(
        request,
        "animation/resource_list.html",
        {
            "filters": filters,
            "page": paginate(request, resources),
            "can_edit": can_manage_resources(request.user),
        },
    )


def resource_create(request: HttpRequest) -> HttpResponse:
    require(can_manage_resources(request.user))
    form = bind(request, ResourceForm)
    if request.method == "POST":
        form = ResourceForm(request.POST, request.FILES)
        if form.is_valid():
            audit.save_form(form, request.user, created_by=request.user)
            messages.success(request, _("La ressource est partagée."))
            return redirect("animation:resource_list")
    return render(request, "animation/resource_form.html", {"form": form, "resource": None})


def resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(can_manage_resources(request.user))
    resource = get_object_or_404(Resource.objects.visible_to(request.user), pk=pk)
    form = ResourceForm(instance=resource)
    if request.method == "POST":
        form = ResourceForm(request.POST, request.FILES, instance=resource)
        if form.is_valid():
            audit.save_form(form, request.user, fields=Resource.EDITABLE_FIELDS)
            messages.success(request, _("Les modifications ont été enregistrées."))
            return redirect("animation:resource_list")
    return render(request, "animation/resource_form.html", {"form": form, "resource": resource})


def resource_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Count the download (not who made it) and hand over the file or the link."""
    resource = get_object_or_404(Resource.objects.visible_to(request.user), pk=pk)
    Resource.objects.filter(pk=pk).update(downloads=F("downloads") + 1)
    if resource.url:
        return HttpResponseRedirect(resource.url)
    return FileResponse(resource.file.open("rb"), as_attachment=True)


# --- Information meetings ---------------------------------------------------------------------


def meeting_list(request: HttpRequest) -> HttpResponse:
    require(can_organise_meetings(request.user))
    meetings = (
        InfoMeeting.objects.managed_by(request.user)
        .select_related("department", "call")
        .annotate(
            registered=Count("registrations"),
            present=Count("registrations", filter=Q(registrations__attended=True)),
        )
        .order_by("-starts_at", "pk")
    )
    return render(
        request,
        "animation/meeting_list.html",
        {"page": paginate(request, meetings), "now": timezone.now()},
    )


def meeting_create(request: HttpRequest) -> HttpResponse:
    require(can_organise_meetings(request.user))
    form = bind(
        request,
        InfoMeetingForm,
        departments=_departments(request.user),
        calls=Call.objects.visible_to(request.user),
    )
    if request.method == "POST" and form.is_valid():
        meeting = audit.save_form(form, request.user)
        messages.success(request, _("La réunion est annoncée sur le site public."))
        return redirect(meeting)
    return render(request, "animation/meeting_form.html", {"form": form})


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(
        InfoMeeting.objects.managed_by(request.user).select_related("call", "department"), pk=pk
    )
    registrations = list(meeting.registrations.all())
    form = None
    if registrations and meeting.starts_at <= timezone.now():
        form = AttendanceForm(
            request.POST if request.method == "POST" else None,
            registrations=registrations,
            label=lambda r: f"{r.full_name} ({r.structure_name})",
        )
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                form.save()
                audit.record(
                    request.user, AuditEvent.Action.UPDATE, meeting, changes={"attendance": []}
                )
            messages.success(request, _("Les présences sont enregistrées."))
            return redirect(meeting)
    else:
        require(request.method != "POST")
    return render(
        request,
        "animation/meeting_detail.html",
        {"meeting": meeting, "registrations": registrations, "form": form},
    )
