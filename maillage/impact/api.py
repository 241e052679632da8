"""The statistics API: the indicators of the registry as read-only JSON, for a person's key,
in the same scope as their indicators page, rate-limited per key; described by an OpenAPI
document generated from the registry."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from maillage.accounts.models import ApiToken
from maillage.core.indicators import all_indicators, get
from maillage.core.query import FIRST_YEAR, LAST_YEAR, parse_date
from maillage.core.roles import is_national_team
from maillage.impact.dashboard import Places, scope_filters
from maillage.impact.facts import month_starts
from maillage.impact.figures import Budget, Figures, OverBudget, Reading
from maillage.impact.forms import period_problem
from maillage.impact.perms import can_read_figures
from maillage.impact.publication import Disclosure, FigureEncoder
from maillage.learning.models import Course
from maillage.programmes.models import Programme
from maillage.stock.enums import DeviceKind
from maillage.territories.models import Department, Region

BREAKDOWNS = ("month", "region", "department", "course", "programme", "device_kind")
# A computation cut short by API_COMPUTATION_SECONDS is asked again after this many seconds.
RETRY_SECONDS = 2


class Refusal(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _error(status: int, message: str, **headers: str) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


def _period(request: HttpRequest) -> tuple[date, date]:
    """`from` and `to` (included); by default the last twelve whole months."""
    this_month = timezone.localdate().replace(day=1)
    default_start = this_month.replace(year=this_month.year - 1)
    start = parse_date(request.GET.get("from") or default_start.isoformat())
    end = parse_date(request.GET.get("to") or (this_month - timedelta(days=1)).isoformat())
    if start is None or end is None:
        raise Refusal(
            400,
            _("Dates attendues au format AAAA-MM-JJ, entre %(first)s et %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
        )
    problem = period_problem(start, end)
    if problem:
        raise Refusal(400, problem)
    if start.day != 1 or (end + timedelta(days=1)).day != 1:
        # Whole months are read from the pre-computed figures; any other period would start a
        # computation over every record of the scope.
        raise Refusal(
            400,
            _(
                "L'API répond sur des mois entiers : « from » doit être le premier jour d'un "
                "mois et « to » le dernier jour d'un mois (par exemple from=2022-01-01 et "
                "to=2022-12-31)."
            ),
        )
    return start, end


def _outside() -> Refusal:
    return Refusal(404, _("Hors de votre périmètre ou inconnu."))


def _narrow(request: HttpRequest, user: Any, filters: Any) -> Any:
    """The filters asked for, within the person's scope: a département or a région among those
    the dashboard offers them (`dashboard.Places`; any for the national team), a programme
    they may see, a course."""
    places = Places.of(user)
    code = request.GET.get("department")
    if code:
        department = _place_asked(user, places.departments, Department, code)
        filters = filters.restricted(department_ids=frozenset({department.pk}))
    code = request.GET.get("region")
    if code:
        region = _place_asked(user, places.whole_regions, Region, code)
        filters = filters.restricted(region_ids=frozenset({region.pk}))
    slug = request.GET.get("programme")
    if slug:
        programme = Programme.objects.visible_to(user).filter(slug=slug).first()
        if programme is None:
            raise _outside()
        filters = filters.restricted(programme_ids=frozenset({programme.pk}))
    code = request.GET.get("course")
    if code:
        if not Course.objects.filter(code=code).exists():
            raise Refusal(400, _("Parcours inconnu : %(code)s.") % {"code": code})
        filters = filters.restricted(course_codes=frozenset({code}))
    return filters


def _place_asked(user: Any, offered: list[Any], model: Any, code: str) -> Any:
    """The département or région of this code among those offered to the person (any for the
    national team, even one without structures: its figures are 0); else 404."""
    found = next((place for place in offered if place.code == code), None)
    if found is None and is_national_team(user):
        found = model.objects.filter(code=code).first()
    if found is None:
        raise _outside()
    return found


def _codes(request: HttpRequest) -> list[str]:
    known = [i.code for i in all_indicators()]
    asked = [c for c in request.GET.get("indicators", "").split(",") if c]
    unknown = [c for c in asked if c not in known]
    if unknown:
        raise Refusal(400, _("Indicateurs inconnus : %(codes)s.") % {"codes": ", ".join(unknown)})
    return asked or known


def _breakdown(
    figures: Figures, by: str, codes: list[str], user: Any, disclosure: Disclosure
) -> dict[str, Any]:
    if by not in BREAKDOWNS:
        raise Refusal(400, _("Ventilation inconnue : %(by)s.") % {"by": by})
    filters = figures.filters
    keys: dict[Any, str]
    if by == "month":
        keys = {
            month: month.strftime("%Y-%m") for month in month_starts(filters.start, filters.end)
        }
    elif by in ("region", "department"):
        model = Region if by == "region" else Department
        places = model.objects.all()
        places = places.filter(
            **{
                "departments__communes__structures__isnull"
                if by == "region"
                else "communes__structures__isnull": False
            }
        )
        if filters.region_ids:
            places = places.filter(
                **{"pk__in" if by == "region" else "region_id__in": filters.region_ids}
            )
        if filters.department_ids:
            places = places.filter(
                **{"departments__in" if by == "region" else "pk__in": filters.department_ids}
            )
        keys = dict(places.distinct().order_by("code").values_list("pk", "code"))
    elif by == "course":
        keys = dict(Course.objects.order_by("code").values_list("pk", "code"))
    elif by == "device_kind":
        keys = {kind: kind for kind in DeviceKind.values}
    else:
        programmes = Programme.objects.visible_to(user)
        if filters.programme_ids:
            programmes = programmes.filter(pk__in=filters.programme_ids)
        keys = dict(programmes.order_by("slug").values_list("pk", "slug"))
    codes = [c for c in codes if by == "month" or by in get(c).breakdowns]
    shown = disclosure.table(figures.by(by, keys), codes)
    return {keys[key]: values for key, values in shown.items()}


@login_not_required
@require_GET
def statistics(request: HttpRequest) -> JsonResponse:
    header = request.headers.get("Authorization", "")
    token = ApiToken.authenticate(header.removeprefix("Bearer ").strip())
    if token is None:
        return _error(
            401,
            _("Jeton absent ou invalide : en-tête « Authorization: Bearer <jeton> »."),
            **{"WWW-Authenticate": 'Bearer realm="maillage"'},
        )
    wait = token.spend(limit=settings.API_RATE_LIMIT)
    if wait:
        return _error(
            429,
            _("Trop de demandes : réessayez dans %(seconds)s secondes.") % {"seconds": wait},
            **{"Retry-After": str(wait)},
        )
    user = token.user
    if not can_read_figures(user):
        return _error(403, _("Aucun rôle ne vous donne accès à des indicateurs."))
    try:
        start, end = _period(request)
        filters = _narrow(request, user, scope_filters(user, start, end + timedelta(days=1)))
        codes = _codes(request)
        figures = Figures(
            filters,
            index=Reading(
                Budget(
                    settings.API_COMPUTATION_MILLISECONDS / 1000,
                    keep_seconds=settings.API_LIVE_FIGURES_SECONDS,
                )
            ),
        )
        disclosure = Disclosure.for_reader(user)
        body: dict[str, Any] = {
            "from": start.isoformat(),
            "to": end.isoformat(),
            "indicators": disclosure.values(figures, codes),
        }
        by = request.GET.get("by")
        if by:
            body["by"] = by
            body["breakdown"] = _breakdown(figures, by, codes, user, disclosure)
    except Refusal as refusal:
        return _error(refusal.status, refusal.message)
    except OverBudget:
        return _error(
            503,
            _(
                "Le calcul demandé est long : il se poursuit à chaque demande. Réessayez dans "
                "%(seconds)s secondes, ou demandez moins d'indicateurs ou une ventilation moins "
                "fine."
            )
            % {"seconds": RETRY_SECONDS},
            **{"Retry-After": str(RETRY_SECONDS)},
        )
    return JsonResponse(body, encoder=FigureEncoder, json_dumps_params={"ensure_ascii": False})


@login_not_required
@require_GET
def openapi(request: HttpRequest) -> JsonResponse:
    indicators = all_indicators()
    secret = {
        "type": "string",
        "enum": ["secret"],
        "description": str(
            _(
                "Nombre de personnes entre 1 et 10 (ou case qui permettrait de le retrouver) : "
                "non publié, sauf pour l'équipe nationale."
            )
        ),
    }
    value_schema = {
        "oneOf": [
            {"type": "number"},
            {"type": "null"},
            secret,
            {
                "type": "object",
                "additionalProperties": {"oneOf": [{"type": "integer"}, secret]},
            },
        ]
    }
    parameters = [
        (
            "from",
            "date",
            _("Premier jour d'un mois, début de la période (par défaut : il y a douze mois)."),
        ),
        (
            "to",
            "date",
            _("Dernier jour d'un mois, inclus (par défaut : le dernier jour du mois dernier)."),
        ),
        ("department", None, _("Code d'un département de votre périmètre (ex. 51).")),
        ("region", None, _("Code d'une région de votre périmètre (ex. 44).")),
        ("programme", None, _("Identifiant (slug) d'un de vos programmes.")),
        ("course", None, _("Code d'un parcours du catalogue.")),
        (
            "indicators",
            None,
            _("Codes d'indicateurs séparés par des virgules (par défaut : tous)."),
        ),
        ("by", None, _("Ventilation : month, region, department, course ou programme.")),
    ]
    document = {
        "openapi": "3.1.0",
        "info": {
            "title": _("API statistique de Maillage"),
            "version": "1",
            "description": _(
                "Les indicateurs du réseau, dans le périmètre de la personne qui détient le "
                "jeton, en lecture seule. Une période faite de mois entiers est lue dans les "
                "agrégats ; les autres sont calculées à partir des données. "
                "%(limit)s demandes par minute et par jeton."
            )
            % {"limit": settings.API_RATE_LIMIT},
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Indicators": {
                    "type": "object",
                    "properties": {
                        i.code: {
                            **value_schema,
                            "title": str(i.label),
                            "description": str(i.definition),
                        }
                        for i in indicators
                    },
                },
                "Error": {"type": "object", "properties": {"error": {"type": "string"}}},
            },
        },
        "security": [{"bearer": []}],
        "paths": {
            "/api/v1/statistics": {
                "get": {
                    "summary": _("Indicateurs d'une période"),
                    "parameters": [
                        {
                            "name": name,
                            "in": "query",
                            "required": False,
                            "description": str(description),
                            "schema": {"type": "string", **({"format": fmt} if fmt else {})},
                        }
                        for name, fmt, description in parameters
                    ],
                    "responses": {
                        "200": {
                            "description": _("Les indicateurs, et la ventilation demandée."),
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "from": {"type": "string", "format": "date"},
                                            "to": {"type": "string", "format": "date"},
                                            "indicators": {
                                                "$ref": "#/components/schemas/Indicators"
                                            },
                                            "by": {"type": "string", "enum": list(BREAKDOWNS)},
                                            "breakdown": {
                                                "type": "object",
                                                "additionalProperties": {
                                                    "$ref": "#/components/schemas/Indicators"
                                                },
                                            },
                                        },
                                    }
                                }
                            },
                        },
                        **{
                            status: {
                                "description": description,
                                "content": {
                                    "application/json": {
                                        "schema": {"$ref": "#/components/schemas/Error"}
                                    }
                                },
                            }
                            for status, description in (
                                ("400", _("Paramètre invalide.")),
                                ("401", _("Jeton absent ou invalide.")),
                                ("403", _("Aucun rôle ne donne accès à des indicateurs.")),
                                ("404", _("Hors du périmètre ou inconnu.")),
                                ("429", _("Trop de demandes (voir l'en-tête Retry-After).")),
                                (
                                    "503",
                                    _(
                                        "Calcul long en cours : il reprend où il s'était arrêté "
                                        "à la demande suivante (voir l'en-tête Retry-After)."
                                    ),
                                ),
                            )
                        },
                    },
                }
            }
        },
    }
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})


app_name = "api"
urlpatterns = [
    path("statistics", statistics, name="statistics"),
    path("openapi.json", openapi, name="openapi"),
]
