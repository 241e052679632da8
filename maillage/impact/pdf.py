"""A programme's report as a PDF for its funders: a narrative in French written from the
figures, the charts, the targets and the breakdown by département. Tagged (PDF/UA) so that a
screen reader can read it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import formats
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from maillage.core.indicators import Filters, all_indicators
from maillage.core.pdf import render_pdf
from maillage.impact import charts, equipment
from maillage.impact.figures import Figures
from maillage.impact.publication import Disclosure, Secret
from maillage.impact.targets import programme_progress
from maillage.programmes.models import Programme
from maillage.stock.enums import DeviceKind
from maillage.territories.models import Department

MONTH_WORDS = (
    "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze",
    "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf",
    "vingt", "vingt et un", "vingt-deux", "vingt-trois", "vingt-quatre",
)  # fmt: skip


def months_between(start: date, end: date) -> int:
    """Whole calendar months from `start` to `end` included (rounded to the nearest)."""
    days = (end - start).days + 1
    return max(1, round(days / 30.44))


def _number(value: Any) -> str:
    return formats.number_format(value, force_grouping=True)


def narrative(data: dict[str, Any], start: date, end: date) -> list[str]:
    """Sentences in the spirit of the network's own reports, only from the figures."""
    values = data["indicators"]
    months = months_between(start, end)
    in_words = months <= len(MONTH_WORDS) and (get_language() or "fr").startswith("fr")
    duration = MONTH_WORDS[months - 1] if in_words else _number(months)
    parcours, people = values["parcours_realised"], values["people_accompanied"]
    first = ngettext(
        "En %(duration)s mois, %(parcours)s parcours a été réalisé",
        "En %(duration)s mois, %(parcours)s parcours ont été réalisés",
        parcours,
    ) % {"duration": duration, "parcours": _number(parcours)}
    departments = len([d for d in data["breakdowns"]["department"].values() if any(d.values())])
    if departments > 1:
        first += _(" dans %(count)s départements") % {"count": departments}
    if isinstance(people, Secret):
        first += _(", permettant d'accompagner moins de 11 personnes (nombre non publié).")
    else:
        first += ngettext(
            ", permettant d'accompagner %(people)s personne.",
            ", permettant d'accompagner %(people)s personnes.",
            people,
        ) % {"people": _number(people)}
    sentences = [first]
    workshops, drop_ins = values["workshops"], values["drop_ins"]
    if workshops or drop_ins:
        sentences.append(
            _("S'y ajoutent %(workshops)s ateliers et %(drop_ins)s permanences.")
            % {"workshops": _number(workshops), "drop_ins": _number(drop_ins)}
        )
    if values["structures_joined"]:
        sentences.append(
            ngettext(
                "%(count)s structure est devenue Relais Numérique.",
                "%(count)s structures sont devenues Relais Numériques.",
                values["structures_joined"],
            )
            % {"count": _number(values["structures_joined"])}
        )
    portrait = []
    if values["women_share"] is not None and not isinstance(values["women_share"], Secret):
        portrait.append(
            _("%(share)s %% sont des femmes") % {"share": round(100 * values["women_share"])}
        )
    if values["average_age"] is not None and not isinstance(values["average_age"], Secret):
        portrait.append(
            _("leur âge moyen est de %(age)s ans") % {"age": _number(round(values["average_age"]))}
        )
    if portrait:
        sentences.append(
            _("Parmi les personnes accompagnées, %(portrait)s.")
            % {"portrait": _(" ; ").join(portrait)}
        )
    equipped = []
    if values.get("devices_sold"):
        n = values["devices_sold"]
        equipped.append(
            ngettext("%(n)s équipement vendu", "%(n)s équipements vendus", n) % {"n": _number(n)}
        )
    if values.get("devices_given"):
        n = values["devices_given"]
        equipped.append(
            ngettext("%(n)s équipement donné", "%(n)s équipements donnés", n) % {"n": _number(n)}
        )
    if values.get("sims_distributed"):
        n = values["sims_distributed"]
        equipped.append(
            ngettext("%(n)s carte SIM distribuée", "%(n)s cartes SIM distribuées", n)
            % {"n": _number(n)}
        )
    if equipped:
        sentences.append(_("Pour équiper et connecter : %(what)s.") % {"what": ", ".join(equipped)})
    if values["learner_hours"]:
        sentences.append(
            _("Au total, %(hours)s heures d'apprentissage ont été dispensées.")
            % {"hours": _number(round(values["learner_hours"]))}
        )
    return sentences


def report_pdf(
    programme: Programme, data: dict[str, Any], start: date, end: date, disclosure: Disclosure
) -> bytes:
    figures = Figures(
        Filters(start, end + timedelta(days=1), programme_ids=frozenset({programme.pk}))
    )
    drawn = []
    for code in ("parcours_realised", "people_accompanied"):
        series = charts.monthly(code, figures, disclosure)
        if series:
            indicator = next(i for i in all_indicators() if i.code == code)
            drawn.append({"id": code, "label": indicator.label, **charts.bars(series)})
    names = dict(Department.objects.values_list("code", "name"))
    columns = [
        i
        for i in all_indicators()
        if "department" in i.breakdowns and i.unit == "count" and i.code not in equipment.CODES
    ]
    device_columns = [i for i in all_indicators() if "device_kind" in i.breakdowns]
    return render_pdf(
        "impact/report_pdf.html",
        {
            "programme": programme,
            "start": start,
            "end": end,
            "narrative": narrative(data, start, end),
            "indicators": [
                (i, data["indicators"][i.code])
                for i in all_indicators()
                if i.code in data["indicators"]
            ],
            "charts": drawn,
            "progress": programme_progress(programme, disclosure),
            "columns": columns,
            "device_columns": device_columns,
            "device_kinds": [
                (DeviceKind(kind).label, [values.get(c.code) for c in device_columns])
                for kind, values in data["breakdowns"]["device_kind"].items()
                if any(values.values())
            ],
            "departments": [
                (code, names.get(code, code), [values.get(c.code) for c in columns])
                for code, values in data["breakdowns"]["department"].items()
            ],
        },
    )
