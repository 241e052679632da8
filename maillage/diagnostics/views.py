from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.core import audit
from maillage.core.forms import errors_text
from maillage.core.models import AuditEvent
from maillage.core.pagination import paginate
from maillage.core.perms import require
from maillage.core.statemachine import TransitionNotAllowed
from maillage.diagnostics import services
from maillage.diagnostics.enums import RecommendationStatus
from maillage.diagnostics.forms import (
    AcceptForm,
    AreaForm,
    BarriersForm,
    OutcomeForm,
    SituationForm,
)
from maillage.diagnostics.models import Diagnostic, Framework, Orientation, Recommendation
from maillage.diagnostics.perms import can_diagnose
from maillage.network.models import Structure
from maillage.people.models import Beneficiary


def _visible_diagnostic(request: HttpRequest, pk: int) -> Diagnostic:
    return get_object_or_404(
        Diagnostic.objects.visible_to(request.user).select_related(
            "beneficiary", "framework", "structure"
        ),
        pk=pk,
    )


def diagnostic_list(request: HttpRequest) -> HttpResponse:
    require(can_diagnose(request.user))
    visible = Diagnostic.objects.visible_to(request.user).select_related(
        "beneficiary", "structure", "conducted_by", "framework"
    )
    return render(
        request,
        "diagnostics/diagnostic_list.html",
        {
            "in_progress": visible.in_progress()[:50],
            "page": paginate(request, visible.completed().order_by("-completed_at")),
        },
    )


@require_POST
def diagnostic_start(request: HttpRequest, reference: str) -> HttpResponse:
    person = get_object_or_404(
        Beneficiary.objects.visible_to(request.user).named(), reference=reference
    )
    framework = Framework.objects.current()
    if framework is None:
        messages.error(
            request, _("Aucun référentiel de compétences n'est chargé : prévenez l'administration.")
        )
        return redirect(person)
    diagnostic = services.start(person, framework, by=request.user)
    return redirect("diagnostics:diagnostic_step", diagnostic.pk, 0)


def diagnostic_step(request: HttpRequest, pk: int, step: int) -> HttpResponse:
    diagnostic = _visible_diagnostic(request, pk)
    if diagnostic.is_completed:
        return redirect(diagnostic)
    steps = diagnostic.framework.steps
    require(0 <= step < len(steps))
    if step > diagnostic.step:  # no skipping ahead of what was answered
        return redirect("diagnostics:diagnostic_step", pk, diagnostic.step)
    name = steps[step]
    form = _step_form(diagnostic, name, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.save_step(diagnostic, step, form.cleaned_data, by=request.user)
        if step + 1 < len(steps):
            return redirect("diagnostics:diagnostic_step", pk, step + 1)
        services.complete(diagnostic, by=request.user)
        messages.success(
            request, _("Diagnostic terminé. Voici le résultat et les recommandations.")
        )
        return redirect("diagnostics:diagnostic_detail", pk)
    area = diagnostic.framework.area(name) if name not in ("situation", "barriers") else None
    return render(
        request,
        "diagnostics/diagnostic_step.html",
        {
            "diagnostic": diagnostic,
            "beneficiary": diagnostic.beneficiary,
            "form": form,
            "step": step,
            "step_number": step + 1,
            "step_count": len(steps),
            "name": name,
            "area": area,
            "is_last": step + 1 == len(steps),
        },
    )


def _step_form(diagnostic: Diagnostic, name: str, data: Any) -> Any:
    framework = diagnostic.framework
    if name == "situation":
        initial = {
            "equipment": diagnostic.equipment,
            "connection": diagnostic.connection,
            # The device the person learns on: by default the best one they have.
            "learning_device": diagnostic.learning_device
            or (diagnostic.facts().device if not diagnostic.facts().has_no_device else ""),
        }
        return SituationForm(data, initial=initial)
    if name == "barriers":
        initial = {
            "barriers": diagnostic.barriers,
            "urgent_procedure": "yes"
            if diagnostic.urgent_procedure
            else (
                "no"
                if diagnostic.step >= len(framework.steps) - 1 and diagnostic.barriers
                else None
            ),
            "urgent_procedure_note": diagnostic.urgent_procedure_note,
        }
        return BarriersForm(data, framework=framework, initial=initial)
    area = framework.area(name)
    return AreaForm(data, framework=framework, area=area, initial=diagnostic.answers)


def diagnostic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    diagnostic = _visible_diagnostic(request, pk)
    if not diagnostic.is_completed:
        return redirect(diagnostic)
    audit.record(request.user, AuditEvent.Action.VIEW, diagnostic.beneficiary, note="diagnostic")
    recommendations = list(diagnostic.recommendations.all())
    structures = _orientation_places(request.user)
    forms = {
        r.pk: AcceptForm(
            kind=r.kind,
            framework=diagnostic.framework,
            structures=structures,
            initial={"external_service": r.target, "structure": diagnostic.structure_id},
            prefix=f"r{r.pk}",
        )
        for r in recommendations
        if r.status == RecommendationStatus.PROPOSED
    }
    return render(
        request,
        "diagnostics/diagnostic_detail.html",
        {
            "diagnostic": diagnostic,
            "beneficiary": diagnostic.beneficiary,
            "results": diagnostic.area_results(),
            "recommendations": [(r, forms.get(r.pk)) for r in recommendations],
            "barriers": _labels(diagnostic.framework.barrier_choices(), diagnostic.barriers),
        },
    )


def _labels(choices: list[tuple[str, str]], codes: list[str]) -> list[str]:
    table = dict(choices)
    return [table.get(code, code) for code in codes]


def _orientation_places(user: Any) -> Any:
    """Where a person may be sent inside the network: the structures this person sees."""
    return Structure.objects.visible_to(user)


def diagnostic_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """One page for the person, in plain French and large print, to print and take away."""
    diagnostic = _visible_diagnostic(request, pk)
    require(diagnostic.is_completed)
    audit.record(
        request.user, AuditEvent.Action.EXPORT, diagnostic.beneficiary, note="diagnostic summary"
    )
    return render(
        request,
        "diagnostics/diagnostic_summary.html",
        {
            "diagnostic": diagnostic,
            "beneficiary": diagnostic.beneficiary,
            "results": diagnostic.area_results(),
            "next_steps": diagnostic.recommendations.exclude(status=RecommendationStatus.DISMISSED),
        },
    )


def _visible_recommendation(request: HttpRequest, pk: int) -> Recommendation:
    return get_object_or_404(
        Recommendation.objects.filter(
            diagnostic__in=Diagnostic.objects.visible_to(request.user)
        ).select_related("diagnostic__framework", "diagnostic__beneficiary"),
        pk=pk,
    )


@require_POST
def recommendation_accept(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _visible_recommendation(request, pk)
    diagnostic = recommendation.diagnostic
    if recommendation.status != RecommendationStatus.PROPOSED:
        messages.error(request, _("Cette recommandation a déjà été traitée."))
        return redirect(diagnostic)
    form = AcceptForm(
        request.POST,
        kind=recommendation.kind,
        framework=diagnostic.framework,
        structures=_orientation_places(request.user),
        prefix=f"r{recommendation.pk}",
    )
    if not form.is_valid():
        messages.error(
            request,
            _("Vérifiez les précisions de l'orientation : %(errors)s")
            % {"errors": errors_text(form)},
        )
        return redirect(diagnostic)
    details = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    services.accept(recommendation, by=request.user, **details)
    messages.success(
        request, _("Orientation enregistrée : %(label)s.") % {"label": recommendation.label}
    )
    return redirect(diagnostic)


@require_POST
def recommendation_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _visible_recommendation(request, pk)
    services.dismiss(recommendation, by=request.user)
    messages.success(request, _("Recommandation écartée."))
    return redirect(recommendation.diagnostic)


@require_POST
def orientation_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    orientation = get_object_or_404(
        Orientation.objects.visible_to(request.user).select_related("beneficiary"), pk=pk
    )
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.record_outcome(
                orientation,
                form.cleaned_data["outcome"],
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except TransitionNotAllowed as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Suite enregistrée."))
    else:
        messages.error(request, _("Choisissez la suite de l'orientation."))
    return redirect(orientation.beneficiary)
