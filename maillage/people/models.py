"""The people accompanied (*bénéficiaires*), their consents, and the referrals that bring them."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.references import REFERENCE_ALPHABET, Referenced
from maillage.core.roles import scope_of, within_scope
from maillage.core.statemachine import Tone, Workflow
from maillage.network.models import STRUCTURE_PLACE, Structure
from maillage.people.enums import (
    OPEN_REFERRAL_STATUSES,
    REFERRAL_TRANSITIONS,
    AgeBand,
    BestMoment,
    Connection,
    ConsentPurpose,
    Eligibility,
    Equipment,
    Gender,
    Language,
    Need,
    ReferralStatus,
    SocialSituation,
    Urgency,
)
from maillage.territories.models import Commune, normalise

OLDEST_BIRTH_YEAR = 1900


def current_year() -> int:
    return timezone.localdate().year


def birth_year_validators() -> list[Any]:
    return [MinValueValidator(OLDEST_BIRTH_YEAR), MaxValueValidator(current_year)]


# A person's whole reference as typed in a search box (« P-4KX7MA », any case).
REFERENCE = re.compile(rf"[Pp]-[{REFERENCE_ALPHABET}{REFERENCE_ALPHABET.lower()}]{{6}}")


class PersonDetails(models.Model):
    """Who a person is and how to reach them: kept on their record, and on a referral before
    any record exists."""

    first_name = models.CharField(_("prénom"), max_length=100, blank=True, default="")
    last_name = models.CharField(_("nom"), max_length=100, blank=True, default="")
    birth_year = models.PositiveSmallIntegerField(
        _("année de naissance"), null=True, blank=True, validators=birth_year_validators()
    )
    gender = models.CharField(
        _("genre"), max_length=16, choices=Gender.choices, default=Gender.UNDISCLOSED
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune de résidence"),
    )
    phone = models.CharField(_("téléphone"), max_length=20, blank=True, default="")
    email = models.EmailField(_("e-mail"), blank=True, default="")
    preferred_language = models.CharField(
        _("langue préférée"), max_length=8, choices=Language.choices, default=Language.FRENCH
    )

    DETAILS = (
        "first_name",
        "last_name",
        "birth_year",
        "gender",
        "commune",
        "phone",
        "email",
        "preferred_language",
    )

    class Meta:
        abstract = True

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def folded_name(first_name: str, last_name: str) -> str:
    """A person's name as searches compare it: lower case, without accents."""
    return normalise(f"{first_name} {last_name}")


def identity_keys(
    *,
    first_name: str = "",
    last_name: str = "",
    search_name: str = "",
    birth_year: int | None,
    phone: str,
) -> list[tuple[Any, ...]]:
    """What makes two records likely the same person: the same name (folded) and birth year,
    or the same phone number."""
    name = search_name or (folded_name(first_name, last_name) if first_name else "")
    keys: list[tuple[Any, ...]] = []
    if name and birth_year:
        keys.append(("name", name, birth_year))
    if phone:
        keys.append(("phone", phone))
    return keys


class BeneficiaryQuerySet(models.QuerySet["Beneficiary"]):
    def visible_to(self, user: Any) -> BeneficiaryQuerySet:
        """Staff see the people followed by structures of their territories; a referent sees
        their structure's people; a funder sees no one."""
        return self.filter(within_scope(user, department=STRUCTURE_PLACE, structure="structure"))

    def erasable_by(self, user: Any) -> BeneficiaryQuerySet:
        """Managers (and the national team) answer requests to erase a person's data."""
        return self.filter(within_scope(user, department=STRUCTURE_PLACE, managed_only=True))

    def named(self) -> BeneficiaryQuerySet:
        return self.filter(is_anonymous=False)

    def search(self, text: str) -> BeneficiaryQuerySet:
        """By name, phone number or reference; a whole reference finds that person only."""
        text = text.strip()
        if not text:
            return self
        if REFERENCE.fullmatch(text):
            return self.filter(reference__iexact=text)
        condition = Q(reference__iexact=text)
        for word in normalise(text).split():
            condition |= Q(search_name__contains=word)
        digits = "".join(c for c in text if c.isdigit())
        if len(digits) >= 6:
            condition |= Q(phone__endswith=digits.lstrip("0"))
        return self.filter(condition)

    def likely_duplicates(
        self,
        *,
        first_name: str,
        last_name: str,
        birth_year: int | None,
        phone: str,
    ) -> BeneficiaryQuerySet:
        """Same name and birth year, or the same phone number (see `identity_keys`)."""
        condition = Q(pk__in=[])
        for key in identity_keys(
            first_name=first_name, last_name=last_name, birth_year=birth_year, phone=phone
        ):
            if key[0] == "name":
                condition |= Q(search_name=key[1], birth_year=key[2])
            else:
                condition |= Q(phone=key[1])
        return self.named().filter(condition)

    def by_identity_key(self) -> dict[tuple[Any, ...], str]:
        """The references of these named people under each of their identity keys: one query
        for a whole file's lines instead of one per line."""
        found: dict[tuple[Any, ...], str] = {}
        rows = self.named().values_list("search_name", "birth_year", "phone", "reference")
        for search_name, birth_year, phone, reference in rows.iterator(chunk_size=2000):
            for key in identity_keys(search_name=search_name, birth_year=birth_year, phone=phone):
                found.setdefault(key, reference)
        return found

    def statistics(self, day: date) -> dict[str, Any]:
        """What the people count for, at a date: how many, by gender, by age band, average
        age. Anonymous and anonymised people count like everyone else."""
        people = list(self.values_list("gender", "birth_year", "age_band"))
        ages = [day.year - year for _gender, year, _band in people if year]
        bands: dict[str, int] = {}
        for _gender, year, band in people:
            key = AgeBand.of_age(day.year - year) if year else band
            bands[key] = bands.get(key, 0) + 1
        genders: dict[str, int] = {}
        for gender, _year, _band in people:
            genders[gender] = genders.get(gender, 0) + 1
        return {
            "people": len(people),
            "by_gender": genders,
            "by_age_band": bands,
            "average_age": round(sum(ages) / len(ages), 1) if ages else None,
        }

    def touch(self, day: date) -> int:
        """Record a contact with these people on `day` (their retention period starts again)."""
        return self.filter(last_contact_on__lt=day).update(last_contact_on=day)

    def inactive_since(self, day: date) -> BeneficiaryQuerySet:
        """Named people whose last contact is older than `day`."""
        return self.named().filter(last_contact_on__lt=day)


class Beneficiary(Referenced, PersonDetails):
    """A person accompanied (*bénéficiaire*, *apprenant*). An anonymous person is counted by
    gender and age band only."""

    REFERENCE_PREFIX = "P"

    structure = models.ForeignKey(
        Structure,
        on_delete=models.PROTECT,
        related_name="beneficiaries",
        verbose_name=_("structure qui suit la personne"),
    )
    is_anonymous = models.BooleanField(_("anonyme"), default=False)
    search_name = models.CharField(max_length=201, blank=True, default="", editable=False)
    age_band = models.CharField(
        _("tranche d'âge"),
        max_length=8,
        choices=AgeBand.choices,
        default=AgeBand.UNKNOWN,
        help_text=_("Pour une personne anonyme ; sinon déduite de l'année de naissance."),
    )
    social_situation = models.CharField(
        _("situation sociale"),
        max_length=16,
        choices=SocialSituation.choices,
        default=SocialSituation.UNDISCLOSED,
    )
    equipment = models.JSONField(_("équipement à domicile"), default=list, blank=True)
    connection = models.CharField(
        _("connexion à domicile"), max_length=8, choices=Connection.choices, blank=True, default=""
    )
    notes = models.TextField(_("notes"), blank=True, default="")
    created_at = models.DateTimeField(_("créée le"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("créée par"),
    )
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    last_contact_on = models.DateField(
        _("dernier contact"), default=timezone.localdate, db_index=True
    )
    erased_at = models.DateTimeField(_("anonymisée le"), null=True, blank=True)

    objects = BeneficiaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("personne accompagnée")
        verbose_name_plural = _("personnes accompagnées")
        ordering = ["-created_at", "pk"]
        indexes = [
            models.Index(fields=["structure", "is_anonymous"]),
            models.Index(fields=["search_name", "birth_year"]),
            models.Index(fields=["phone"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_anonymous=True) | ~Q(first_name=""),
                name="named_beneficiary_has_first_name",
            ),
        ]

    # Fields that identify or describe the person; erasure empties them.
    PERSONAL_FIELDS = (
        "first_name",
        "last_name",
        "search_name",
        "commune",
        "phone",
        "email",
        "social_situation",
        "equipment",
        "connection",
        "notes",
    )
    EDITABLE_FIELDS = (
        *PersonDetails.DETAILS,
        "social_situation",
        "equipment",
        "connection",
        "notes",
    )

    def __str__(self) -> str:
        if self.is_anonymous:
            return str(_("Personne anonyme %(reference)s") % {"reference": self.reference})
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fill_search_name()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("people:beneficiary_detail", args=[self.reference])

    def fill_search_name(self) -> None:
        """The folded name searches compare with (kept on save; called before a bulk create)."""
        self.search_name = (
            folded_name(self.first_name, self.last_name) if not self.is_anonymous else ""
        )

    def equipment_labels(self) -> str:
        return ", ".join(str(Equipment(e).label) for e in self.equipment if e in Equipment.values)

    def age_on(self, day: date) -> int | None:
        return day.year - self.birth_year if self.birth_year else None

    def band_on(self, day: date) -> AgeBand:
        """The age band at a date: from the birth year when known, else the recorded band."""
        if self.birth_year:
            return AgeBand.of_age(self.age_on(day))
        return AgeBand(self.age_band)

    def active_consent(self, purpose: str) -> Consent | None:
        return self.consents.filter(purpose=purpose, withdrawn_at__isnull=True).first()

    @staticmethod
    def active_consents(history: list[Consent]) -> dict[str, Consent | None]:
        """`active_consent` of every purpose, found in the person's consents the page read
        already (`history`, in the model's order: the latest first in each purpose)."""
        active: dict[str, Consent | None] = dict.fromkeys(ConsentPurpose.values)
        for consent in history:
            if consent.withdrawn_at is None and active.get(consent.purpose) is None:
                active[consent.purpose] = consent
        return active

    def may_receive_sms(self) -> bool:
        return bool(self.phone) and self.active_consent(ConsentPurpose.SMS) is not None

    def touch(self, day: date | None = None) -> None:
        """Record a contact with the person (the retention period starts again)."""
        day = day or timezone.localdate()
        Beneficiary.objects.filter(pk=self.pk).touch(day)
        self.last_contact_on = max(self.last_contact_on, day)


class Consent(models.Model):
    """What the person agreed to, for which purpose, recorded by whom; withdrawable."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("finalité"), max_length=16, choices=ConsentPurpose.choices)
    given_on = models.DateField(_("donné le"), default=timezone.localdate)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recueilli par"),
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    withdrawn_at = models.DateTimeField(_("retiré le"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("retrait enregistré par"),
    )

    class Meta:
        verbose_name = _("consentement")
        verbose_name_plural = _("consentements")
        ordering = ["purpose", "-given_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary", "purpose"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_active_consent_per_purpose",
            )
        ]

    def __str__(self) -> str:
        return str(self.get_purpose_display())


# --- Referrals ---------------------------------------------------------------


class ReferralLinkQuerySet(models.QuerySet["ReferralLink"]):
    def active(self) -> ReferralLinkQuerySet:
        return self.filter(revoked_at__isnull=True, expires_on__gte=timezone.localdate())


class ReferralLink(models.Model):
    """A signed, expiring address a structure shares with social workers who have no account,
    so that they can refer people to it."""

    SALT = "maillage.people.referral-link"

    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="referral_links"
    )
    label = models.CharField(
        _("destinataires"),
        max_length=120,
        help_text=_("Par exemple : travailleurs sociaux du Département."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_on = models.DateField(_("valable jusqu'au"))
    revoked_at = models.DateTimeField(_("désactivé le"), null=True, blank=True)

    objects = ReferralLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("lien d'orientation")
        verbose_name_plural = _("liens d'orientation")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("people:referral_public", args=[self.token])

    @property
    def token(self) -> str:
        return signing.dumps(self.pk, salt=self.SALT)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_on >= timezone.localdate()

    @classmethod
    def from_token(cls, token: str) -> ReferralLink | None:
        """The active link a token designates, or None (forged, expired or revoked)."""
        try:
            pk = signing.loads(token, salt=cls.SALT)
        except signing.BadSignature:
            return None
        return cls.objects.active().select_related("structure").filter(pk=pk).first()


# The path from a referral to the département of the structure it was sent to.
RECEIVER = "to_structure__commune__department"


class ReferralQuerySet(models.QuerySet["Referral"]):
    def visible_to(self, user: Any) -> ReferralQuerySet:
        """The receiving team sees what it received; a referent also sees what their structure
        sent. A funder sees none."""
        received = within_scope(user, department=RECEIVER, structure="to_structure")
        sent = Q(from_structure__in=scope_of(user).structure_ids)
        return self.filter(received | sent)

    def actionable_by(self, user: Any) -> ReferralQuerySet:
        """Only the receiving team moves a referral along."""
        return self.filter(within_scope(user, department=RECEIVER, structure="to_structure"))

    def open(self) -> ReferralQuerySet:
        return self.filter(status__in=OPEN_REFERRAL_STATUSES)

    def count_by_status(self) -> list[tuple[ReferralStatus, int]]:
        counts = dict(
            self.order_by()
            .values_list("status")
            .annotate(n=models.Count("pk"))
            .values_list("status", "n")
        )
        return [(status, counts.get(status.value, 0)) for status in ReferralStatus]

    def waiting_since(self, moment: Any) -> ReferralQuerySet:
        """Open referrals whose status has not changed since `moment`."""
        return self.open().filter(status_changed_at__lt=moment)


class Referral(Referenced, PersonDetails):
    """An inbound orientation: a social worker refers a person to a structure."""

    REFERENCE_PREFIX = "O"

    to_structure = models.ForeignKey(
        Structure,
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("structure destinataire"),
    )
    from_structure = models.ForeignKey(
        Structure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals_sent",
        verbose_name=_("structure qui oriente"),
    )
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("prescripteur (compte)"),
    )
    link = models.ForeignKey(
        ReferralLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals"
    )
    # Empty when the person asked to be called back from a place's public page.
    referrer_name = models.CharField(
        _("nom du prescripteur"), max_length=150, blank=True, default=""
    )
    referrer_organisation = models.CharField(
        _("organisme du prescripteur"), max_length=200, blank=True, default=""
    )
    referrer_email = models.EmailField(_("e-mail du prescripteur"), blank=True, default="")
    from_public = models.BooleanField(
        _("demande de rappel du public"),
        default=False,
        help_text=_("La personne a demandé elle-même à être rappelée, depuis la page du lieu."),
    )
    best_moment = models.CharField(
        _("meilleur moment pour appeler"),
        max_length=16,
        choices=BestMoment.choices,
        blank=True,
        default="",
    )
    referrer_phone = models.CharField(
        _("téléphone du prescripteur"), max_length=20, blank=True, default=""
    )
    # The person, as the referrer describes them: the details of PersonDetails, and
    needs = models.JSONField(_("besoins"), default=list)
    urgency = models.CharField(
        _("urgence"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL
    )
    eligibility = models.CharField(
        _("éligibilité à l'offre solidaire"),
        max_length=16,
        choices=Eligibility.choices,
        blank=True,
        default="",
    )
    person_agreed = models.BooleanField(_("la personne est d'accord"), default=False)
    message = models.TextField(_("précisions"), blank=True, default="")
    status = models.CharField(
        _("statut"),
        max_length=16,
        choices=ReferralStatus.choices,
        default=ReferralStatus.SENT,
        db_index=True,
    )
    created_at = models.DateTimeField(_("envoyée le"), default=timezone.now, editable=False)
    status_changed_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("motif du refus"), blank=True, default="")
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("personne accompagnée"),
    )
    erased_at = models.DateTimeField(null=True, blank=True)

    workflow = Workflow(
        field="status",
        choices=ReferralStatus,
        transitions=REFERRAL_TRANSITIONS,
        tones={
            ReferralStatus.ACCEPTED: Tone.DONE,
            ReferralStatus.DECLINED: Tone.REFUSED,
            ReferralStatus.EXPIRED: Tone.CANCELLED,
        },
    )

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("orientation")
        verbose_name_plural = _("orientations")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["to_structure", "status"]),
            models.Index(fields=["status", "status_changed_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(person_agreed=True), name="referral_person_agreed"),
            models.CheckConstraint(condition=~Q(first_name=""), name="referral_has_first_name"),
        ]

    PERSONAL_FIELDS = (
        "first_name",
        "last_name",
        "commune",
        "phone",
        "email",
        "message",
        "decline_reason",
    )

    def __str__(self) -> str:
        return str(_("Orientation %(reference)s") % {"reference": self.reference})

    def get_absolute_url(self) -> str:
        return reverse("people:referral_detail", args=[self.reference])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REFERRAL_STATUSES

    @property
    def is_declined(self) -> bool:
        return self.status == ReferralStatus.DECLINED

    def expires_on(self) -> date:
        return timezone.localdate(self.created_at + timedelta(days=settings.REFERRAL_EXPIRY_DAYS))

    def need_labels(self) -> list[str]:
        return [str(Need(n).label) for n in self.needs if n in Need.values]


class PeopleImportQuerySet(models.QuerySet["PeopleImport"]):
    def visible_to(self, user: Any) -> PeopleImportQuerySet:
        """An import is seen by whoever sees the people of its structure."""
        return self.filter(within_scope(user, department=STRUCTURE_PLACE, structure="structure"))


class PeopleImport(models.Model):
    """A file of people being imported in the background: its lines are staged, checked in
    short transactions, then created in one short write, or refused whole."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("en attente")
        CHECKING = "checking", _("vérification en cours")
        REFUSED = "refused", _("refusé : lignes en erreur")
        DONE = "done", _("terminé")
        FAILED = "failed", _("interrompu par une erreur")

    RUNNING = (Status.WAITING, Status.CHECKING)

    structure = models.ForeignKey(
        Structure,
        on_delete=models.CASCADE,
        related_name="people_imports",
        verbose_name=_("structure"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("importé par"),
    )
    created_at = models.DateTimeField(_("envoyé le"), default=timezone.now, editable=False)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    file_name = models.CharField(_("fichier"), max_length=255)
    status = models.CharField(
        _("état"), max_length=16, choices=Status.choices, default=Status.WAITING
    )
    lines = models.PositiveIntegerField(_("lignes"), default=0)
    checked = models.PositiveIntegerField(_("lignes vérifiées"), default=0)
    imported = models.PositiveIntegerField(_("personnes importées"), default=0)
    # [line, reference] of the people already followed by the structure, left as they were.
    known = models.JSONField(_("personnes déjà suivies"), default=list, blank=True)
    # [line, reason] of the refused lines; the reasons may quote a cell, so they are forgotten
    # after IMPORT_KEEP_DAYS.
    errors = models.JSONField(_("lignes en erreur"), default=list, blank=True)

    objects = PeopleImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("import de personnes")
        verbose_name_plural = _("imports de personnes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name

    def get_absolute_url(self) -> str:
        return reverse("people:import_detail", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def percent(self) -> int:
        return int(100 * self.checked / self.lines) if self.lines else 100


class StagedLine(models.Model):
    """One line of a file being imported, as read; deleted when the import ends."""

    people_import = models.ForeignKey(PeopleImport, on_delete=models.CASCADE, related_name="staged")
    line = models.PositiveIntegerField()
    values = models.JSONField(default=dict)

    class Meta:
        ordering = ["line"]
        constraints = [
            models.UniqueConstraint(fields=["people_import", "line"], name="one_staged_line")
        ]

    def __str__(self) -> str:
        return f"{self.people_import_id}:{self.line}"
