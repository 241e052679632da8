"""Accompaniment: the course catalogue, cohorts and their sessions, enrolment and attendance,
workshops and drop-ins."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from maillage.core.roles import has_a_role, is_national_team, within_scope
from maillage.core.statemachine import Tone, Workflow
from maillage.learning.enums import (
    COHORT_TRANSITIONS,
    ENROLMENT_TRANSITIONS,
    Autonomy,
    CohortStatus,
    CourseDevice,
    EnrolmentStatus,
    Level,
    Presence,
    ProcedureTheme,
    ReferredTo,
    Theme,
)
from maillage.network.models import STRUCTURE_PLACE, Structure
from maillage.people.enums import AgeBand, Gender
from maillage.people.models import Beneficiary
from maillage.programmes.models import Programme


class Course(models.Model):
    """A parcours in the catalogue (*parcours type*)."""

    code = models.SlugField(
        _("code"),
        max_length=64,
        unique=True,
        help_text=_("Identifiant court, utilisé par les recommandations du diagnostic."),
    )
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("présentation"), blank=True, default="")
    device = models.CharField(_("appareil"), max_length=16, choices=CourseDevice.choices)
    level = models.CharField(_("niveau"), max_length=16, choices=Level.choices)
    session_count = models.PositiveSmallIntegerField(
        _("nombre de séances"), validators=[MinValueValidator(1), MaxValueValidator(40)]
    )
    minutes_per_session = models.PositiveSmallIntegerField(
        _("durée d'une séance (minutes)"),
        validators=[MinValueValidator(15), MaxValueValidator(480)],
    )
    syllabus = models.JSONField(
        _("programme des séances"),
        default=list,
        blank=True,
        help_text=_("Une ligne par séance."),
    )
    themes = models.JSONField(_("thèmes"), default=list, blank=True)
    publics = models.JSONField(_("publics visés"), default=list, blank=True)
    completion_numerator = models.PositiveSmallIntegerField(
        _("part des séances à suivre : numérateur"), default=2
    )
    completion_denominator = models.PositiveSmallIntegerField(
        _("part des séances à suivre : dénominateur"),
        default=3,
        validators=[MinValueValidator(1)],
    )
    is_active = models.BooleanField(_("proposé"), default=True)

    class Meta:
        verbose_name = _("parcours du catalogue")
        verbose_name_plural = _("catalogue des parcours")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(completion_numerator__lte=models.F("completion_denominator")),
                name="course_completion_share_at_most_one",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:course_detail", args=[self.code])

    @property
    def total_minutes(self) -> int:
        return self.session_count * self.minutes_per_session

    @property
    def total_duration(self) -> str:
        """The whole parcours, as people say it: « 12 h », « 7 h 30 »."""
        hours, minutes = divmod(self.total_minutes, 60)
        return f"{hours} h {minutes:02d}" if minutes else f"{hours} h"

    def sessions_needed(self) -> int:
        """How many sessions a learner must attend to complete the parcours: the share of the
        sessions (by default two thirds), rounded up."""
        share = self.session_count * self.completion_numerator
        return -(-share // self.completion_denominator)

    def is_completed_with(self, attended: int) -> bool:
        return attended >= self.sessions_needed()


class ActivityQuerySet(models.QuerySet[Any]):
    """Cohorts, workshops and drop-ins: seen by the staff of the host structure's territory, by
    the structure's referents, and by the people who facilitated them. Funders see figures,
    never activities."""

    facilitator_paths: tuple[str, ...] = ("facilitators",)

    def visible_to(self, user: Any) -> Any:
        if is_national_team(user):
            return self.all()
        condition = within_scope(user, department=STRUCTURE_PLACE, structure="structure")
        if getattr(user, "pk", None) is not None and has_a_role(user):
            for path in self.facilitator_paths:
                condition |= Q(**{path: user})
        return self.filter(condition).distinct()


class CohortQuerySet(ActivityQuerySet):
    facilitator_paths = ("facilitators", "co_facilitators")

    def realised(self) -> CohortQuerySet:
        """Cohorts that count as parcours realised: not cancelled."""
        return self.exclude(status=CohortStatus.CANCELLED)


class Cohort(models.Model):
    """One run of a course at a place, with its learners (*parcours réalisé*)."""

    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("parcours")
    )
    structure = models.ForeignKey(
        Structure,
        on_delete=models.PROTECT,
        related_name="cohorts",
        verbose_name=_("structure d'accueil"),
    )
    place = models.CharField(
        _("lieu"),
        max_length=200,
        blank=True,
        default="",
        help_text=_("Salle, adresse : si vide, les locaux de la structure d'accueil."),
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cohorts",
        verbose_name=_("programme"),
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="cohorts_facilitated", verbose_name=_("animateurs")
    )
    co_facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="cohorts_co_facilitated",
        blank=True,
        verbose_name=_("co-animateurs de la structure"),
    )
    capacity = models.PositiveSmallIntegerField(
        _("places"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(40)],
        help_text=_("Un appareil par participant : 8 par défaut."),
    )
    status = models.CharField(
        _("statut"),
        max_length=16,
        choices=CohortStatus.choices,
        default=CohortStatus.PLANNED,
        db_index=True,
    )
    cancel_reason = models.CharField(
        _("motif d'annulation"), max_length=255, blank=True, default=""
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    workflow = Workflow(
        field="status",
        choices=CohortStatus,
        transitions=COHORT_TRANSITIONS,
        tones={CohortStatus.COMPLETED: Tone.DONE, CohortStatus.CANCELLED: Tone.CANCELLED},
    )

    objects = CohortQuerySet.as_manager()

    class Meta:
        verbose_name = _("parcours réalisé")
        verbose_name_plural = _("parcours réalisés")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.course.title} — {self.structure.name}"

    def get_absolute_url(self) -> str:
        return reverse("learning:cohort_detail", args=[self.pk])

    @property
    def where(self) -> str:
        return self.place or f"{self.structure.name}, {self.structure.commune.name}"

    @property
    def is_open(self) -> bool:
        """Planned or under way: sessions may still move and people be enrolled."""
        return self.status in (CohortStatus.PLANNED, CohortStatus.RUNNING)

    @property
    def department_code(self) -> str:
        """The département of the host structure, whose public holidays the sessions avoid."""
        return self.structure.commune.department.code

    def first_session(self) -> Session | None:
        return self.sessions.order_by("starts_at").first()

    def seats_taken(self) -> int:
        return self.enrolments.filter(
            status__in=[EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED]
        ).count()

    def is_full(self) -> bool:
        return self.seats_taken() >= self.capacity


class Session(models.Model):
    """One dated meeting of a cohort (*séance*)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("séance n°"))
    starts_at = models.DateTimeField(_("début"), db_index=True)
    minutes = models.PositiveSmallIntegerField(_("durée (minutes)"))
    place = models.CharField(_("lieu"), max_length=200, blank=True, default="")
    roll_called_at = models.DateTimeField(_("appel fait le"), null=True, blank=True)
    roll_called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    report = models.TextField(_("comment s'est passée la séance"), blank=True, default="")
    new_needs = models.JSONField(_("nouveaux besoins exprimés"), default=list, blank=True)

    class Meta:
        verbose_name = _("séance")
        verbose_name_plural = _("séances")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "number"], name="unique_session_number")
        ]

    def __str__(self) -> str:
        return f"{self.cohort} — {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("learning:session_roll_call", args=[self.pk])

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)

    @property
    def where(self) -> str:
        return self.place or self.cohort.where

    def roll_call_refusal(self, now: datetime | None = None) -> str:
        """Why the roll call cannot be recorded now (empty when it can): who came is known
        once the session has started."""
        if (now or timezone.now()) >= self.starts_at:
            return ""
        local = timezone.localtime(self.starts_at)
        return str(
            _(
                "La séance n'a pas encore commencé : l'appel s'enregistre à partir du %(day)s à %(time)s."
            )
            % {"day": date_format(local, "l j F"), "time": date_format(local, "H:i")}
        )


class EnrolmentQuerySet(models.QuerySet["Enrolment"]):
    def seated(self) -> EnrolmentQuerySet:
        return self.filter(status__in=[EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED])


class Enrolment(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrolments")
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("personne"),
    )
    status = models.CharField(
        _("statut"),
        max_length=16,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.ENROLLED,
    )
    enrolled_at = models.DateTimeField(_("inscrite le"), default=timezone.now)
    drop_reason = models.CharField(_("motif de l'abandon"), max_length=255, blank=True, default="")
    orientation = models.ForeignKey(
        "diagnostics.Orientation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrolments",
    )

    workflow = Workflow(
        field="status",
        choices=EnrolmentStatus,
        transitions=ENROLMENT_TRANSITIONS,
        tones={EnrolmentStatus.COMPLETED: Tone.DONE, EnrolmentStatus.DROPPED: Tone.CANCELLED},
    )

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["enrolled_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "beneficiary"], name="one_enrolment_per_cohort"
            )
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary} — {self.cohort}"

    @property
    def is_active(self) -> bool:
        """Waiting or enrolled: the person may still drop out."""
        return self.status in (EnrolmentStatus.WAITING, EnrolmentStatus.ENROLLED)


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="attendances"
    )
    presence = models.CharField(_("présence"), max_length=8, choices=Presence.choices)

    class Meta:
        verbose_name = _("présence")
        verbose_name_plural = _("présences")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "beneficiary"], name="one_attendance_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} — {self.presence}"


class WalkIns(models.Model):
    """Anonymous participants of a session or a workshop, counted by gender and age band."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, null=True, blank=True, related_name="walk_ins"
    )
    workshop = models.ForeignKey(
        "Workshop", on_delete=models.CASCADE, null=True, blank=True, related_name="walk_ins"
    )
    gender = models.CharField(_("genre"), max_length=16, choices=Gender.choices)
    age_band = models.CharField(_("tranche d'âge"), max_length=8, choices=AgeBand.choices)
    count = models.PositiveSmallIntegerField(_("nombre"), validators=[MaxValueValidator(100)])

    class Meta:
        verbose_name = _("participants anonymes")
        verbose_name_plural = _("participants anonymes")
        constraints = [
            models.CheckConstraint(
                condition=Q(session__isnull=False, workshop__isnull=True)
                | Q(session__isnull=True, workshop__isnull=False),
                name="walk_ins_of_a_session_or_a_workshop",
            ),
            models.UniqueConstraint(
                fields=["session", "gender", "age_band"],
                condition=Q(session__isnull=False),
                name="one_walk_in_count_per_session_group",
            ),
            models.UniqueConstraint(
                fields=["workshop", "gender", "age_band"],
                condition=Q(workshop__isnull=False),
                name="one_walk_in_count_per_workshop_group",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.count} × {self.gender} {self.age_band}"


class WorkshopQuerySet(ActivityQuerySet):
    facilitator_paths = ("facilitators",)

    def announced(self, since: datetime, days: int = 60) -> WorkshopQuerySet:
        """The public workshops of the coming days (their free seats: `bookings.services`)."""
        return self.filter(
            is_public=True, starts_at__gte=since, starts_at__lt=since + timedelta(days=days)
        ).order_by("starts_at", "pk")


class Workshop(models.Model):
    """A thematic workshop: one collective session (*atelier thématique*)."""

    title = models.CharField(_("titre"), max_length=200)
    themes = models.JSONField(_("thèmes"), default=list)
    structure = models.ForeignKey(
        Structure,
        on_delete=models.PROTECT,
        related_name="workshops",
        verbose_name=_("structure d'accueil"),
    )
    place = models.CharField(_("lieu"), max_length=200, blank=True, default="")
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="workshops",
        verbose_name=_("programme"),
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="workshops_facilitated", verbose_name=_("animateurs")
    )
    starts_at = models.DateTimeField(_("début"), db_index=True)
    minutes = models.PositiveSmallIntegerField(
        _("durée (minutes)"),
        default=120,
        validators=[MinValueValidator(15), MaxValueValidator(480)],
    )
    level = models.CharField(_("niveau"), max_length=16, choices=Level.choices, default=Level.ALL)
    capacity = models.PositiveSmallIntegerField(
        _("places"), default=12, validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    is_public = models.BooleanField(
        _("ouvert au public"),
        default=False,
        help_text=_(
            "Un atelier ouvert pourra être annoncé sur le site public ; sinon il est réservé au public de la structure."
        ),
    )
    participants = models.ManyToManyField(
        Beneficiary, blank=True, related_name="workshops", verbose_name=_("participants suivis")
    )
    report = models.TextField(_("comment s'est passé l'atelier"), blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        verbose_name = _("atelier")
        verbose_name_plural = _("ateliers")
        ordering = ["-starts_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:workshop_detail", args=[self.pk])

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)

    @property
    def where(self) -> str:
        return self.place or f"{self.structure.name}, {self.structure.commune.name}"

    def theme_labels(self) -> list[str]:
        return [str(Theme(t).label) for t in self.themes if t in Theme.values]


class DropInQuerySet(ActivityQuerySet):
    facilitator_paths = ("facilitator",)


class DropIn(models.Model):
    """Individual help: one person, one question (*permanence individuelle*)."""

    structure = models.ForeignKey(
        Structure, on_delete=models.PROTECT, related_name="drop_ins", verbose_name=_("structure")
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="drop_ins",
        verbose_name=_("accompagné par"),
    )
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="drop_ins",
        verbose_name=_("personne suivie"),
    )
    # A person not followed is counted by gender and age band only.
    gender = models.CharField(
        _("genre"), max_length=16, choices=Gender.choices, blank=True, default=""
    )
    age_band = models.CharField(
        _("tranche d'âge"), max_length=8, choices=AgeBand.choices, blank=True, default=""
    )
    starts_at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    minutes = models.PositiveSmallIntegerField(
        _("durée (minutes)"), default=30, validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    themes = models.JSONField(_("thèmes"), default=list)
    procedure_themes = models.JSONField(_("démarches"), default=list, blank=True)
    device = models.CharField(
        _("appareil utilisé"),
        max_length=16,
        choices=CourseDevice.choices,
        default=CourseDevice.SMARTPHONE,
    )
    autonomy = models.CharField(_("autonomie atteinte"), max_length=16, choices=Autonomy.choices)
    referred_to = models.CharField(
        _("orientée vers"), max_length=16, choices=ReferredTo.choices, blank=True, default=""
    )
    notes = models.TextField(_("notes"), blank=True, default="")
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="drop_ins",
        verbose_name=_("programme"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = DropInQuerySet.as_manager()

    class Meta:
        verbose_name = _("permanence")
        verbose_name_plural = _("permanences")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(beneficiary__isnull=False) | ~Q(gender=""),
                name="drop_in_person_or_gender",
            )
        ]

    def __str__(self) -> str:
        return str(
            _("Permanence du %(date)s")
            % {"date": timezone.localtime(self.starts_at).strftime("%d/%m/%Y %H:%M")}
        )

    def get_absolute_url(self) -> str:
        return reverse("learning:drop_in_detail", args=[self.pk])

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)

    def theme_labels(self) -> list[str]:
        return [str(Theme(t).label) for t in self.themes if t in Theme.values]

    def procedure_labels(self) -> list[str]:
        return [
            str(ProcedureTheme(t).label)
            for t in self.procedure_themes
            if t in ProcedureTheme.values
        ]


class Unavailability(models.Model):
    """Days a facilitator cannot run sessions: planning skips them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unavailabilities"
    )
    start = models.DateField(_("du"))
    end = models.DateField(_("au"))
    reason = models.CharField(_("motif"), max_length=120, blank=True, default="")

    class Meta:
        verbose_name = _("indisponibilité")
        verbose_name_plural = _("indisponibilités")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="unavailability_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.start} → {self.end}"


class DropInSlot(models.Model):
    """A planned drop-in time at a place, in a facilitator's week."""

    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drop_in_slots"
    )
    structure = models.ForeignKey(
        Structure,
        on_delete=models.CASCADE,
        related_name="drop_in_slots",
        verbose_name=_("structure"),
    )
    starts_at = models.DateTimeField(_("début"), db_index=True)
    minutes = models.PositiveSmallIntegerField(
        _("durée (minutes)"),
        default=180,
        validators=[MinValueValidator(15), MaxValueValidator(600)],
    )
    bookable_seats = models.PositiveSmallIntegerField(
        _("rendez-vous réservables en ligne"),
        default=4,
        validators=[MaxValueValidator(50)],
        help_text=_("Combien de personnes peuvent réserver ce créneau sur le site ; 0 : aucune."),
    )

    class Meta:
        verbose_name = _("créneau de permanence")
        verbose_name_plural = _("créneaux de permanence")
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"{self.structure} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)


class CalendarFeedQuerySet(models.QuerySet["CalendarFeed"]):
    def active(self) -> CalendarFeedQuerySet:
        """Not revoked, of an account still active: a feed dies with its account."""
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class CalendarFeed(models.Model):
    """A private iCalendar address for a facilitator's phone; revocable."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("abonnement calendrier")
        verbose_name_plural = _("abonnements calendrier")

    def __str__(self) -> str:
        return str(self.user)

    def get_absolute_url(self) -> str:
        return reverse("learning:calendar_feed", args=[self.token])


class ReminderSent(models.Model):
    """One reminder to one person for one session on one channel: the unique row is claimed
    before sending, so a reminder is never sent twice."""

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("E-mail")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="reminders")
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="reminders")
    channel = models.CharField(_("canal"), max_length=8, choices=Channel.choices)
    sent_at = models.DateTimeField(_("envoyé le"), default=timezone.now)

    class Meta:
        verbose_name = _("rappel envoyé")
        verbose_name_plural = _("rappels envoyés")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "beneficiary", "channel"],
                name="one_reminder_per_session_person_channel",
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} {self.channel}"
