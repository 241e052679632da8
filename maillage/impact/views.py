from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.accounts.second_factor import reauthenticated
from maillage.core import audit
from maillage.core.forms import delete_line, save_line
from maillage.core.indicators import Filters, Indicator, all_indicators
from maillage.core.indicators import get as get_indicator
from maillage.core.models import AuditEvent
from maillage.core.pagination import paginate, query_string
from maillage.core.perms import require
from maillage.impact import charts as charts_module
from maillage.impact.dashboard import (
    Level,
    breakdown_tables,
    dashboard_form,
    level_of,
    records_link,
)
from maillage.impact.figures import Figures
from maillage.impact.forms import DashboardForm, PeriodForm, TargetForm, last_twelve_months
from maillage.impact.pdf import report_pdf
from maillage.impact.perms import can_list_records, can_read_figures
from maillage.impact.publication import (
    THRESHOLD,
    Disclosure,
    FigureEncoder,
    Secret,
    last_year_with_activity,
    share_cell,
    suppress_column,
)
from maillage.impact.report import report_data, report_xlsx, safe_cell
from maillage.programmes.models import Programme, Target
from maillage.programmes.perms import can_edit_programmes
from maillage.territories.models import Department

# The indicators drawn month by month on the dashboard.
CHARTED = ("parcours_realised", "people_accompanied")


def _dashboard_state(request: HttpRequest) -> tuple[DashboardForm, Level]:
    """The filters of the request and the place they open; a territory or structure outside
    the person's scope answers 404."""
    require(can_read_figures(request.user))
    form = dashboard_form(request.user, request.GET)
    require(not (form.is_bound and ("territoire" in form.errors or "structure" in form.errors)))
    return form, level_of(request.user, form, request.GET)


def dashboard(request: HttpRequest) -> HttpResponse:
    """The figures of the person's scope over whole months: every indicator of the registry
    with its definition, monthly charts with their tables, and breakdowns one level below."""
    form, level = _dashboard_state(request)
    figures = Figures(level.filters)
    disclosure = Disclosure.for_reader(request.user)
    lists = can_list_records(request.user)
    charts = []  # first: the totals then add up the months already read
    for code in CHARTED:
        if not level.applies(get_indicator(code)):
            continue
        series = charts_module.monthly(code, figures, disclosure)
        if series is not None:
            charts.append(
                {"id": code, "label": get_indicator(code).label, **charts_module.bars(series)}
            )
    rows: list[tuple[Indicator, Any, str | None]] = []
    for indicator in all_indicators():
        if not level.applies(indicator):
            rows.append((indicator, None, None))
            continue
        value = disclosure.value(figures, indicator.code)
        listed = lists and indicator.records and not isinstance(value, Secret)
        link = records_link(indicator.code, request.GET) if listed else None
        rows.append((indicator, value, link))
    tables = breakdown_tables(level, figures, form, request.GET, lists=lists, disclosure=disclosure)
    start, end = level.filters.start, level.filters.end
    return render(
        request,
        "impact/dashboard.html",
        {
            "form": form,
            "level": level,
            "rows": rows,
            "start": start,
            "last": end - timedelta(days=1),
            "charts": charts,
            "tables": tables,
            "presets": _presets(request),
        },
    )


def _presets(request: HttpRequest) -> list[tuple[str, str]]:
    """Common periods, one click away."""
    today = timezone.localdate()
    first, last = last_twelve_months(today)
    year = today.year
    return [
        (_("12 derniers mois"), query_string(request.GET, du=f"{first:%Y-%m}", au=f"{last:%Y-%m}")),
        (
            _("Année %(year)s") % {"year": year},
            query_string(request.GET, du=f"{year}-01", au=f"{year}-12"),
        ),
        (
            _("Année %(year)s") % {"year": year - 1},
            query_string(request.GET, du=f"{year - 1}-01", au=f"{year - 1}-12"),
        ),
    ]


def indicator_records(request: HttpRequest, code: str) -> HttpResponse:
    """The records behind one figure of the dashboard that the person may see (never for
    funders, who read aggregates only)."""
    require(can_list_records(request.user))
    indicator = next((i for i in all_indicators() if i.code == code), None)
    require(indicator is not None and indicator.records is not None)
    assert indicator is not None and indicator.records is not None
    _form, level = _dashboard_state(request)
    require(level.applies(indicator))
    value = Figures(level.filters).value(code)
    page = paginate(request, indicator.records(level.filters, request.user))
    return render(
        request,
        "impact/indicator_records.html",
        {
            "indicator": indicator,
            "value": value,
            "level": level,
            "page": page,
            "start": level.filters.start,
            "last": level.filters.end - timedelta(days=1),
            "back": query_string(request.GET),
        },
    )


@require_POST
def target_add(request: HttpRequest, slug: str) -> HttpResponse:
    require(can_edit_programmes(request.user))
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
    require(can_edit_programmes(request.user))
    target = get_object_or_404(Target, programme__slug=slug, pk=pk)
    delete_line(
        request, target, fields=["indicator", "value", "deadline"], removed=_("Objectif supprimé.")
    )
    return redirect(target.programme)


@reauthenticated
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
    disclosure = Disclosure.for_reader(request.user)
    data = report_data(programme, form.cleaned_data["start"], form.cleaned_data["end"], disclosure)
    audit.record(request.user, AuditEvent.Action.EXPORT, programme, note=f"report {fmt}")
    name = f"rapport-{programme.slug}-{data['from']}-{data['to']}.{fmt}"
    if fmt == "json":
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2, cls=FigureEncoder),
            content_type="application/json; charset=utf-8",
        )
    elif fmt == "pdf":
        response = HttpResponse(
            report_pdf(
                programme,
                data,
                form.cleaned_data["start"],
                form.cleaned_data["end"],
                disclosure,
            ),
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
    are hidden. It opens on the last whole year that has activity; `?format=csv` gives the
    table as a file (with the same cells hidden)."""
    today = timezone.localdate()
    latest = last_year_with_activity(today)
    years = list(range(today.year, min(today.year - 5, latest) - 1, -1))
    try:
        year = int(request.GET.get("annee", latest))
    except ValueError:
        year = latest
    if year not in years:
        year = latest
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
    if request.GET.get("format") == "csv":
        return _statistics_csv(year, rows)
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


def _statistics_csv(year: int, rows: list[dict[str, Any]]) -> HttpResponse:
    """The public table by département as CSV: « secret » where the page says it."""

    def shown(cell: Any, percent: bool = False) -> Any:
        if cell.hidden:
            return _("secret")
        if cell.value is None:
            return ""
        return round(cell.value * 100) if percent else cell.value

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="statistiques-{year}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Code du département"),
            _("Département"),
            _("Personnes accompagnées"),
            _("Parcours réalisés"),
            _("Relais Numériques"),
            _("Part des femmes (%)"),
        ]
    )
    for row in rows:
        writer.writerow(
            [
                row["department"].code,
                safe_cell(row["department"].name),
                shown(row["people"]),
                row["parcours"],
                row["relays"],
                shown(row["women_share"], percent=True),
            ]
        )
    return response
