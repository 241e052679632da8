from __future__ import annotations

from html import escape
from typing import Any

from django import template
from django.template.defaultfilters import floatformat
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from maillage.impact.publication import Secret
from maillage.people.enums import AgeBand

register = template.Library()


@register.filter
def figure(value: Any, unit: str) -> str | SafeString:
    """An indicator's value as read in French: `0,62` share → « 62 % », 59.3 years → « 59,3
    ans », hours without decimals, counts with a thousands separator, an age distribution
    ({band: count}) as a list with the bands' labels, a withheld figure as « secret »."""
    if value is None:
        return "—"
    if isinstance(value, Secret):
        return str(value)
    if unit == "share":
        return f"{round(value * 100)} %"
    if unit == "years":
        return _("%(age)s ans") % {"age": floatformat(value, "-1")}
    if unit == "euros":
        return f"{floatformat(value, '-2g')} €"
    if unit == "hours":
        return f"{floatformat(value, '0g')} h"
    if unit == "distribution":
        return format_html(
            '<ul class="distribution">{}</ul>',
            format_html_join(
                "", "<li>{} : {}</li>", ((AgeBand(band).label, n) for band, n in value.items())
            ),
        )
    if isinstance(value, int):  # as formats.number_format(value, force_grouping=True), faster
        return f"{value:,}".replace(",", formats.get_format("THOUSAND_SEPARATOR"))
    return floatformat(value, "g")


@register.simple_tag
def breakdown_rows(table: Any) -> SafeString:
    """The rows of a breakdown table (`dashboard.Table`): a département's table holds hundreds
    of cells, rendered here in one pass rather than by nested template loops."""
    html = []
    for row in table.rows:
        html.append(
            f'<tr><th scope="row"><a href="{escape(row.link)}">{escape(row.label)}</a></th>'
        )
        for cell in row.cells:
            text = figure(cell.value, cell.unit)
            text = text if isinstance(text, SafeString) else escape(text)
            if cell.link:
                text = f'<a href="{escape(cell.link)}">{text}</a>'
            html.append(f'<td class="number">{text}</td>')
        html.append("</tr>")
    return mark_safe("".join(html))  # noqa: S308 (every value escaped above)
