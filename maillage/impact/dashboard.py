"""The dashboard of a person's scope: the place it shows (national, a région, a département, a
structure, or the programmes a funder follows), the tables that break its figures down one
level below, and the links from each figure to the level below or to the records behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core.indicators import Filters, Indicator
from maillage.core.indicators import get as get_indicator
from maillage.core.pagination import PAGE_SIZE, query_string
from maillage.core.roles import scope_of
from maillage.impact.figures import Figures
from maillage.impact.forms import DashboardForm
from maillage.impact.perms import can_list_records
from maillage.impact.publication import Disclosure, Secret
from maillage.network.models import Structure
from maillage.programmes.models import Programme
from maillage.territories.models import Department, Region

# The figures of every breakdown table, when the indicator supports the breakdown.
COLUMNS = (
    "parcours_realised",
    "people_accompanied",
    "sessions_held",
    "workshops",
    "drop_ins",
    "diagnostics",
    "relays_active",
)


def scope_filters(user: Any, start: date, end: date) -> Filters:
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


def departments_of(user: Any) -> QuerySet[Department]:
    """The départements (with structures) whose figures the person may read as a whole, as
    `scope_filters` reads them: all for the national team, those of their régions or their
    own for staff, those of their programmes' partners for funders, none for a referent."""
    scope = scope_of(user)
    structures = Structure.objects.all()
    if scope.structure_ids and not (scope.is_admin or scope.region_ids or scope.department_ids):
        structures = structures.none()
    elif not (scope.is_admin or scope.region_ids or scope.department_ids):
        structures = structures.filter(programmes__in=scope.programme_ids)
    departments = (
        Department.objects.filter(pk__in=structures.values("commune__department_id"))
        .select_related("region")
        .order_by("region__name", "code")
    )
    if scope.region_ids and not scope.is_admin:
        return departments.filter(region_id__in=scope.region_ids)
    if scope.department_ids and not scope.is_admin:
        return departments.filter(pk__in=scope.department_ids)
    return departments


@dataclass
class Places:
    """The départements and the whole régions whose figures a person may read, fetched once
    per request."""

    departments: list[Department]
    whole_regions: list[Region]

    @classmethod
    def of(cls, user: Any) -> Places:
        """Whole régions: every région with structures for the national team and for funders
        (their figures stay those of their programmes), their own for regional managers."""
        scope = scope_of(user)
        departments = list(departments_of(user))
        if scope.region_ids and not scope.is_admin:
            regions = list(Region.objects.filter(pk__in=scope.region_ids).order_by("name"))
        elif scope.is_admin or not (scope.department_ids or scope.structure_ids):
            found = {d.region.pk: d.region for d in departments if d.region is not None}
            regions = sorted(found.values(), key=lambda region: region.name)
        else:
            regions = []
        return cls(departments, regions)

    def choices(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The territory select's options: per région, the whole région when allowed, then its
        départements."""
        whole = {region.pk for region in self.whole_regions}
        groups: dict[str, list[tuple[str, str]]] = {}
        for department in self.departments:
            region = department.region
            options = groups.setdefault(region.name if region else _("Hors région"), [])
            if not options and region is not None and region.pk in whole:
                options.append(
                    (f"r:{region.pk}", _("%(region)s (toute la région)") % {"region": region.name})
                )
            options.append((f"d:{department.pk}", f"{department.name} ({department.code})"))
        return list(groups.items())


def dashboard_form(user: Any, data: QueryDict | None) -> DashboardForm:
    places = Places.of(user)
    form = DashboardForm(
        data or None,
        territories=places.choices(),
        structures=(
            Structure.objects.visible_to(user).select_related("commune__department__region")
            if can_list_records(user)
            else Structure.objects.none()
        ),
        programmes=Programme.objects.visible_to(user).order_by("name"),
    )
    form.places = places
    return form


@dataclass
class Level:
    """Where the dashboard stands, the figures it reads, and the levels above it."""

    title: str
    filters: Filters
    trail: list[tuple[str, str]] = field(default_factory=list)  # (label, query string)
    below: str | None = None  # the dimension of the main breakdown
    below_keys: Any = field(default_factory=list)  # a list, or a query read a page at a time
    narrowing: list[str] = field(default_factory=list)  # the other filters, in words

    @property
    def narrowed_by(self) -> frozenset[str]:
        """The breakdowns the filters use beyond places: an indicator that does not support
        one of them has no figure here."""
        return frozenset(
            name
            for name, values in (
                ("course", self.filters.course_codes),
                ("gender", self.filters.genders),
                ("age_band", self.filters.age_bands),
            )
            if values
        )

    def applies(self, indicator: Indicator) -> bool:
        return self.narrowed_by <= indicator.breakdowns


def narrowing_of(form: DashboardForm) -> list[str]:
    """The programme, course, gender and age band chosen, as labels."""
    labels = []
    for name in ("programme", "parcours"):
        if form.value(name):
            labels.append(str(form.value(name)))
    for name in ("genre", "tranche"):
        if form.value(name):
            labels.append(str(dict(form.fields[name].choices)[form.value(name)]))  # type: ignore[attr-defined]
    return labels


def level_of(user: Any, form: DashboardForm, params: QueryDict) -> Level:
    """The place the filters ask for (the most precise wins; a structure outside the chosen
    territory is dropped), or the person's whole scope."""
    level = _place_level(user, form, params)
    level.narrowing = narrowing_of(form)
    return level


def _place_level(user: Any, form: DashboardForm, params: QueryDict) -> Level:
    scope = scope_of(user)
    start, end = form.period()
    filters = scope_filters(user, start, end)
    region: Region | None = None
    department: Department | None = None
    territory = form.value("territoire") or ""
    kind, _sep, pk = territory.partition(":")
    if kind == "r":
        region = Region.objects.get(pk=pk)
    elif kind == "d":
        department = Department.objects.select_related("region").get(pk=pk)
    structure: Structure | None = form.value("structure")
    if structure is not None and (
        (department and structure.commune.department_id != department.pk)
        or (region and structure.commune.department.region_id != region.pk)
    ):
        structure = None
    if not (region or department or structure) and not scope.is_admin:
        region, department, structure = _single_place(scope)

    programme = form.value("programme")
    course = form.value("parcours")
    gender, band = form.value("genre"), form.value("tranche")
    filters = filters.restricted(
        **({"programme_ids": frozenset({programme.pk})} if programme else {}),
        **({"course_codes": frozenset({course.code})} if course else {}),
        **({"genders": frozenset({gender})} if gender else {}),
        **({"age_bands": frozenset({band})} if band else {}),
    )

    trail = []
    if scope.is_admin:
        trail.append((_("National"), query_string(params, territoire=None, structure=None)))
    if structure is not None:
        department = structure.commune.department
    above: list[tuple[str, str]] = []  # the région and département above the place
    if department is not None and department.region is not None:
        above.append((department.region.name, f"r:{department.region.pk}"))
    if structure is not None and department is not None:
        above.append((str(department), f"d:{department.pk}"))
    for label, territory in above:
        if territory in form.territories:  # where the person may go
            trail.append((label, query_string(params, territoire=territory, structure=None)))
    if structure is not None:
        return Level(
            structure.name,
            filters.restricted(structure_ids=frozenset({structure.pk})),
            trail,
            None if course else "course",
            form.listed("parcours"),
        )
    if department is not None:
        below = None
        keys: Any = []
        if can_list_records(user):
            below = "structure"
            keys = (  # a query: the table reads one page of it
                Structure.objects.visible_to(user)
                .filter(commune__department=department)
                .select_related("commune")
                .order_by("name", "pk")
            )
        return Level(
            f"{department.name} ({department.code})",
            filters.restricted(department_ids=frozenset({department.pk})),
            trail,
            below,
            keys,
        )
    if region is not None:
        return Level(
            region.name,
            filters.restricted(region_ids=frozenset({region.pk})),
            trail,
            "department",
            [d for d in form.places.departments if d.region_id == region.pk],
        )
    if scope.is_admin:
        return Level(_("National"), filters, [], "region", form.places.whole_regions)
    if scope.region_ids:
        return Level(
            _("Mes régions"),
            filters,
            trail,
            "region",
            form.places.whole_regions,
        )
    if scope.department_ids:
        return Level(_("Mes départements"), filters, trail, "department", form.places.departments)
    if scope.structure_ids:
        return Level(
            _("Mes structures"),
            filters,
            trail,
            "structure",
            Structure.objects.filter(pk__in=scope.structure_ids)
            .select_related("commune")
            .order_by("name", "pk"),
        )
    return Level(
        _("Mes programmes"),
        filters,
        trail,
        None if programme else "programme",
        form.listed("programme"),
    )


def _single_place(scope: Any) -> tuple[Region | None, Department | None, Structure | None]:
    """The one région, département or structure of a scope made of a single place."""
    if len(scope.region_ids) == 1:
        return Region.objects.get(pk=next(iter(scope.region_ids))), None, None
    if not scope.region_ids and len(scope.department_ids) == 1:
        department = Department.objects.select_related("region").get(
            pk=next(iter(scope.department_ids))
        )
        return None, department, None
    if not (scope.region_ids or scope.department_ids) and len(scope.structure_ids) == 1:
        structure = Structure.objects.select_related("commune__department__region").get(
            pk=next(iter(scope.structure_ids))
        )
        return None, None, structure
    return None, None, None


# --- Breakdown tables ----------------------------------------------------------------------


@dataclass
class Cell:
    value: Any
    unit: str
    link: str | None


@dataclass
class Row:
    label: str
    link: str | None
    cells: list[Cell]


@dataclass
class Table:
    dimension: str
    title: str
    columns: list[Indicator]
    rows: list[Row]
    quiet: int  # rows left out because every figure is zero
    page: Any = None  # the rows shown, a page at a time, for long tables


TITLES = {
    "region": gettext_lazy("Par région"),
    "department": gettext_lazy("Par département"),
    "structure": gettext_lazy("Par structure"),
    "programme": gettext_lazy("Par programme"),
    "course": gettext_lazy("Par parcours"),
}


def _drill(dimension: str, key: Any) -> dict[str, Any]:
    """The filters that open the dashboard on one row of a breakdown."""
    if dimension == "region":
        return {"territoire": f"r:{key.pk}", "structure": None}
    if dimension == "department":
        return {"territoire": f"d:{key.pk}", "structure": None}
    if dimension == "structure":
        return {"territoire": f"d:{key.commune.department_id}", "structure": key.pk}
    if dimension == "programme":
        return {"programme": key.slug}
    return {"parcours": key.code}


def _label(dimension: str, key: Any) -> str:
    if dimension == "department":
        return f"{key.name} ({key.code})"
    if dimension == "course":
        return str(key.title)
    return str(key)


def records_link(code: str, params: QueryDict, **changes: Any) -> str:
    return reverse("impact:indicator_records", args=[code]) + query_string(params, **changes)


def breakdown(
    level: Level,
    figures: Figures,
    dimension: str,
    keys: list[Any],
    params: QueryDict,
    *,
    lists: bool,
    disclosure: Disclosure,
    every_key: bool = False,
) -> Table:
    """One row per key (without the keys where every figure is zero, unless `every_key`) with
    the figures of COLUMNS that support this breakdown and the filters; a row links to the
    dashboard below it, its figures to their records when the person may see them."""
    columns = [
        indicator
        for indicator in map(get_indicator, COLUMNS)
        if dimension in indicator.breakdowns and level.applies(indicator)
    ]
    by_key = figures.by(dimension, [key.pk for key in keys])
    paths = {
        indicator.code: reverse("impact:indicator_records", args=[indicator.code])
        for indicator in columns
        if lists and indicator.records
    }
    shown = disclosure.table(
        {key.pk: by_key[key.pk] for key in keys}, [indicator.code for indicator in columns]
    )
    rows = []
    quiet = 0
    for key in keys:
        values = [shown[key.pk][indicator.code] for indicator in columns]
        if not (every_key or any(values)):
            quiet += 1
            continue
        filtered = query_string(params, **_drill(dimension, key))
        rows.append(
            Row(
                _label(dimension, key),
                filtered,
                [
                    Cell(
                        value,
                        indicator.unit,
                        paths[indicator.code] + filtered
                        if indicator.code in paths and value and not isinstance(value, Secret)
                        else None,
                    )
                    for indicator, value in zip(columns, values, strict=True)
                ],
            )
        )
    return Table(dimension, str(TITLES[dimension]), columns, rows, quiet)


def breakdown_tables(
    level: Level,
    figures: Figures,
    form: DashboardForm,
    params: QueryDict,
    *,
    lists: bool,
    disclosure: Disclosure,
) -> list[Table]:
    """The table one level below (every key, a page at a time), then the tables by
    département (for a funder's programmes), by programme and by course that the filters do not
    already fix."""
    tables = []
    if level.below:
        page = Paginator(level.below_keys, PAGE_SIZE).get_page(params.get("page"))
        if page.object_list:
            below = breakdown(
                level,
                figures,
                level.below,
                list(page),
                params,
                lists=lists,
                disclosure=disclosure,
                every_key=True,
            )
            below.page = page
            tables.append(below)
    others: list[tuple[str, list[Any]]] = []
    if level.below == "programme":
        others.append(("department", form.places.departments))
    if not form.value("programme") and level.below != "programme":
        others.append(("programme", form.listed("programme")))
    if not form.value("parcours") and level.below != "course":
        others.append(("course", form.listed("parcours")))
    tables += [
        breakdown(level, figures, dimension, keys, params, lists=lists, disclosure=disclosure)
        for dimension, keys in others
        if keys
    ]
    return tables
