"""Staff pages of calls for applications: the call, its form's questions, the applications and
the selection committee."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.animation import services
from maillage.animation.enums import ApplicationStatus
from maillage.animation.forms import (
    CallForm,
    CommitteeForm,
    DecisionForm,
    QuestionForm,
    ReasonForm,
)
from maillage.animation.models import Application, Assessment, Call
from maillage.animation.perms import can_follow_calls, can_run_calls
from maillage.core import audit
from maillage.core.forms import bind
from maillage.core.models import AuditEvent
from maillage.core.pagination import paginate
from maillage.core.perms import require
from maillage.core.statemachine import TransitionNotAllowed
from maillage.territories.models import Department


def _managed_departments(user: Any) -> Any:
    return Department.objects.within_scope_of(user, managed_only=True)


def call_list(request: HttpRequest) -> HttpResponse:
    require(can_follow_calls(request.user))
    calls = (
        Call.objects.visible_to(request.user)
        .annotate(
            submitted=Count(
                "applications", filter=~Q(applications__status=ApplicationStatus.DRAFT)
            ),
            selected=Count(
                "applications", filter=Q(applications__status=ApplicationStatus.SELECTED)
            ),
        )
        .order_by("-opens_on", "pk")
    )
    return render(
        request,
        "animation/call_list.html",
        {"page": paginate(request, calls), "can_create": can_run_calls(request.user)},
    )


def call_create(request: HttpRequest) -> HttpResponse:
    require(can_run_calls(request.user))
    form = bind(request, CallForm, departments=_managed_departments(request.user))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            call = audit.save_form(form, request.user, created_by=request.user)
            form.save_criteria(call)
        messages.success(
            request,
            _("L'appel est créé. Ajoutez maintenant les questions du formulaire de candidature."),
        )
        return redirect("animation:call_questions", call.pk)
    return render(request, "animation/call_form.html", {"form": form, "call": None})


def call_edit(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(Call.objects.managed_by(request.user), pk=pk)
    before = audit.values(call, Call.EDITABLE_FIELDS)
    form = bind(request, CallForm, instance=call, departments=_managed_departments(request.user))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            call = form.save()
            form.save_criteria(call)
            changes = audit.diff(before, audit.values(call, Call.EDITABLE_FIELDS))
            audit.record(request.user, AuditEvent.Action.UPDATE, call, changes=changes)
        messages.success(request, _("Les modifications ont été enregistrées."))
        return redirect(call)
    return render(request, "animation/call_form.html", {"form": form, "call": call})


def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(
        Call.objects.visible_to(request.user).prefetch_related("departments", "criteria"), pk=pk
    )
    applications = call.applications.submitted().select_related("structure", "commune")
    status = request.GET.get("statut", "")
    if status in ApplicationStatus.values:
        applications = applications.filter(status=status)
    counts = dict(
        call.applications.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return render(
        request,
        "animation/call_detail.html",
        {
            "call": call,
            "page": paginate(request, applications),
            "status": status,
            # Submitted applications by status; drafts are only counted.
            "counts": [
                (s, counts.get(s.value, 0))
                for s in ApplicationStatus
                if s != ApplicationStatus.DRAFT
            ],
            "drafts": counts.get(ApplicationStatus.DRAFT, 0),
            "figures": call.figures(),
            "can_manage": Call.objects.managed_by(request.user).filter(pk=pk).exists(),
            "committees": call.committees.all(),
            "closings": call.closing_committees.all(),
            "meetings": call.info_meetings.order_by("-starts_at")[:10],
        },
    )


def call_questions(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(Call.objects.managed_by(request.user), pk=pk)
    locked = call.applications.submitted().exists()
    form = bind(request, QuestionForm)
    if request.method == "POST":
        require(not locked)
        if form.is_valid():
            question = form.save(commit=False)
            question.call = call
            question.position = call.questions.count()
            question.save()
            audit.record(request.user, AuditEvent.Action.UPDATE, call, changes={"questions": []})
            messages.success(request, _("La question est ajoutée au formulaire."))
            return redirect("animation:call_questions", call.pk)
    return render(
        request,
        "animation/call_questions.html",
        {"call": call, "form": form, "questions": call.questions.all(), "locked": locked},
    )


@require_POST
def call_question_delete(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    call = get_object_or_404(Call.objects.managed_by(request.user), pk=pk)
    require(not call.applications.submitted().exists())
    question = get_object_or_404(call.questions, pk=question_pk)
    question.delete()
    audit.record(request.user, AuditEvent.Action.UPDATE, call, changes={"questions": []})
    messages.success(request, _("La question est retirée du formulaire."))
    return redirect("animation:call_questions", call.pk)


# --- Applications -----------------------------------------------------------------------------


def _application(request: HttpRequest, reference: str) -> Application:
    return get_object_or_404(
        Application.objects.visible_to(request.user).select_related(
            "call", "structure", "commune", "committee"
        ),
        reference=reference,
    )


def application_detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _render_application(request, _application(request, reference))


def _render_application(
    request: HttpRequest, application: Application, reason_form: ReasonForm | None = None
) -> HttpResponse:
    """The application's page; `reason_form` is given back with its error after a refusal."""
    can_manage = Call.objects.managed_by(request.user).filter(pk=application.call_id).exists()
    return render(
        request,
        "animation/application_detail.html",
        {
            "application": application,
            "assessments": application.assessments.select_related("criterion"),
            "can_manage": can_manage,
            "can_shortlist": can_manage and application.status == ApplicationStatus.SUBMITTED,
            "reason_form": reason_form or (ReasonForm() if can_manage else None),
            "can_turn_down": can_manage
            and Application.workflow.can(application.status, ApplicationStatus.NOT_SELECTED),
        },
    )


@require_POST
def application_shortlist(request: HttpRequest, reference: str) -> HttpResponse:
    application = _application(request, reference)
    require(Call.objects.managed_by(request.user).filter(pk=application.call_id).exists())
    try:
        services.shortlist(application, by=request.user)
    except TransitionNotAllowed as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Candidature présélectionnée ; la structure est prévenue."))
    return redirect(application)


@require_POST
def application_turn_down(request: HttpRequest, reference: str) -> HttpResponse:
    application = _application(request, reference)
    require(Call.objects.managed_by(request.user).filter(pk=application.call_id).exists())
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.turn_down(application, reason=form.cleaned_data["reason"], by=request.user)
        except (TransitionNotAllowed, services.NetworkError) as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Candidature non retenue ; la structure est prévenue."))
        return redirect(application)
    return _render_application(request, application, form)


# --- The selection committee ------------------------------------------------------------------


def committee(request: HttpRequest, pk: int) -> HttpResponse:
    """The shortlisted applications side by side, with their scores, comments and decision."""
    call = get_object_or_404(Call.objects.managed_by(request.user), pk=pk)
    criteria = list(call.criteria.all())
    applications = list(
        call.applications.filter(status=ApplicationStatus.SHORTLISTED)
        .select_related("commune", "structure")
        .prefetch_related(Prefetch("assessments", queryset=Assessment.objects.all()))
    )
    data = request.POST if request.method == "POST" else None
    header = CommitteeForm(data)
    decisions = [DecisionForm(data, application=a, criteria=criteria) for a in applications]
    # Every form is validated, so that each shows its errors.
    valid = [header.is_valid(), *(d.is_valid() for d in decisions)]
    if request.method == "POST" and all(valid) and applications:
        try:
            services.record_committee(
                call,
                held_on=header.cleaned_data["held_on"],
                members=header.cleaned_data["members"],
                minutes=header.cleaned_data["minutes"],
                decisions=[
                    services.Decision(
                        application=d.application,
                        scores=d.scores(),
                        comment=d.cleaned_data["comment"],
                        outcome=d.cleaned_data["outcome"],
                        reason=d.cleaned_data["reason"],
                    )
                    for d in decisions
                ],
                by=request.user,
            )
        except services.NetworkError as refusal:
            header.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                _("Les décisions du comité sont enregistrées ; les structures sont prévenues."),
            )
            return redirect(call)
    return render(
        request,
        "animation/committee.html",
        {
            "call": call,
            "criteria": criteria,
            "header": header,
            "decisions": decisions,
            "selected": call.applications.filter(status=ApplicationStatus.SELECTED).count(),
            "has_errors": bool(header.errors) or any(d.errors for d in decisions),
        },
    )
