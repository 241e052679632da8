"""Equipment and connection: the places that hold stock, donations, serialized devices with
their append-only history, counted products on a ledger, prices, free distributions, sales at
a relay's counter, and the laptop fleet lent to workshops."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core import audit
from maillage.core.models import AppendOnlyRow, AuditEvent
from maillage.core.references import Referenced
from maillage.core.roles import NOTHING, within_scope, works_with_people
from maillage.core.statemachine import Tone, Workflow
from maillage.learning.models import Session, Workshop
from maillage.network.models import Structure
from maillage.people.enums import Eligibility
from maillage.people.models import Beneficiary
from maillage.programmes.models import Programme
from maillage.stock.enums import (
    CHECKLIST,
    DEVICE_TRANSITIONS,
    Condition,
    DeviceKind,
    DeviceState,
    DonorKind,
    Grade,
    MovementKind,
    Payment,
    PlaceKind,
    ProductKind,
    TestResult,
    WipeMethod,
)
from maillage.stock.validators import clean_digits, validate_iccid, validate_imei
from maillage.territories.models import Department

MONEY: dict[str, Any] = {"max_digits": 8, "decimal_places": 2}


def euros(amount: Decimal | int) -> str:
    """An amount as French people write it: 150 €, 2,50 €."""
    amount = Decimal(amount)
    if amount == amount.to_integral_value():
        return f"{int(amount)} €"
    return f"{amount:.2f} €".replace(".", ",")


def _visible(user: Any, path: str = "") -> Q:
    """The places a person may see, through `path` from another model: their territory's, their
    structures' own, their own kit; everything for the national team. Funders see no place."""
    if not works_with_people(user):
        return NOTHING
    where = within_scope(user, department=f"{path}department", structure=f"{path}structure")
    return where | Q(**{f"{path}keeper": user.pk})


class PlacedQuerySet(models.QuerySet[Any]):
    """Records seen through the place that holds them (`place_path` leads to it)."""

    place_path = "place__"

    def visible_to(self, user: Any) -> Any:
        return self.filter(_visible(user, self.place_path))


class PlaceQuerySet(PlacedQuerySet):
    place_path = ""

    def active(self) -> PlaceQuerySet:
        return self.filter(is_active=True)


class Place(models.Model):
    """Somewhere stock is held: a warehouse, a refurbishing workshop, a partner structure (a
    relay), or the kit a facilitator carries."""

    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type de lieu"), max_length=16, choices=PlaceKind.choices)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="stock_places",
        verbose_name=_("département"),
    )
    structure = models.ForeignKey(
        Structure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stock_places",
        verbose_name=_("structure partenaire"),
    )
    keeper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stock_kits",
        verbose_name=_("animateur·rice qui porte le kit"),
    )
    address = models.CharField(_("adresse"), max_length=255, blank=True, default="")
    is_active = models.BooleanField(_("en service"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("lieu de stock")
        verbose_name_plural = _("lieux de stock")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=PlaceKind.RELAY) | Q(structure__isnull=False),
                name="relay_place_has_structure",
            ),
            models.CheckConstraint(
                condition=~Q(kind=PlaceKind.KIT) | Q(keeper__isnull=False),
                name="kit_place_has_keeper",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.structure is not None and not self.department_id:
            self.department_id = self.structure.commune.department_id
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("stock:place_detail", args=[self.pk])

    @property
    def sells(self) -> bool:
        """Relays and facilitators' kits serve people at a counter."""
        return self.kind in (PlaceKind.RELAY, PlaceKind.KIT)

    def held(self) -> dict[int, int]:
        """Units held, by product id (products out of stock left out)."""
        return dict(self.balances.filter(quantity__gt=0).values_list("product_id", "quantity"))


# --- Donations ---------------------------------------------------------------------------


class Donor(models.Model):
    """A company, a public body or a person who gives equipment."""

    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type de donateur"), max_length=16, choices=DonorKind.choices)
    address = models.CharField(_("adresse"), max_length=255, blank=True, default="")
    email = models.EmailField(_("e-mail"), blank=True, default="")

    class Meta:
        verbose_name = _("donateur")
        verbose_name_plural = _("donateurs")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class DonationQuerySet(PlacedQuerySet):
    """Donations seen through the place that received them."""


class Donation(Referenced):
    """A lot of items received from a donor on a date, at a place."""

    REFERENCE_PREFIX = "D"

    donor = models.ForeignKey(
        Donor, on_delete=models.PROTECT, related_name="donations", verbose_name=_("donateur")
    )
    received_on = models.DateField(_("reçu le"), default=timezone.localdate)
    place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        related_name="donations",
        verbose_name=_("lieu de réception"),
    )
    note = models.TextField(_("remarques"), blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = DonationQuerySet.as_manager()

    class Meta:
        verbose_name = _("don")
        verbose_name_plural = _("dons")
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return str(_("Don %(reference)s") % {"reference": self.reference})

    def get_absolute_url(self) -> str:
        return reverse("stock:donation_detail", args=[self.reference])


class DonationLine(models.Model):
    """Some items of a donation: devices of a kind (registered one by one at intake) or a
    counted product (received in stock at once)."""

    donation = models.ForeignKey(Donation, on_delete=models.CASCADE, related_name="lines")
    device_kind = models.CharField(
        _("type d'équipement"), max_length=16, choices=DeviceKind.choices, blank=True, default=""
    )
    product = models.ForeignKey(
        "Product", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    description = models.CharField(_("description"), max_length=200, blank=True, default="")
    quantity = models.PositiveIntegerField(_("quantité"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(product__isnull=True) & ~Q(device_kind=""))
                | (Q(product__isnull=False) & Q(device_kind="")),
                name="donation_line_device_kind_or_product",
            ),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="donation_line_quantity"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.label}"

    @property
    def label(self) -> str:
        what = str(self.product) if self.product_id else str(DeviceKind(self.device_kind).label)
        return f"{what} — {self.description}" if self.description else what


# --- Devices -----------------------------------------------------------------------------


class Fleet(models.Model):
    """Laptops lent to workshops so that every learner has one (e.g. 24 lent by a
    département)."""

    name = models.CharField(_("nom"), max_length=200)
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="fleets", verbose_name=_("rangée à")
    )
    owner = models.CharField(
        _("propriétaire"),
        max_length=200,
        blank=True,
        default="",
        help_text=_("Par exemple : prêtée par le Département."),
    )

    class Meta:
        verbose_name = _("flotte de prêt")
        verbose_name_plural = _("flottes de prêt")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("stock:fleet_detail", args=[self.pk])


class DeviceQuerySet(PlacedQuerySet):
    def for_sale(self) -> DeviceQuerySet:
        """Ready (or reserved) devices that are not part of a lending fleet."""
        return self.filter(state__in=(DeviceState.READY, DeviceState.RESERVED), fleet__isnull=True)

    def scanned(self, text: str) -> DeviceQuerySet:
        """The device a label designates: its reference, serial number or IMEI, exactly."""
        text = text.strip()
        digits = clean_digits(text)
        condition = Q(reference__iexact=text) | Q(serial__iexact=text)
        if len(digits) == 15 and digits.isdigit():
            condition |= Q(imei=digits)
        return self.filter(condition)

    def search(self, text: str) -> DeviceQuerySet:
        text = text.strip()
        if not text:
            return self
        digits = "".join(c for c in text if c.isdigit())
        condition = (
            Q(reference__iexact=text)
            | Q(serial__iexact=text)
            | Q(brand__icontains=text)
            | Q(model__icontains=text)
        )
        if len(digits) >= 6:
            condition |= Q(imei__endswith=digits)
        return self.filter(condition)


class Device(Referenced):
    """One serialized device. Its state and place are those of its last event: the history
    (`DeviceEvent`) is written first, and only `Device.record` writes both."""

    REFERENCE_PREFIX = "E"

    kind = models.CharField(_("type d'équipement"), max_length=16, choices=DeviceKind.choices)
    brand = models.CharField(_("marque"), max_length=80)
    model = models.CharField(_("modèle"), max_length=120)
    serial = models.CharField(_("numéro de série"), max_length=64, blank=True, default="")
    imei = models.CharField(
        _("IMEI"), max_length=15, blank=True, default="", validators=[validate_imei]
    )
    processor = models.CharField(_("processeur"), max_length=120, blank=True, default="")
    memory_gb = models.PositiveSmallIntegerField(_("mémoire vive (Go)"), null=True, blank=True)
    storage_gb = models.PositiveIntegerField(_("stockage (Go)"), null=True, blank=True)
    operating_system = models.CharField(
        _("système d'exploitation"), max_length=120, blank=True, default=""
    )
    screen_inches = models.DecimalField(
        _("écran (pouces)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    donation = models.ForeignKey(
        Donation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="devices",
        verbose_name=_("don d'origine"),
    )
    fleet = models.ForeignKey(
        Fleet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="devices",
        verbose_name=_("flotte de prêt"),
    )
    # Derived from the last event (see `record`).
    state = models.CharField(
        _("état"), max_length=16, choices=DeviceState.choices, default=DeviceState.RECEIVED
    )
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="devices", verbose_name=_("lieu")
    )
    grade = models.CharField(
        _("grade"), max_length=1, choices=Grade.choices, blank=True, default=""
    )
    reserved_for = models.ForeignKey(
        Beneficiary,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("réservé pour"),
    )
    reserved_until = models.DateField(_("réservé jusqu'au"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    workflow = Workflow(
        field="state",
        choices=DeviceState,
        transitions=DEVICE_TRANSITIONS,
        tones={
            DeviceState.SOLD: Tone.DONE,
            DeviceState.GIVEN: Tone.DONE,
            DeviceState.LENT: Tone.DONE,
            DeviceState.RECYCLED: Tone.CANCELLED,
            DeviceState.LOST: Tone.CANCELLED,
        },
    )

    objects = DeviceQuerySet.as_manager()

    class Meta:
        verbose_name = _("équipement")
        verbose_name_plural = _("équipements")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["place", "state", "kind"])]
        constraints = [
            models.UniqueConstraint(
                fields=["imei"],
                condition=~Q(imei=""),
                name="unique_device_imei",
                violation_error_message=_("Un équipement portant cet IMEI est déjà enregistré."),
            ),
            models.UniqueConstraint(
                fields=["brand", "serial"],
                condition=~Q(serial=""),
                name="unique_device_serial",
                violation_error_message=_(
                    "Un équipement de cette marque portant ce numéro de série est déjà enregistré."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(serial="") | ~Q(imei=""),
                name="device_has_serial_or_imei",
                violation_error_message=_("Indiquez le numéro de série ou l'IMEI."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.brand} {self.model} ({self.reference})"

    def get_absolute_url(self) -> str:
        return reverse("stock:device_detail", args=[self.reference])

    def start_history(self, *, by: Any, at: datetime | None = None, note: str = "") -> DeviceEvent:
        """Save a new device as received at its place, with the first event of its history."""
        with transaction.atomic():
            self.state = DeviceState.RECEIVED
            self.save()
            event = DeviceEvent.objects.create(
                device=self,
                at=at or timezone.now(),
                by=audit.author(by),
                from_state="",
                to_state=DeviceState.RECEIVED,
                place=self.place,
            )
            event.write_note(note)
            audit.record(by, AuditEvent.Action.CREATE, self)
        return event

    def record(
        self,
        target: str,
        *,
        by: Any,
        place: Place | None = None,
        beneficiary: Beneficiary | None = None,
        data: dict[str, Any] | None = None,
        note: str = "",
        at: datetime | None = None,
        **fields: Any,
    ) -> DeviceEvent:
        """Append the event that moves the device to `target` (at `place`; by default where
        it is) and derive its state and place from it, with `fields` (grade, reservation).
        The row is locked and re-read, so two concurrent steps cannot both start from the
        same state; a step the workflow does not allow raises `TransitionNotAllowed`."""
        at = at or timezone.now()
        with transaction.atomic():
            locked = Device.objects.select_for_update().get(pk=self.pk)
            self.workflow.check(locked.state, target)
            last = locked.events.order_by("-at", "-pk").values_list("at", flat=True).first()
            if last is not None and at < last:
                raise ValueError(f"{self.reference}: an event cannot precede the last one.")
            event = DeviceEvent.objects.create(
                device=self,
                at=at,
                by=audit.author(by),
                from_state=locked.state,
                to_state=target,
                place=place or locked.place,
                beneficiary=beneficiary,
                data=data or {},
            )
            event.write_note(note)
            if target != DeviceState.RESERVED:
                fields.setdefault("reserved_for", None)
                fields.setdefault("reserved_until", None)
            fields.update(state=target, place=event.place)
            Device.objects.filter(pk=self.pk).update(**fields)
            for name, value in fields.items():
                setattr(self, name, value)
            audit.record(
                by, AuditEvent.Action.TRANSITION, self, changes={"state": [locked.state, target]}
            )
        return event

    @property
    def checklist(self) -> list[str]:
        return CHECKLIST[self.kind]

    def cycle(self) -> list[DeviceEvent]:
        """The events since the device last came back (its current refurbishing cycle)."""
        events = list(self.events.order_by("at", "pk"))
        starts = [i for i, e in enumerate(events) if e.to_state == DeviceState.RETURNED]
        return events[starts[-1] + 1 :] if starts else events

    def decree_conditions(self) -> list[tuple[str, bool, str]]:
        """The three conditions of the decree on refurbished goods (décret n° 2022-190):
        functions tested, repaired where needed, previous data deleted. Each as (label, met,
        detail)."""
        cycle = self.cycle()
        tests = [e for e in cycle if e.to_state == DeviceState.TESTED]
        wipes = [e for e in cycle if e.to_state == DeviceState.WIPED]
        test = tests[-1] if tests else None
        results = (test.data.get("results", {}) if test else {}) or {}
        every_function = bool(test) and all(item in results for item in self.checklist)
        repaired = [item for item, result in results.items() if result == TestResult.REPAIRED]
        failed = [item for item, result in results.items() if result == TestResult.FAILED]
        wipe = wipes[-1] if wipes else None
        return [
            (
                str(_("Toutes les fonctionnalités ont été testées")),
                every_function,
                str(_("le %(date)s") % {"date": timezone.localdate(test.at).strftime("%d/%m/%Y")})
                if test
                else "",
            ),
            (
                str(_("Les fonctionnalités défaillantes ont été réparées")),
                bool(test) and not failed,
                (
                    test.data.get("repairs", "")
                    if repaired
                    else str(_("aucune réparation nécessaire"))
                )
                if test
                else "",
            ),
            (
                str(_("Les données de l'utilisateur précédent ont été effacées")),
                wipe is not None,
                str(WipeMethod(wipe.data["method"]).label) if wipe else "",
            ),
        ]

    def meets_decree(self) -> bool:
        return all(met for _label, met, _detail in self.decree_conditions())

    @property
    def is_reserved(self) -> bool:
        return self.state == DeviceState.RESERVED

    def last_event(self, state: str) -> DeviceEvent | None:
        return self.events.filter(to_state=state).order_by("-at", "-pk").first()


class DeviceEvent(AppendOnlyRow):
    """One step of a device's life, never changed: who, when, from which state to which, at
    which place, and what was recorded (checklist, wipe, grade, person)."""

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("par"),
    )
    from_state = models.CharField(max_length=16, choices=DeviceState.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=DeviceState.choices)
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+")
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("étape de la vie d'un équipement")
        verbose_name_plural = _("historique des équipements")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["to_state", "at"])]

    def __str__(self) -> str:
        return f"{self.device_id}: {self.from_state or '∅'} → {self.to_state}"

    @property
    def label(self) -> str:
        return str(DeviceState(self.to_state).label)

    @property
    def comment(self) -> str:
        """What was written on this step, unless erasure emptied it."""
        try:
            return self.written_note.text
        except DeviceEventNote.DoesNotExist:
            return ""

    def write_note(self, text: str) -> None:
        if text:
            DeviceEventNote.objects.create(event=self, text=text)


class DeviceEventNote(models.Model):
    """What was written on a step of a device's life (why it came back, what was repaired).
    Kept beside the history, not in it: about a loan or a return it may name the person, and
    erasure must be able to remove it."""

    event = models.OneToOneField(
        DeviceEvent, on_delete=models.CASCADE, primary_key=True, related_name="written_note"
    )
    text = models.TextField(_("note"))

    class Meta:
        verbose_name = _("note d'une étape d'un équipement")
        verbose_name_plural = _("notes des étapes des équipements")

    def __str__(self) -> str:
        return self.text[:50]


# --- Counted products and their ledger ---------------------------------------------------


class Product(models.Model):
    """A counted item: a SIM card of an operator, a top-up voucher of a value, an accessory."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    kind = models.CharField(_("type de produit"), max_length=16, choices=ProductKind.choices)
    operator = models.CharField(_("opérateur"), max_length=60, blank=True, default="")
    face_value = models.DecimalField(
        _("valeur faciale (€)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Pour une recharge : le crédit qu'elle donne."),
        **MONEY,
    )
    connection_months = models.PositiveSmallIntegerField(
        _("mois de connexion inclus"), null=True, blank=True
    )
    is_active = models.BooleanField(_("proposé"), default=True)

    class Meta:
        verbose_name = _("produit")
        verbose_name_plural = _("produits")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=ProductKind.TOPUP) | Q(face_value__isnull=False),
                name="topup_has_face_value",
            )
        ]

    def __str__(self) -> str:
        return self.name


class StockBalanceQuerySet(PlacedQuerySet):
    """Balances seen through their place."""


class StockBalance(models.Model):
    """How many units of a product a place holds. Changed only by `ledger.move`, which writes
    the movement in the same transaction; the database refuses a negative quantity."""

    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="balances")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="balances")
    quantity = models.IntegerField(_("quantité"), default=0)

    objects = StockBalanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("stock d'un produit")
        verbose_name_plural = _("stocks des produits")
        ordering = ["place", "product"]
        constraints = [
            models.UniqueConstraint(fields=["place", "product"], name="one_balance_per_place"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="balance_never_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.place} — {self.product}: {self.quantity}"


class StockMovement(AppendOnlyRow):
    """One line of the ledger: a product in or out of a place, why, by whom, and the balance
    after it. Never changed or deleted."""

    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="movements")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="movements")
    delta = models.IntegerField(_("quantité"))
    kind = models.CharField(_("mouvement"), max_length=16, choices=MovementKind.choices)
    at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    balance_after = models.IntegerField(_("stock après"))
    reason = models.CharField(_("motif"), max_length=255, blank=True, default="")
    donation = models.ForeignKey(
        Donation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    transfer = models.ForeignKey(
        "Transfer", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sale = models.ForeignKey(
        "Sale", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    count = models.ForeignKey(
        "StockCount", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("mouvement de stock")
        verbose_name_plural = _("mouvements de stock")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["place", "product", "at"])]
        constraints = [
            models.CheckConstraint(condition=~Q(delta=0), name="movement_not_zero"),
            models.CheckConstraint(
                condition=Q(balance_after__gte=0), name="movement_balance_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place_id}/{self.product_id} {self.delta:+d}"


# --- Transfers and stock counts ----------------------------------------------------------


class TransferQuerySet(models.QuerySet["Transfer"]):
    def visible_to(self, user: Any) -> TransferQuerySet:
        """Both ends see a transfer."""
        return self.filter(_visible(user, "from_place__") | _visible(user, "to_place__"))

    def pending(self) -> TransferQuerySet:
        return self.filter(received_at__isnull=True)


class Transfer(Referenced):
    """Devices and products sent from one place to another, with a delivery note; the
    receiving place confirms their arrival."""

    REFERENCE_PREFIX = "BL"

    from_place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="transfers_out", verbose_name=_("depuis")
    )
    to_place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="transfers_in", verbose_name=_("vers")
    )
    sent_at = models.DateTimeField(_("envoyé le"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    received_at = models.DateTimeField(_("réception confirmée le"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("remarques"), blank=True, default="")

    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("transfert")
        verbose_name_plural = _("transferts")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_place=models.F("to_place")), name="transfer_between_two_places"
            )
        ]

    def __str__(self) -> str:
        return str(_("Bon de livraison %(reference)s") % {"reference": self.reference})

    def get_absolute_url(self) -> str:
        return reverse("stock:transfer_detail", args=[self.reference])


class TransferLine(models.Model):
    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="lines")
    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, null=True, blank=True, related_name="transfer_lines"
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantité"), default=1)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(device__isnull=False) & Q(product__isnull=True) & Q(quantity=1))
                | (Q(device__isnull=True) & Q(product__isnull=False) & Q(quantity__gte=1)),
                name="transfer_line_device_or_product",
            )
        ]

    def __str__(self) -> str:
        return str(self.device) if self.device_id else f"{self.quantity} × {self.product}"


class StockCount(models.Model):
    """A count of a place's products; each difference is recorded and adjusts the ledger."""

    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="counts")
    counted_at = models.DateTimeField(_("compté le"), default=timezone.now)
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    note = models.TextField(_("remarques"), blank=True, default="")

    class Meta:
        verbose_name = _("inventaire")
        verbose_name_plural = _("inventaires")
        ordering = ["-counted_at", "-pk"]

    def __str__(self) -> str:
        return str(_("Inventaire du %(date)s") % {"date": self.counted_at.strftime("%d/%m/%Y")})


class StockCountLine(models.Model):
    count = models.ForeignKey(StockCount, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    expected = models.IntegerField(_("stock attendu"))
    counted = models.PositiveIntegerField(_("stock compté"))
    reason = models.CharField(_("motif de l'écart"), max_length=255, blank=True, default="")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.product}: {self.expected} → {self.counted}"

    @property
    def difference(self) -> int:
        return self.counted - self.expected


# --- The solidarity offer ----------------------------------------------------------------


class PriceListQuerySet(models.QuerySet["PriceList"]):
    def valid_on(self, day: date) -> PriceList | None:
        """The list in force on a day: the most recent one whose validity covers it."""
        return (
            self.filter(valid_from__lte=day)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
            .order_by("-valid_from", "-pk")
            .first()
        )


class PriceList(models.Model):
    """Solidarity prices, valid between two dates."""

    name = models.CharField(_("nom"), max_length=120)
    valid_from = models.DateField(_("valable à partir du"))
    valid_until = models.DateField(_("valable jusqu'au"), null=True, blank=True)

    objects = PriceListQuerySet.as_manager()

    class Meta:
        verbose_name = _("grille de prix solidaires")
        verbose_name_plural = _("grilles de prix solidaires")
        ordering = ["-valid_from", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="price_list_valid_period",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def price_of_device(self, kind: str, grade: str) -> Decimal | None:
        price = self.prices.filter(device_kind=kind, grade=grade).first()
        return price.amount if price else None

    def price_of_product(self, product: Product) -> Decimal | None:
        price = self.prices.filter(product=product).first()
        return price.amount if price else None


class Price(models.Model):
    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="prices")
    device_kind = models.CharField(
        _("type d'équipement"), max_length=16, choices=DeviceKind.choices, blank=True, default=""
    )
    grade = models.CharField(
        _("grade"), max_length=1, choices=Grade.choices, blank=True, default=""
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, null=True, blank=True, related_name="prices"
    )
    amount = models.DecimalField(
        _("prix solidaire (€)"), validators=[MinValueValidator(Decimal("0"))], **MONEY
    )

    class Meta:
        ordering = ["device_kind", "grade", "product"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(product__isnull=True) & ~Q(device_kind="") & ~Q(grade=""))
                | (Q(product__isnull=False) & Q(device_kind="") & Q(grade="")),
                name="price_of_device_grade_or_product",
            ),
            models.UniqueConstraint(
                fields=["price_list", "device_kind", "grade"],
                condition=Q(product__isnull=True),
                name="one_price_per_device_grade",
            ),
            models.UniqueConstraint(
                fields=["price_list", "product"],
                condition=Q(product__isnull=False),
                name="one_price_per_product",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="price_not_negative"),
        ]

    def __str__(self) -> str:
        what = self.product or f"{self.get_device_kind_display()} {self.grade}"
        return f"{what}: {euros(self.amount)}"


class FreeDistributionQuerySet(models.QuerySet["FreeDistribution"]):
    def open_on(self, day: date) -> FreeDistributionQuerySet:
        return self.filter(start__lte=day).filter(Q(end__isnull=True) | Q(end__gte=day))


class FreeDistribution(models.Model):
    """An operation that gives equipment or connection free of charge to eligible people,
    funded by a partner: e.g. a SIM card with two months of connection for refugees, or
    smartphones given by a foundation. It has its own eligibility and its own count."""

    name = models.CharField(_("nom"), max_length=200)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="free_distributions",
        verbose_name=_("programme"),
    )
    criteria = models.JSONField(
        _("publics éligibles"),
        default=list,
        blank=True,
        help_text=_("Vide : toute personne éligible à l'offre solidaire."),
    )
    device_kind = models.CharField(
        _("équipement donné"), max_length=16, choices=DeviceKind.choices, blank=True, default=""
    )
    product = models.ForeignKey(
        Product,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("produit donné"),
    )
    quantity = models.PositiveIntegerField(
        _("nombre prévu"), null=True, blank=True, help_text=_("Vide : sans limite.")
    )
    start = models.DateField(_("début"))
    end = models.DateField(_("fin"), null=True, blank=True)
    places = models.ManyToManyField(
        Place, related_name="free_distributions", verbose_name=_("lieux de distribution")
    )

    objects = FreeDistributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("opération de distribution gratuite")
        verbose_name_plural = _("opérations de distribution gratuite")
        ordering = ["-start", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(product__isnull=True) & ~Q(device_kind=""))
                | (Q(product__isnull=False) & Q(device_kind="")),
                name="free_distribution_gives_device_or_product",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def criteria_labels(self) -> list[str]:
        return [str(Eligibility(c).label) for c in self.criteria if c in Eligibility.values]

    def given(self) -> int:
        """Units given so far (sales cancelled excluded)."""
        lines = SaleLine.objects.filter(
            sale__free_distribution=self, sale__cancelled_at__isnull=True
        )
        return lines.aggregate(n=models.Sum("quantity"))["n"] or 0


class EligibilityCheck(models.Model):
    """A criterion of the solidarity offer checked on a document at the counter (an RSA
    certificate, an asylum seeker's certificate…), valid for a while."""

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="eligibility_checks"
    )
    criterion = models.CharField(_("critère"), max_length=16, choices=Eligibility.choices)
    checked_on = models.DateField(_("vérifié le"), default=timezone.localdate)
    valid_until = models.DateField(_("valable jusqu'au"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("critère vérifié")
        verbose_name_plural = _("critères vérifiés")
        ordering = ["-checked_on", "-pk"]

    def __str__(self) -> str:
        return str(self.get_criterion_display())


# --- Sales and free distributions at a relay's counter ----------------------------------


class SaleQuerySet(PlacedQuerySet):
    def standing(self) -> SaleQuerySet:
        """Sales not cancelled."""
        return self.filter(cancelled_at__isnull=True)


class Sale(Referenced):
    """What a person received at a counter, sold at a solidarity price or given, in one
    transaction (see `services.sell`)."""

    REFERENCE_PREFIX = "V"

    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="sales", verbose_name=_("lieu")
    )
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="purchases", verbose_name=_("personne")
    )
    sold_at = models.DateTimeField(_("le"), default=timezone.now, db_index=True)
    sold_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    payment = models.CharField(_("moyen de paiement"), max_length=8, choices=Payment.choices)
    total = models.DecimalField(_("total (€)"), default=Decimal("0"), **MONEY)
    free_distribution = models.ForeignKey(
        FreeDistribution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sales",
        verbose_name=_("opération de distribution gratuite"),
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sales",
        verbose_name=_("programme"),
    )
    # What made the person eligible.
    referral = models.ForeignKey(
        "people.Referral", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    eligibility_check = models.ForeignKey(
        EligibilityCheck, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.CharField(
        _("motif d'annulation"), max_length=255, blank=True, default=""
    )

    objects = SaleQuerySet.as_manager()

    class Meta:
        verbose_name = _("vente ou remise")
        verbose_name_plural = _("ventes et remises")
        ordering = ["-sold_at", "-pk"]
        indexes = [models.Index(fields=["place", "sold_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(payment=Payment.FREE) | Q(total=0), name="free_sale_costs_nothing"
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="sale_total_not_negative"),
        ]

    def __str__(self) -> str:
        return str(_("Ticket %(reference)s") % {"reference": self.reference})

    def get_absolute_url(self) -> str:
        return reverse("stock:sale_detail", args=[self.reference])

    @property
    def is_free(self) -> bool:
        return self.payment == Payment.FREE

    def cancellable_until(self) -> date:
        """A sale may be cancelled on the day it was made."""
        return timezone.localtime(self.sold_at).date()

    def may_be_cancelled(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.cancelled_at is None and today <= self.cancellable_until()

    def warranty_until(self) -> date:
        return timezone.localtime(self.sold_at).date() + timedelta(
            days=round(30.44 * settings.STOCK_WARRANTY_MONTHS)
        )


class SaleLine(models.Model):
    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="lines")
    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, null=True, blank=True, related_name="sale_lines"
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, null=True, blank=True, related_name="sale_lines"
    )
    quantity = models.PositiveIntegerField(_("quantité"), default=1)
    unit_price = models.DecimalField(_("prix unitaire (€)"), **MONEY)
    iccid = models.CharField(
        _("numéro de la carte SIM (ICCID)"),
        max_length=22,
        blank=True,
        default="",
        validators=[validate_iccid],
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(device__isnull=False) & Q(product__isnull=True) & Q(quantity=1))
                | (Q(device__isnull=True) & Q(product__isnull=False) & Q(quantity__gte=1)),
                name="sale_line_device_or_product",
            ),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="sale_line_price"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.label}"

    @property
    def amount(self) -> Decimal:
        return self.unit_price * self.quantity

    @property
    def label(self) -> str:
        return str(self.device) if self.device_id else str(self.product)


# --- The laptop fleet --------------------------------------------------------------------


class FleetLoanQuerySet(models.QuerySet["FleetLoan"]):
    def visible_to(self, user: Any) -> FleetLoanQuerySet:
        condition = _visible(user, "fleet__place__")
        return self.filter(condition | Q(facilitator_id=getattr(user, "pk", None)))

    def open(self) -> FleetLoanQuerySet:
        return self.filter(returned_at__isnull=True)

    def overdue(self, today: date | None = None) -> FleetLoanQuerySet:
        return self.open().filter(due_on__lt=today or timezone.localdate())

    def covering(self, day: date, today: date | None = None) -> FleetLoanQuerySet:
        """Loans whose laptops are still out on that day: not back, taken out on or before
        it, and expected back on or after it or already late (a late laptop is out until it
        comes back)."""
        today = today or timezone.localdate()
        return self.open().filter(out_on__lte=day).filter(Q(due_on__gte=day) | Q(due_on__lt=today))


class FleetLoan(models.Model):
    """Laptops of a fleet taken out for a session or a workshop, or by a facilitator."""

    fleet = models.ForeignKey(Fleet, on_delete=models.PROTECT, related_name="loans")
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="fleet_loans",
        verbose_name=_("animateur·rice"),
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("séance"),
    )
    workshop = models.ForeignKey(
        Workshop,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("atelier"),
    )
    out_on = models.DateField(_("sorti le"), default=timezone.localdate)
    due_on = models.DateField(_("retour prévu le"))
    returned_at = models.DateTimeField(_("rendu le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    returned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("remarques"), blank=True, default="")

    objects = FleetLoanQuerySet.as_manager()

    class Meta:
        verbose_name = _("prêt de la flotte")
        verbose_name_plural = _("prêts de la flotte")
        ordering = ["-out_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("out_on")), name="fleet_loan_due_after_out"
            )
        ]

    def __str__(self) -> str:
        return str(
            _("Prêt de %(count)s ordinateurs du %(date)s")
            % {"count": self.items.count(), "date": self.out_on.strftime("%d/%m/%Y")}
        )

    def get_absolute_url(self) -> str:
        return reverse("stock:fleet_loan_detail", args=[self.pk])

    def is_overdue(self, today: date | None = None) -> bool:
        return self.returned_at is None and self.due_on < (today or timezone.localdate())


class FleetLoanItem(models.Model):
    loan = models.ForeignKey(FleetLoan, on_delete=models.CASCADE, related_name="items")
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="fleet_loan_items")
    condition = models.CharField(
        _("état au retour"), max_length=16, choices=Condition.choices, blank=True, default=""
    )
    note = models.CharField(_("remarque"), max_length=255, blank=True, default="")

    class Meta:
        ordering = ["device__reference"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "device"], name="one_device_per_loan")
        ]

    def __str__(self) -> str:
        return str(self.device)
