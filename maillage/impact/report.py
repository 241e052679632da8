"""A programme's report for its funders: every indicator over a period, and the breakdowns by
département, by course and by kind of device. Written as JSON or as a spreadsheet (one sheet per breakdown)."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext as _

from maillage.core.indicators import Filters, all_indicators
from maillage.impact.figures import Figures
from maillage.impact.publication import Disclosure, Secret
from maillage.learning.models import Course
from maillage.programmes.models import Programme
from maillage.stock.enums import DeviceKind

# Cells starting with these are formulas for a spreadsheet: a quote makes them text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _codes(breakdown: str | None = None) -> list[str]:
    return [
        indicator.code
        for indicator in all_indicators()
        if breakdown is None or breakdown in indicator.breakdowns
    ]


def _table(
    disclosure: Disclosure, by: dict[Any, Figures], names: dict[Any, str], breakdown: str
) -> dict[str, dict[str, Any]]:
    rows = disclosure.table(by, _codes(breakdown))
    return {names[key]: values for key, values in rows.items()}


def report_data(
    programme: Programme, start: date, end: date, disclosure: Disclosure
) -> dict[str, Any]:
    """`end` is included; a figure the reader may not see is `SECRET`."""
    figures = Figures(
        Filters(start, end + timedelta(days=1), programme_ids=frozenset({programme.pk}))
    )
    departments = dict(programme.departments.order_by("code").values_list("pk", "code"))
    courses = dict(
        Course.objects.filter(cohorts__programme=programme)
        .distinct()
        .order_by("code")
        .values_list("pk", "code")
    )
    return {
        "programme": programme.slug,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "indicators": disclosure.values(figures, _codes()),
        "breakdowns": {
            "department": _table(
                disclosure, figures.by("department", departments), departments, "department"
            ),
            "course": _table(disclosure, figures.by("course", courses), courses, "course"),
            "device_kind": _table(
                disclosure,
                figures.by("device_kind", DeviceKind.values),
                {kind: kind for kind in DeviceKind.values},
                "device_kind",
            ),
        },
    }


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is kept as text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    if isinstance(value, dict):
        return ", ".join(f"{k} : {v}" for k, v in value.items())
    if isinstance(value, Secret):
        return str(value)
    return value


def report_xlsx(programme: Programme, data: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    labels = {i.code: str(i.label) for i in all_indicators()}
    definitions = {i.code: str(i.definition) for i in all_indicators()}
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Indicateurs")
    sheet.append([safe_cell(programme.name)])
    sheet.append(
        [safe_cell(_("Du %(start)s au %(end)s") % {"start": data["from"], "end": data["to"]})]
    )
    sheet.append([])
    sheet.append([_("Indicateur"), _("Code"), _("Valeur"), _("Comment est-ce calculé ?")])
    for code, value in data["indicators"].items():
        sheet.append(
            [safe_cell(labels[code]), code, safe_cell(_cell(value)), safe_cell(definitions[code])]
        )
    titles = {
        "department": _("Par département"),
        "course": _("Par parcours"),
        "device_kind": _("Par type d'équipement"),
    }
    for breakdown, rows in data["breakdowns"].items():
        page = workbook.create_sheet(str(titles[breakdown])[:31])
        codes = list(next(iter(rows.values()), {}).keys())
        page.append([str(titles[breakdown]), *(safe_cell(labels[c]) for c in codes)])
        for key, values in rows.items():
            page.append([safe_cell(key), *(safe_cell(_cell(values[c])) for c in codes)])
    for each in workbook.worksheets:
        for cell in each[1 if each.title != sheet.title else 4]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
