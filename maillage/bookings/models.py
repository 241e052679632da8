"""A seat booked by the public in a workshop or a drop-in slot of a place."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.bookings.enums import ACTIVE, BOOKING_TRANSITIONS, HOLDS_A_SEAT, BookingStatus
from maillage.core.statemachine import Tone, Workflow
from maillage.learning.models import DropIn, DropInSlot, Workshop
from maillage.network.models import Structure

SIGNING_SALT = "maillage.bookings.link"


class BookingQuerySet(models.QuerySet["Booking"]):
    def holding_seats(self) -> BookingQuerySet:
        return self.filter(status__in=HOLDS_A_SEAT)

    def to_come(self, now: datetime) -> BookingQuerySet:
        return self.filter(status__in=ACTIVE, starts_at__gte=now)

    def for_phone(self, phone: str) -> BookingQuerySet:
        return self.filter(phone=phone) if phone else self.none()

    def of_activity(self, activity: Workshop | DropInSlot) -> BookingQuerySet:
        if isinstance(activity, Workshop):
            return self.filter(workshop=activity)
        return self.filter(slot=activity)

    def handled_by(self, user: Any) -> BookingQuerySet:
        """The bookings of the places where this person records the activity."""
        from maillage.bookings.perms import places_handled_by

        return self.filter(structure__in=places_handled_by(user))

    def past_keeping(self, now: datetime) -> BookingQuerySet:
        """Bookings whose date is older than the keeping time and still name someone."""
        return self.filter(
            starts_at__lt=now - timedelta(days=settings.BOOKING_KEEP_DAYS), erased_at=None
        )


class Booking(models.Model):
    """A person of the public booked a seat, with a first name and a phone number or an
    e-mail. They see or cancel it through a signed link; the staff turn it into the recorded
    attendance or drop-in."""

    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("lieu")
    )
    workshop = models.ForeignKey(
        Workshop,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("atelier"),
    )
    slot = models.ForeignKey(
        DropInSlot,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("permanence"),
    )
    # Copied from the activity: the reminders and the limit per phone read it.
    starts_at = models.DateTimeField(_("début"), db_index=True)
    first_name = models.CharField(_("prénom"), max_length=60)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True, default="", db_index=True)
    email = models.EmailField(_("e-mail"), blank=True, default="")
    purpose = models.CharField(_("pour quoi ?"), max_length=200, blank=True, default="")
    sms_consent = models.BooleanField(_("accepte de recevoir des SMS"), default=False)
    language = models.CharField(_("langue"), max_length=8, default="fr")
    booked_by = models.CharField(
        _("réservé par"),
        max_length=150,
        blank=True,
        default="",
        help_text=_("Le travailleur social qui a réservé pour la personne, s'il y en a un."),
    )
    status = models.CharField(
        _("statut"), max_length=16, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    created_at = models.DateTimeField(_("réservé le"), default=timezone.now)
    reminded_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    drop_in = models.OneToOneField(
        DropIn,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="booking",
        verbose_name=_("permanence enregistrée"),
    )
    erased_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True)

    workflow = Workflow(
        field="status",
        choices=BookingStatus,
        transitions=BOOKING_TRANSITIONS,
        tones={
            BookingStatus.ATTENDED: Tone.DONE,
            BookingStatus.CANCELLED: Tone.CANCELLED,
            BookingStatus.NO_SHOW: Tone.CANCELLED,
        },
    )

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("réservation")
        verbose_name_plural = _("réservations")
        ordering = ["starts_at", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(workshop__isnull=False, slot__isnull=True)
                | Q(workshop__isnull=True, slot__isnull=False),
                name="booking_of_a_workshop_or_a_slot",
            ),
        ]
        indexes = [models.Index(fields=["structure", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def activity(self) -> Workshop | DropInSlot:
        activity = self.workshop or self.slot
        assert activity is not None
        return activity

    @property
    def is_workshop(self) -> bool:
        return self.workshop_id is not None

    @property
    def title(self) -> str:
        if self.workshop is not None:
            return self.workshop.title
        return str(_("Permanence : aide individuelle"))

    @property
    def may_come(self) -> bool:
        """The staff may still record that the person came."""
        return self.workflow.can(self.status, BookingStatus.ATTENDED)

    @property
    def may_miss(self) -> bool:
        """The staff may still record that the person did not come."""
        return self.workflow.can(self.status, BookingStatus.NO_SHOW)

    @property
    def is_waiting(self) -> bool:
        return self.status == BookingStatus.WAITING

    @property
    def is_booked(self) -> bool:
        return self.status == BookingStatus.BOOKED

    def cancellable_until(self) -> datetime:
        return self.starts_at - timedelta(hours=self.structure.booking_cancel_hours)

    def may_be_cancelled(self, now: datetime) -> bool:
        return self.status in ACTIVE and now < self.cancellable_until()

    def token(self) -> str:
        return signing.dumps(self.pk, salt=SIGNING_SALT)

    @classmethod
    def from_token(cls, token: str) -> int | None:
        try:
            value = signing.loads(token, salt=SIGNING_SALT)
        except signing.BadSignature:
            return None
        return value if isinstance(value, int) else None

    def get_public_url(self) -> str:
        return reverse("bookings:manage", args=[self.token()])
