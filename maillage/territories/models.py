"""France's administrative territories, from the official geographic code (INSEE)."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from maillage.core.roles import within_scope


def normalise(text: str) -> str:
    """Lower case, no accents, hyphens and apostrophes as spaces: « Saint-Étienne » and
    « st etienne » meet on « saint etienne »."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    for sep in "-'’":
        plain = plain.replace(sep, " ")
    return " ".join(plain.split())


class Region(models.Model):
    code = models.CharField(_("code INSEE"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=100)

    class Meta:
        verbose_name = _("région")
        verbose_name_plural = _("régions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DepartmentQuerySet(models.QuerySet["Department"]):
    def within_scope_of(self, user: Any, *, managed_only: bool = False) -> DepartmentQuerySet:
        """The départements of a person's régions and départements (all of them for the national
        team); `managed_only` leaves out those where they only work in the field."""
        return self.filter(within_scope(user, department="", managed_only=managed_only))


class Department(models.Model):
    code = models.CharField(_("code INSEE"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=100)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="departments",
        verbose_name=_("région"),
    )

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class CommuneQuerySet(models.QuerySet["Commune"]):
    def search(self, query: str) -> CommuneQuerySet:
        """Communes whose name or postal code starts like the query, the most populous first.
        A five-digit query is a postal code or an INSEE code."""
        query = query.strip()
        if not query:
            return self.none()
        if query.isdigit() or (len(query) == 5 and query[:2] in {"2A", "2B"}):
            return self.filter(Q(postal_codes__code__startswith=query) | Q(code=query)).distinct()
        key = normalise(query)
        if not key:
            return self.none()
        return self.filter(
            Q(search_name__startswith=key) | Q(search_name__contains=f" {key}")
        ).order_by("-population", "name")


class Commune(models.Model):
    code = models.CharField(_("code INSEE"), max_length=5, unique=True)
    name = models.CharField(_("nom"), max_length=100)
    search_name = models.CharField(max_length=100, db_index=True, editable=False)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="communes",
        verbose_name=_("département"),
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    # The commune's centre (see `loader.commune_centres`): where a place is shown until its
    # address is geocoded, and where a search « autour de <commune> » starts.
    latitude = models.FloatField(_("latitude du centre"), null=True, blank=True)
    longitude = models.FloatField(_("longitude du centre"), null=True, blank=True)
    centre_is_approximate = models.BooleanField(
        _("centre approché"),
        default=False,
        help_text=_("Centre des communes voisines de même code postal."),
    )

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.department.code})"

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_name = normalise(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def centre(self) -> tuple[float, float] | None:
        if self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)

    @property
    def label(self) -> str:
        """The name with its postal codes, as people recognise it."""
        codes = sorted(p.code for p in self.postal_codes.all())
        if not codes:
            return self.name
        shown = codes[0] if len(codes) == 1 else f"{codes[0]}…"
        return f"{self.name} ({shown})"


class PostalCode(models.Model):
    code = models.CharField(_("code postal"), max_length=5, db_index=True)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="postal_codes")

    class Meta:
        verbose_name = _("code postal")
        verbose_name_plural = _("codes postaux")
        constraints = [
            models.UniqueConstraint(fields=["code", "commune"], name="unique_postal_code_commune")
        ]

    def __str__(self) -> str:
        return self.code
