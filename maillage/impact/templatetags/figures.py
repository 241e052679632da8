from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import floatformat
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from maillage.people.enums import AgeBand

register = template.Library()


@register.filter
def figure(value: Any, unit: str) -> str | SafeString:
    """An indicator's value as read in French: `0,62` share → « 62 % », 59.3 years → « 59,3
    ans », hours without decimals, counts with a thousands separator, an age distribution
    ({band: count}) as a list with the bands' labels."""
    if value is None:
        return "—"
    if unit == "share":
        return f"{round(value * 100)} %"
    if unit == "years":
        return _("%(age)s ans") % {"age": floatformat(value, "-1")}
    if unit == "hours":
        return f"{floatformat(value, '0g')} h"
    if unit == "distribution":
        return format_html(
            '<ul class="distribution">{}</ul>',
            format_html_join(
                "", "<li>{} : {}</li>", ((AgeBand(band).label, n) for band, n in value.items())
            ),
        )
    if isinstance(value, int):
        return formats.number_format(value, force_grouping=True)
    return floatformat(value, "g")
