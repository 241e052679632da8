"""Partner structures and their journey to becoming a Relais Numérique."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core import audit
from maillage.core.models import AuditEvent
from maillage.core.roles import (
    referent_accounts,
    scope_of,
    within_scope,
)
from maillage.core.statemachine import Tone, Workflow
from maillage.network import hours
from maillage.network.enums import (
    RELAY_TRANSITIONS,
    AccessFeature,
    LocationSource,
    RelayOffer,
    RelayStatus,
    StructureKind,
)
from maillage.network.hours import Status as OpeningStatus
from maillage.territories.models import Commune

# The paths to the département of a structure, and of a record held by a structure, for
# `maillage.core.roles.within_scope`.
PLACE = "commune__department"
STRUCTURE_PLACE = "structure__commune__department"


class StructureQuerySet(models.QuerySet["Structure"]):
    def visible_to(self, user: Any) -> StructureQuerySet:
        """Structures of the person's territories, their own structure, and the partners of the
        programmes they fund."""
        condition = within_scope(user, department=PLACE, structure="")
        funded = scope_of(user).programme_ids
        if funded:
            condition |= Q(pk__in=Structure.objects.filter(programmes__in=funded).values("pk"))
        return self.filter(condition)

    def editable_by(self, user: Any) -> StructureQuerySet:
        """Staff edit the structures of their territories; a referent edits their own."""
        return self.filter(within_scope(user, department=PLACE, structure=""))

    def relay_status_changeable_by(self, user: Any) -> StructureQuerySet:
        """Managers decide where a partner stands in the network (the network's own sites
        stand nowhere on that journey)."""
        return self.partners().filter(within_scope(user, department=PLACE, managed_only=True))

    def partners(self) -> StructureQuerySet:
        """The partner structures, without the network's own sites."""
        return self.exclude(kind=StructureKind.NETWORK_SITE)

    def count_by_relay_status(self) -> list[tuple[RelayStatus, int]]:
        """Every relay status, in the order of the journey, with how many structures hold it."""
        counts = dict(
            self.partners()
            .order_by()
            .values_list("relay_status")
            .annotate(n=models.Count("pk"))
            .values_list("relay_status", "n")
        )
        return [(status, counts.get(status.value, 0)) for status in RelayStatus]

    def listed(self) -> StructureQuerySet:
        """The places the public finds (search, place pages, open data): published, with an
        address to find them at."""
        return self.filter(is_public=True).exclude(address="")

    def search(self, text: str) -> StructureQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(name__icontains=text) | Q(commune__name__icontains=text) | Q(siret=text)
        )


def published(structure: Structure, by: Any) -> None:
    """A structure that becomes a Relais Numérique is published by default (the relay's
    charter); its staff may withdraw it afterwards."""
    _publish(structure, True, by)


def withdrawn(structure: Structure, by: Any) -> None:
    """A structure that leaves the network is no longer published as one of its places."""
    _publish(structure, False, by)


def _publish(structure: Structure, public: bool, by: Any) -> None:
    if structure.is_public == public:
        return
    structure.is_public = public
    structure.save(update_fields=["is_public", "public_since", "updated_at"])
    audit.record(
        by, AuditEvent.Action.UPDATE, structure, changes={"is_public": [not public, public]}
    )


class Structure(models.Model):
    """A partner organisation: CCAS, association, CADA, library… (*structure sociale*)."""

    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type de structure"), max_length=32, choices=StructureKind.choices)
    siret = models.CharField(
        _("SIRET"),
        max_length=14,
        blank=True,
        default="",
        help_text=_("14 chiffres, facultatif."),
    )
    address = models.CharField(_("adresse"), max_length=255, blank=True, default="")
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="structures", verbose_name=_("commune")
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    location_source = models.CharField(
        _("position"), max_length=8, choices=LocationSource.choices, blank=True, default=""
    )
    # The last time the address was sent to the geocoding service, found or not: the batch
    # command resumes where it stopped and does not ask again for an address it could not find.
    geocoded_at = models.DateTimeField(_("géocodée le"), null=True, blank=True, editable=False)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True, default="")
    email = models.EmailField(_("e-mail"), blank=True, default="")
    website = models.URLField(_("site internet"), blank=True, default="")
    # The week's hours, day by day (see `hours.py`), and what they do not say.
    hours = models.JSONField(_("horaires d'ouverture"), default=dict, blank=True)
    closed_on_public_holidays = models.BooleanField(_("fermé les jours fériés"), default=True)
    opening_hours = models.TextField(
        _("précisions sur les horaires"),
        blank=True,
        default="",
        help_text=_("Par exemple : fermé en août, permanence le premier samedi du mois."),
    )
    booking_cancel_hours = models.PositiveSmallIntegerField(
        _("annulation en ligne possible jusqu'à (heures avant)"),
        default=4,
        validators=[MaxValueValidator(168)],
        help_text=_("Le public peut annuler sa réservation jusqu'à ce délai avant le rendez-vous."),
    )
    services = models.JSONField(_("services proposés"), default=list, blank=True)
    publics = models.JSONField(_("publics spécifiquement accueillis"), default=list, blank=True)
    specific_support = models.JSONField(_("prise en charge spécifique"), default=list, blank=True)
    support_modes = models.JSONField(_("modalités d'accompagnement"), default=list, blank=True)
    relay_offer = models.JSONField(_("offre du Relais Numérique"), default=list, blank=True)
    accessibility = models.JSONField(_("accessibilité"), default=list, blank=True)
    accessibility_notes = models.TextField(
        _("accessibilité du lieu"),
        blank=True,
        default="",
        help_text=_("Accès en fauteuil, stationnement, transports, boucle magnétique…"),
    )
    is_public = models.BooleanField(
        _("lieu ouvert au public"),
        default=False,
        help_text=_(
            "Avec l'accord de la structure : le lieu est publié dans la recherche de lieux et "
            "dans les données ouvertes (cartographie nationale, data·inclusion). Les antennes du "
            "réseau sont publiées dès leur création."
        ),
    )
    public_since = models.DateField(_("publié depuis le"), null=True, blank=True, editable=False)
    relay_status = models.CharField(
        _("statut dans le réseau"),
        max_length=16,
        choices=RelayStatus.choices,
        default=RelayStatus.PROSPECT,
        db_index=True,
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    relay_workflow = Workflow(
        field="relay_status",
        choices=RelayStatus,
        transitions=RELAY_TRANSITIONS,
        tones={RelayStatus.RELAY: Tone.DONE, RelayStatus.LEFT: Tone.CANCELLED},
        on_enter={RelayStatus.RELAY: published, RelayStatus.LEFT: withdrawn},
    )

    objects = StructureQuerySet.as_manager()

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["commune", "relay_status"]),
            # The public search reads the places of a box around the person.
            models.Index(
                fields=["latitude", "longitude"],
                condition=Q(is_public=True),
                name="public_place_position",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["siret"], condition=~Q(siret=""), name="unique_structure_siret"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The network's own sites are places from the day they are entered.
        if self._state.adding and self.kind == StructureKind.NETWORK_SITE:
            self.is_public = True
        # The date of the structure's agreement to be published, kept while it stands.
        if not self.is_public:
            self.public_since = None
        elif self.public_since is None:
            self.public_since = timezone.localdate()
        if self.latitude is None or self.longitude is None:
            self.place_at_commune_centre()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("network:structure_detail", args=[self.pk])

    def place_at_commune_centre(self) -> None:
        """Where the place is shown until its address is geocoded or staff place it; nowhere
        when the commune's centre is not known."""
        centre = self.commune.centre
        self.latitude = None if centre is None else round(Decimal(centre[0]), 6)
        self.longitude = None if centre is None else round(Decimal(centre[1]), 6)
        self.location_source = "" if centre is None else LocationSource.COMMUNE

    @property
    def position(self) -> tuple[float, float] | None:
        if self.latitude is None or self.longitude is None:
            return None
        return (float(self.latitude), float(self.longitude))

    # Fields staff edit on the form; their changes are written to the audit journal (an
    # organisation's data, not a person's, so values are kept).
    EDITABLE_FIELDS = (
        "name",
        "kind",
        "siret",
        "address",
        "commune",
        "latitude",
        "longitude",
        "phone",
        "email",
        "website",
        "hours",
        "closed_on_public_holidays",
        "opening_hours",
        "booking_cancel_hours",
        "services",
        "publics",
        "specific_support",
        "support_modes",
        "accessibility",
        "accessibility_notes",
        "relay_offer",
        "is_public",
    )

    def hours_status(self, moment: datetime) -> OpeningStatus | None:  # `hours` is a field in here
        """Open now? In Europe/Paris, closed on the département's public holidays if so."""
        return hours.status(
            self.hours,
            moment,
            department_code=self.commune.department.code,
            closed_on_public_holidays=self.closed_on_public_holidays,
        )

    def week(self) -> list[tuple[str, str]]:
        """Each day of the week with its hours as people read them (empty: closed)."""
        return [
            (str(hours.DAY_NAMES[day]), hours.format_day(hours.ranges_of(self.hours, day)))
            for day in hours.DAYS
        ]

    def accessibility_labels(self) -> list[str]:
        labels = dict(AccessFeature.choices)
        return [str(labels[value]) for value in self.accessibility if value in labels]

    def relay_offer_labels(self) -> list[str]:
        labels = dict(RelayOffer.choices)
        return [str(labels.get(value, value)) for value in self.relay_offer]

    def referents(self) -> models.QuerySet[Any]:
        """The people of the structure who hold an account as its referents."""
        from django.contrib.auth import get_user_model

        return (
            get_user_model()
            .objects.filter(referent_accounts([self.pk]), is_active=True)
            .distinct()
            .order_by("full_name")
        )

    def relay_history(self) -> list[tuple[Any, str]]:
        """Each status change with the label of the status reached, oldest first."""
        return self.relay_workflow.labelled_history(self)
