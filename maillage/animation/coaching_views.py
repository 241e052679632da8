"""Staff pages of the coaching of structures: the plan (diagnosis, action items, follow-up log)
and the closing committee."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.animation import services
from maillage.animation.enums import ApplicationStatus, CoachingStatus
from maillage.animation.forms import (
    ActionItemForm,
    ClosingForm,
    DiagnosisForm,
    FollowUpForm,
    StartCoachingForm,
)
from maillage.animation.indicators import achievements
from maillage.animation.models import Call, ClosingCommittee, CoachingPlan
from maillage.animation.perms import can_coach, can_see_coaching, may_start_coaching
from maillage.core import audit
from maillage.core.forms import bind
from maillage.core.models import AuditEvent
from maillage.core.pagination import paginate
from maillage.core.perms import require
from maillage.core.query import int_param
from maillage.network.models import Structure


def plan_list(request: HttpRequest) -> HttpResponse:
    require(can_see_coaching(request.user))
    plans = CoachingPlan.objects.visible_to(request.user)
    today = timezone.localdate()
    plans = plans.select_related("structure__commune", "coach").with_last_contact()
    shown = request.GET.get("etat", "open")
    if shown == "open":
        plans = plans.followed_on(today)
    elif shown == "closed":
        plans = plans.filter(status=CoachingStatus.CLOSED)
    if request.GET.get("coach") == "moi":
        plans = plans.filter(coach_id=request.user.pk)
    return render(
        request,
        "animation/plan_list.html",
        {
            "page": paginate(request, plans.order_by("last_contact", "pk")),  # type: ignore[misc]
            "shown": shown,
            "mine": request.GET.get("coach") == "moi",
            "silence_limit": today - timedelta(days=settings.COACHING_SILENCE_DAYS),
            "silence_days": settings.COACHING_SILENCE_DAYS,
        },
    )


def plan_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the coaching of a selected structure."""
    structure = get_object_or_404(Structure.objects.visible_to(request.user), pk=pk)
    require(may_start_coaching(request.user, structure))
    application = (
        structure.applications.filter(status=ApplicationStatus.SELECTED, coaching_plan__isnull=True)
        .select_related("call")
        .order_by("-decided_at")
        .first()
    )
    initial = {
        "coach": request.user.pk,
        "starts_on": timezone.localdate(),
        "months": application.call.coaching_months if application else 16,
    }
    form = bind(request, StartCoachingForm, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.start_coaching(
                structure,
                coach=form.cleaned_data["coach"],
                starts_on=form.cleaned_data["starts_on"],
                months=form.cleaned_data["months"],
                application=application,
                by=request.user,
            )
        except services.NetworkError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request, _("L'accompagnement commence ; écrivez le diagnostic de la structure.")
            )
            return redirect("animation:plan_diagnosis", plan.pk)
    return render(
        request,
        "animation/plan_start.html",
        {"structure": structure, "form": form, "application": application},
    )


def _plan(request: HttpRequest, pk: int) -> CoachingPlan:
    return get_object_or_404(
        CoachingPlan.objects.visible_to(request.user).select_related(
            "structure__commune__department", "coach", "application__call", "closing"
        ),
        pk=pk,
    )


def _editable_plan(request: HttpRequest, pk: int) -> CoachingPlan:
    plan = _plan(request, pk)
    require(CoachingPlan.objects.editable_by(request.user).filter(pk=pk).exists())
    return plan


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    can_edit = CoachingPlan.objects.editable_by(request.user).filter(pk=pk).exists()
    today = timezone.localdate()
    last_contact = plan.last_contact_on()
    end = plan.closed_on or today
    return render(
        request,
        "animation/plan_detail.html",
        {
            "plan": plan,
            "can_edit": can_edit,
            "actions": plan.actions.all(),
            "followups": plan.followups.select_related("by"),
            "followup_form": FollowUpForm(plan=plan) if can_edit else None,
            "action_form": ActionItemForm() if can_edit and plan.is_open else None,
            "last_contact": last_contact,
            "silent": (today - last_contact).days >= settings.COACHING_SILENCE_DAYS
            and CoachingPlan.objects.followed_on(today).filter(pk=plan.pk).exists(),
            "figures": achievements([plan.structure_id], plan.starts_on, end + timedelta(days=1)),
        },
    )


def plan_diagnosis(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    before = audit.values(plan, CoachingPlan.DIAGNOSIS_FIELDS)
    form = bind(request, DiagnosisForm, instance=plan)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            plan = form.save()
            changes = audit.diff(before, audit.values(plan, CoachingPlan.DIAGNOSIS_FIELDS))
            audit.record(
                request.user, AuditEvent.Action.UPDATE, plan, changes={k: [] for k in changes}
            )
        messages.success(request, _("Le diagnostic de la structure est enregistré."))
        return redirect(plan)
    return render(request, "animation/plan_diagnosis.html", {"plan": plan, "form": form})


@require_POST
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    require(plan.is_open)
    form = ActionItemForm(request.POST)
    if form.is_valid():
        audit.save_form(form, request.user, plan=plan)
        messages.success(request, _("L'action est ajoutée au plan."))
        return redirect(f"{plan.get_absolute_url()}#plan-actions")
    return render(
        request,
        "animation/action_form.html",
        {"plan": plan, "form": form, "action": None},
    )


def action_edit(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    action = get_object_or_404(plan.actions, pk=action_pk)
    form = bind(request, ActionItemForm, instance=action)
    if request.method == "POST" and form.is_valid():
        action = audit.save_form(form, request.user, fields=action.EDITABLE_FIELDS)
        messages.success(request, _("L'action est mise à jour."))
        return redirect(f"{plan.get_absolute_url()}#plan-actions")
    return render(
        request, "animation/action_form.html", {"plan": plan, "form": form, "action": action}
    )


@require_POST
def followup_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    form = FollowUpForm(request.POST, plan=plan)
    if form.is_valid():
        audit.save_form(form, request.user, plan=plan, by=request.user)
        messages.success(request, _("Le contact est noté dans le suivi."))
        return redirect(f"{plan.get_absolute_url()}#suivi")
    return render(request, "animation/followup_form.html", {"plan": plan, "form": form})


# --- Closing committee ------------------------------------------------------------------------


def closing_create(request: HttpRequest) -> HttpResponse:
    """Close the coaching of one or several structures (e.g. all those of a call)."""
    require(can_coach(request.user))
    call = None
    plans = CoachingPlan.objects.editable_by(request.user).filter(status=CoachingStatus.IN_PROGRESS)
    if request.GET.get("appel"):
        call = get_object_or_404(
            Call.objects.managed_by(request.user), pk=int_param(request, "appel")
        )
        plans = plans.filter(structure_id__in=call.selected_structure_ids())
    plans = plans.select_related("structure").order_by("structure__name")
    require(plans.exists())
    form = bind(request, ClosingForm, plans=plans, initial={"plans": list(plans)})
    if request.method == "POST" and form.is_valid():
        try:
            closing = services.close_coaching(
                form.cleaned_data["plans"],
                held_on=form.cleaned_data["held_on"],
                attendees=form.cleaned_data["attendees"],
                minutes=form.cleaned_data["minutes"],
                call=call,
                by=request.user,
            )
        except services.NetworkError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                _("Le comité de clôture est enregistré : les structures sont Relais Numériques."),
            )
            return redirect(closing)
    return render(request, "animation/closing_form.html", {"form": form, "call": call})


def closing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    closing = get_object_or_404(ClosingCommittee.objects.select_related("call"), pk=pk)
    plans = list(
        CoachingPlan.objects.visible_to(request.user)
        .filter(closing=closing)
        .select_related("structure", "coach")
    )
    require(bool(plans))
    start = min(p.starts_on for p in plans)
    figures = achievements(
        [p.structure_id for p in plans], start, closing.held_on + timedelta(days=1)
    )
    return render(
        request,
        "animation/closing_detail.html",
        {"closing": closing, "plans": plans, "start": start, "figures": figures},
    )
