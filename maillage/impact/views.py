from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.core import audit
from maillage.core.forms import delete_line, save_line
from maillage.core.models import AuditEvent
from maillage.core.perms import require, scope_of
from maillage.impact import charts as charts_module
from maillage.impact.figures import Figures
from maillage.impact.forms import PeriodForm, TargetForm
from maillage.impact.pdf import report_pdf
from maillage.impact.publication import THRESHOLD, share_cell, suppress_column
from maillage.impact.registry import Filters, all_indicators
from maillage.impact.registry import get as get_indicator
from maillage.impact.report import report_data, report_xlsx
from maillage.people.enums import AgeBand
from maillage.programmes.models import Programme, Target
from maillage.territories.models import Department


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
    figures = Figures(filters)
    rows = []
    for indicator in all_indicators():
        value = figures.value(indicator.code)
        if indicator.unit == "distribution":
            value = [(AgeBand(band).label, count) for band, count in value.items()]
        rows.append((indicator, value))
    charts = []
    for code in ("parcours_realised", "people_accompanied"):
        series = charts_module.monthly(code, figures)
        if series is not None:
            charts.append(
                {"id": code, "label": get_indicator(code).label, **charts_module.bars(series)}
            )
    return render(
        request,
        "impact/indicators.html",
        {
            "form": form,
            "rows": rows,
            "start": start,
            "end": end,
            "scope": filters,
            "charts": charts,
        },
    )


@require_POST
def target_add(request: HttpRequest, slug: str) -> HttpResponse:
    require(scope_of(request.user).is_admin)
    programme = get_object_or_404(Programme, slug=slug)
    form = TargetForm(request.POST, programme=programme)
    save_line(
        request,
        form,
        fields=["indicator", "value", "deadline", "department"],
        added=_("Objectif ajouté."),
        refused=_("L'objectif n'a pas été ajouté : %(errors)s"),
    )
    return redirect(programme)


@require_POST
def target_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    require(scope_of(request.user).is_admin)
    target = get_object_or_404(Target, programme__slug=slug, pk=pk)
    delete_line(
        request, target, fields=["indicator", "value", "deadline"], removed=_("Objectif supprimé.")
    )
    return redirect(target.programme)


def report_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The programme's report over its period (or `du`/`au`), as JSON or a spreadsheet."""
    programme = get_object_or_404(Programme.objects.visible_to(request.user), slug=slug)
    require(fmt in ("json", "xlsx", "pdf"))
    start = programme.start
    end = min(programme.end or timezone.localdate(), timezone.localdate())
    form = PeriodForm(
        {"start": request.GET.get("du", start), "end": request.GET.get("au", end)},
        programmes=Programme.objects.filter(pk=programme.pk),
    )
    if not form.is_valid():
        return HttpResponse(
            _("Période invalide : %(errors)s") % {"errors": form.errors.as_text()},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    data = report_data(programme, form.cleaned_data["start"], form.cleaned_data["end"])
    audit.record(request.user, AuditEvent.Action.EXPORT, programme, note=f"report {fmt}")
    name = f"rapport-{programme.slug}-{data['from']}-{data['to']}.{fmt}"
    if fmt == "json":
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
    elif fmt == "pdf":
        response = HttpResponse(
            report_pdf(programme, data, form.cleaned_data["start"], form.cleaned_data["end"]),
            content_type="application/pdf",
        )
    else:
        response = HttpResponse(
            report_xlsx(programme, data),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_not_required
def public_statistics(request: HttpRequest) -> HttpResponse:
    """National figures and figures per département, for everyone; small counts about people
    are hidden."""
    today = timezone.localdate()
    years = list(range(today.year, today.year - 6, -1))
    try:
        year = int(request.GET.get("annee", today.year - 1))
    except ValueError:
        year = today.year - 1
    if year not in years:
        year = today.year - 1
    period = Filters(date(year, 1, 1), date(year + 1, 1, 1))
    departments = list(
        Department.objects.filter(communes__structures__isnull=False).distinct().order_by("code")
    )
    rows = []
    people_counts = []
    national = Figures(period)
    by_department = national.by("department", [d.pk for d in departments])
    for department in departments:
        figures = by_department[department.pk]
        women, men = figures.gender_counts()
        people = figures.value("people_accompanied")
        parcours = figures.value("parcours_realised")
        relays = figures.value("relays_active")
        if not (people or parcours or relays):
            continue
        rows.append(
            {
                "department": department,
                "parcours": parcours,
                "relays": relays,
                "women_share": share_cell(women, women + men),
            }
        )
        people_counts.append(people)
    for row, cell in zip(rows, suppress_column(people_counts), strict=True):
        row["people"] = cell
    national_women, national_men = national.gender_counts()
    return render(
        request,
        "impact/public_statistics.html",
        {
            "year": year,
            "years": years,
            "rows": rows,
            "national": {
                "people": suppress_column([national.value("people_accompanied")])[0],
                "parcours": national.value("parcours_realised"),
                "relays": national.value("relays_active"),
                "women_share": share_cell(national_women, national_women + national_men),
            },
            "threshold": THRESHOLD,
        },
    )
