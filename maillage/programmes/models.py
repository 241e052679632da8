"""Programmes (projects funded to reach targets), their funders, targets and staff."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from maillage.core.roles import scope_of, within_scope
from maillage.network.models import Structure
from maillage.territories.models import Department


class FunderKind(models.TextChoices):
    STATE = "state", _("État")
    LOCAL_AUTHORITY = "local_authority", _("Collectivité")
    FOUNDATION = "foundation", _("Fondation")
    COMPANY = "company", _("Entreprise")
    EUROPE = "europe", _("Europe")


class Funder(models.Model):
    name = models.CharField(_("nom"), max_length=200, unique=True)
    kind = models.CharField(_("type"), max_length=32, choices=FunderKind.choices)

    class Meta:
        verbose_name = _("financeur")
        verbose_name_plural = _("financeurs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProgrammeQuerySet(models.QuerySet["Programme"]):
    def visible_to(self, user: Any) -> ProgrammeQuerySet:
        """Programmes a person works in: by territory, by partner structure, or as funder."""
        where = within_scope(user, department="departments", structure="partner_structures")
        reached = Programme.objects.filter(where).values("pk")
        return self.filter(Q(pk__in=reached) | Q(pk__in=scope_of(user).programme_ids))


class Programme(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant court"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True, default="")
    funders = models.ManyToManyField(
        Funder, blank=True, related_name="programmes", verbose_name=_("financeurs")
    )
    partner_structures = models.ManyToManyField(
        Structure, blank=True, related_name="programmes", verbose_name=_("structures partenaires")
    )
    departments = models.ManyToManyField(
        Department, blank=True, related_name="programmes", verbose_name=_("départements")
    )
    start = models.DateField(_("début"))
    end = models.DateField(_("fin"), null=True, blank=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-start", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="programme_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programmes:programme_detail", args=[self.slug])

    def covers(self, day: date) -> bool:
        """Whether activity of that day may count for the programme."""
        return self.start <= day and (self.end is None or day <= self.end)

    def period(self) -> str:
        if self.end is None:
            return str(_("depuis le %(start)s") % {"start": date_format(self.start, "j F Y")})
        return str(
            _("du %(start)s au %(end)s")
            % {"start": date_format(self.start, "j F Y"), "end": date_format(self.end, "j F Y")}
        )

    def refusal_for(self, day: date) -> str:
        """Why activity of `day` cannot count for the programme (empty when it can)."""
        if self.covers(day):
            return ""
        return str(
            _("« %(name)s » couvre l'activité %(period)s : choisissez un autre programme ou aucun.")
            % {"name": self.name, "period": self.period()}
        )


class Target(models.Model):
    """An objective: an indicator of the registry, a value, a deadline, optionally in one
    département (e.g. 720 parcours realised by the end of month 18)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField(_("indicateur"), max_length=64)
    value = models.PositiveIntegerField(_("valeur visée"), validators=[MinValueValidator(1)])
    deadline = models.DateField(_("échéance"))
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("département"),
        help_text=_("Vide : tout le programme."),
    )

    class Meta:
        verbose_name = _("objectif")
        verbose_name_plural = _("objectifs")
        ordering = ["deadline", "indicator", "pk"]

    def __str__(self) -> str:
        return f"{self.indicator} {self.value} ({self.deadline})"


class StaffTitle(models.TextChoices):
    FACILITATOR = "facilitator", _("Animateur·rice numérique")
    TERRITORY_MANAGER = "territory_manager", _("Responsable de territoire")
    REGIONAL_MANAGER = "regional_manager", _("Responsable régional·e")
    PROJECT_LEAD = "project_lead", _("Chef·fe de projet")
    OTHER = "other", _("Autre")


class Staffing(models.Model):
    """Who works on a programme, as what, at what share of a full-time post, when."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="staffing")
    title = models.CharField(_("fonction"), max_length=32, choices=StaffTitle.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("personne"),
    )
    fte = models.DecimalField(
        _("équivalent temps plein"),
        max_digits=3,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0.05), MaxValueValidator(1)],
    )
    start = models.DateField(_("début"))
    end = models.DateField(_("fin"), null=True, blank=True)

    class Meta:
        verbose_name = _("poste")
        verbose_name_plural = _("équipe")
        ordering = ["title", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="staffing_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_title_display()} — {self.person}"
