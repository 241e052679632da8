from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.core import audit
from maillage.core.models import AuditEvent
from maillage.core.perms import require, scope_of
from maillage.impact.forms import PeriodForm, TargetForm
from maillage.impact.registry import Filters, all_indicators
from maillage.people.enums import AgeBand
from maillage.programmes.models import Programme, Target


def scope_filters(user: Any, start: Any, end: Any) -> Filters:
    """The figures a person may read: national for the national team, else their région,
    their départements, their structure, or the programmes they fund."""
    scope = scope_of(user)
    filters = Filters(start, end)
    if scope.is_admin:
        return filters
    if scope.region_ids:
        return filters.narrowed(region_ids=scope.region_ids)
    if scope.department_ids:
        return filters.narrowed(department_ids=scope.department_ids)
    if scope.structure_ids:
        return filters.narrowed(structure_ids=scope.structure_ids)
    return filters.narrowed(programme_ids=scope.programme_ids)


def indicators(request: HttpRequest) -> HttpResponse:
    """Every indicator of the registry for the person's scope and a period, with its
    definition."""
    require(not scope_of(request.user).is_empty)
    programmes = Programme.objects.visible_to(request.user)
    start, end = PeriodForm.default_period()
    form = PeriodForm(
        request.GET or None, programmes=programmes, initial={"start": start, "end": end}
    )
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    filters = scope_filters(request.user, start, end + timedelta(days=1))
    if form.is_bound and form.is_valid() and form.cleaned_data["programme"]:
        filters = filters.narrowed(programme_ids=frozenset({form.cleaned_data["programme"].pk}))
    rows = []
    for indicator in all_indicators():
        value = indicator.compute(filters)
        if indicator.unit == "distribution":
            value = [(AgeBand(band).label, count) for band, count in value.items()]
        rows.append((indicator, value))
    return render(
        request,
        "impact/indicators.html",
        {"form": form, "rows": rows, "start": start, "end": end, "scope": filters},
    )


@require_POST
def target_add(request: HttpRequest, slug: str) -> HttpResponse:
    require(scope_of(request.user).is_admin)
    programme = get_object_or_404(Programme, slug=slug)
    form = TargetForm(request.POST, programme=programme)
    if form.is_valid():
        target = form.save()
        audit.record(
            request.user,
            AuditEvent.Action.CREATE,
            target,
            changes=audit.values(target, ["indicator", "value", "deadline", "department"]),
        )
        messages.success(request, _("Objectif ajouté."))
    else:
        messages.error(
            request,
            _("L'objectif n'a pas été ajouté : %(errors)s")
            % {"errors": " ".join(str(e) for errors in form.errors.values() for e in errors)},
        )
    return redirect(programme)


@require_POST
def target_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    require(scope_of(request.user).is_admin)
    target = get_object_or_404(Target, programme__slug=slug, pk=pk)
    audit.record(
        request.user,
        AuditEvent.Action.DELETE,
        target,
        changes=audit.values(target, ["indicator", "value", "deadline"]),
    )
    target.delete()
    messages.success(request, _("Objectif supprimé."))
    return redirect(target.programme)
