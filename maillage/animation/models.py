"""The network's own life: calls for applications and their selection, the coaching of the
structures selected and their closing committee, the trainings of referents, teaching kits and
information meetings. Tables keep the names they had in the network app (`network_…`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.animation.enums import (
    APPLICATION_TRANSITIONS,
    COACHING_TRANSITIONS,
    SCORES,
    ActionStatus,
    ApplicationStatus,
    Audience,
    CoachingStatus,
    ContactKind,
    Level,
    Modality,
    Priority,
    QuestionKind,
    ResourceTheme,
)
from maillage.core.dates import add_months
from maillage.core.references import Referenced
from maillage.core.roles import is_national_team, within_scope, works_with_people
from maillage.core.statemachine import Tone, Workflow
from maillage.core.uploads import validate_document
from maillage.network.enums import PARTNER_KINDS
from maillage.network.models import STRUCTURE_PLACE, Structure
from maillage.programmes.models import Programme
from maillage.territories.models import Commune, Department


def lines_of(text: str) -> list[str]:
    """The non-empty lines of a text typed one item per line."""
    return [line.strip() for line in text.splitlines() if line.strip()]


# --- Calls for applications (AMI) --------------------------------------------------------------


class CallQuerySet(models.QuerySet["Call"]):
    def visible_to(self, user: Any) -> CallQuerySet:
        """Network staff see the calls of their territory; structures apply on the public page."""
        if is_national_team(user):
            return self.all()
        within = Call.objects.filter(
            departments__in=Department.objects.within_scope_of(user)
        ).values("pk")
        return self.filter(pk__in=within)

    def managed_by(self, user: Any) -> CallQuerySet:
        """Managers run the calls of the départements they manage."""
        if is_national_team(user):
            return self.all()
        managed = Department.objects.within_scope_of(user, managed_only=True)
        return self.filter(pk__in=Call.objects.filter(departments__in=managed).values("pk"))

    def open_on(self, day: Any) -> CallQuerySet:
        return self.filter(is_published=True, opens_on__lte=day, closes_on__gte=day)


class Call(models.Model):
    """A call for applications (*appel à manifestation d'intérêt*) to become a Relais Numérique."""

    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(
        _("adresse courte"),
        max_length=80,
        unique=True,
        help_text=_("Utilisée dans l'adresse du formulaire public, par exemple relais-mel-2022."),
    )
    description = models.TextField(_("présentation"))
    co_carriers = models.CharField(
        _("co-porteurs"),
        max_length=255,
        blank=True,
        default="",
        help_text=_("Par exemple : Métropole Européenne de Lille."),
    )
    departments = models.ManyToManyField(
        Department, related_name="calls", verbose_name=_("départements concernés")
    )
    programmes = models.ManyToManyField(
        Programme,
        blank=True,
        related_name="calls",
        # The table the programme's side of the relation created, kept with its rows.
        db_table="programmes_programme_calls",
        verbose_name=_("programmes"),
        help_text=_("Les candidatures et sélections de cet appel comptent pour ces programmes."),
    )
    opens_on = models.DateField(_("ouverture des candidatures"))
    closes_on = models.DateField(_("clôture des candidatures"))
    eligibility = models.TextField(
        _("critères d'éligibilité"), help_text=_("Qui peut candidater : une condition par ligne.")
    )
    places = models.PositiveSmallIntegerField(
        _("nombre de places"), validators=[MinValueValidator(1)]
    )
    coaching_months = models.PositiveSmallIntegerField(
        _("durée de l'accompagnement (mois)"),
        default=16,
        validators=[MinValueValidator(1), MaxValueValidator(48)],
    )
    is_published = models.BooleanField(
        _("publié"),
        default=False,
        help_text=_("Un appel publié apparaît sur le site public pendant ses dates d'ouverture."),
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("créé par"),
    )

    objects = CallQuerySet.as_manager()

    class Meta:
        db_table = "network_call"
        verbose_name = _("appel à manifestation d'intérêt")
        verbose_name_plural = _("appels à manifestation d'intérêt")
        ordering = ["-opens_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="call_closes_after_opening"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("animation:call_detail", args=[self.pk])

    def is_open_on(self, day: Any) -> bool:
        return self.is_published and self.opens_on <= day <= self.closes_on

    @property
    def is_open(self) -> bool:
        return self.is_open_on(timezone.localdate())

    def eligibility_lines(self) -> list[str]:
        return lines_of(self.eligibility)

    def selected_structure_ids(self) -> list[int]:
        return list(
            self.applications.filter(
                status=ApplicationStatus.SELECTED, structure__isnull=False
            ).values_list("structure_id", flat=True)
        )

    def figures(self) -> dict[str, int]:
        """Applications submitted, structures selected, and referents of the selected
        structures trained."""
        return {
            "applications": self.applications.submitted().count(),
            "selected": self.applications.filter(status=ApplicationStatus.SELECTED).count(),
            "referents_trained": TrainingRegistration.objects.filter(
                structure_id__in=self.selected_structure_ids()
            ).people_trained(),
        }

    EDITABLE_FIELDS = (
        "title",
        "slug",
        "description",
        "co_carriers",
        "departments",
        "opens_on",
        "closes_on",
        "eligibility",
        "places",
        "coaching_months",
        "is_published",
    )


class CallQuestion(models.Model):
    """A question of the call's application form."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    label = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("aide"), max_length=300, blank=True, default="")
    kind = models.CharField(
        _("type de réponse"),
        max_length=16,
        choices=QuestionKind.choices,
        default=QuestionKind.LONG_TEXT,
    )
    choices = models.TextField(
        _("choix proposés"),
        blank=True,
        default="",
        help_text=_("Pour une question à choix : un choix par ligne."),
    )
    required = models.BooleanField(_("réponse obligatoire"), default=True)

    class Meta:
        db_table = "network_callquestion"
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["call", "position", "pk"]

    def __str__(self) -> str:
        return self.label

    def choice_list(self) -> list[str]:
        return lines_of(self.choices)

    @property
    def field_name(self) -> str:
        return f"question_{self.pk}"


class CallCriterion(models.Model):
    """A criterion the selection committee scores from 0 to 5."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    label = models.CharField(_("critère"), max_length=200)

    class Meta:
        db_table = "network_callcriterion"
        verbose_name = _("critère de sélection")
        verbose_name_plural = _("critères de sélection")
        ordering = ["call", "position", "pk"]

    def __str__(self) -> str:
        return self.label


class SelectionCommittee(models.Model):
    """The meeting that decided on a call's shortlisted applications."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="committees")
    held_on = models.DateField(_("date du comité"))
    members = models.TextField(_("membres présents"), help_text=_("Un nom par ligne."))
    minutes = models.TextField(_("compte rendu"), blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        db_table = "network_selectioncommittee"
        verbose_name = _("comité de sélection")
        verbose_name_plural = _("comités de sélection")
        ordering = ["call", "-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.call} — {self.held_on:%d/%m/%Y}"

    def member_list(self) -> list[str]:
        return lines_of(self.members)


class ApplicationQuerySet(models.QuerySet["Application"]):
    def visible_to(self, user: Any) -> ApplicationQuerySet:
        """Submitted applications of the calls a person sees; a draft is the applicant's own."""
        return self.exclude(status=ApplicationStatus.DRAFT).filter(
            call__in=Call.objects.visible_to(user)
        )

    def submitted(self) -> ApplicationQuerySet:
        return self.exclude(status=ApplicationStatus.DRAFT)


class Application(Referenced):
    """A structure's application to a call, written on the public form (no account needed)."""

    REFERENCE_PREFIX = "C"

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    structure = models.ForeignKey(
        Structure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("structure"),
    )
    status = models.CharField(
        _("statut"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
        db_index=True,
    )
    # The secret link of a draft is shown once to the applicant and sent by e-mail; only its
    # digest is kept.
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    structure_name = models.CharField(_("nom de la structure"), max_length=200)
    structure_kind = models.CharField(
        _("type de structure"), max_length=32, choices=PARTNER_KINDS, blank=True
    )
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, default="")
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    address = models.CharField(_("adresse"), max_length=255, blank=True, default="")
    contact_name = models.CharField(_("nom de la personne à contacter"), max_length=150)
    contact_role = models.CharField(_("fonction"), max_length=150, blank=True, default="")
    contact_email = models.EmailField(_("e-mail"))
    contact_phone = models.CharField(_("téléphone"), max_length=20, blank=True, default="")
    answers = models.JSONField(_("réponses"), default=dict, blank=True)
    comment = models.TextField(_("avis du comité"), blank=True, default="")
    decision_reason = models.TextField(_("motif de la décision"), blank=True, default="")
    committee = models.ForeignKey(
        SelectionCommittee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("déposée le"), null=True, blank=True)
    decided_at = models.DateTimeField(_("décision le"), null=True, blank=True)

    workflow = Workflow(
        field="status",
        choices=ApplicationStatus,
        transitions=APPLICATION_TRANSITIONS,
        tones={ApplicationStatus.SELECTED: Tone.DONE, ApplicationStatus.NOT_SELECTED: Tone.REFUSED},
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        db_table = "network_application"
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        ordering = ["call", "structure_name", "pk"]
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self) -> str:
        return f"{self.reference} — {self.structure_name}"

    def get_absolute_url(self) -> str:
        return reverse("animation:application_detail", args=[self.reference])

    @property
    def is_draft(self) -> bool:
        return self.status == ApplicationStatus.DRAFT

    def answer_rows(self) -> list[tuple[CallQuestion, str]]:
        """Each question of the call with the answer given, in the form's order."""
        return [
            (question, display_answer(question, self.answers.get(str(question.pk))))
            for question in self.call.questions.all()
        ]

    def total_score(self) -> int | None:
        scores = [a.score for a in self.assessments.all()]
        return sum(scores) if scores else None


def display_answer(question: CallQuestion, value: Any) -> str:
    if value is None or value == "":
        return ""
    if question.kind == QuestionKind.YES_NO:
        return str(_("Oui")) if value else str(_("Non"))
    return str(value)


class Assessment(models.Model):
    """The committee's score of an application on one criterion."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assessments"
    )
    criterion = models.ForeignKey(CallCriterion, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("note"), choices=SCORES)

    class Meta:
        db_table = "network_assessment"
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"], name="one_score_per_criterion"
            ),
            models.CheckConstraint(condition=Q(score__lte=5), name="score_at_most_five"),
        ]

    def __str__(self) -> str:
        return f"{self.application} — {self.criterion}: {self.score}"


# --- Coaching of a selected structure -----------------------------------------------------------


class CoachingPlanQuerySet(models.QuerySet["CoachingPlan"]):
    def visible_to(self, user: Any) -> CoachingPlanQuerySet:
        """The staff of the structure's territory and the structure's referents."""
        return self.filter(within_scope(user, department=STRUCTURE_PLACE, structure="structure"))

    def editable_by(self, user: Any) -> CoachingPlanQuerySet:
        """Network staff of the structure's territory write the plan and its log."""
        return self.filter(within_scope(user, department=STRUCTURE_PLACE))

    def with_last_contact(self) -> CoachingPlanQuerySet:
        """Annotated with `last_contact`: the last follow-up's date, or the start if none."""
        return self.annotate(last_contact=Coalesce(models.Max("followups__on"), "starts_on"))

    def followed_on(self, day: Any) -> CoachingPlanQuerySet:
        """Plans in progress, and closed plans within their year of follow-up."""
        return self.filter(
            Q(status=CoachingStatus.IN_PROGRESS)
            | Q(status=CoachingStatus.CLOSED, closed_on__gt=add_months(day, -12))
        )


class ClosingCommittee(models.Model):
    """The meeting that ends the coaching of one or several structures (e.g. a call's)."""

    call = models.ForeignKey(
        Call,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="closing_committees",
        verbose_name=_("appel"),
    )
    held_on = models.DateField(_("date du comité de clôture"))
    attendees = models.TextField(_("participants"), help_text=_("Un nom par ligne."))
    minutes = models.TextField(_("compte rendu"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        db_table = "network_closingcommittee"
        verbose_name = _("comité de clôture")
        verbose_name_plural = _("comités de clôture")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return str(_("Comité de clôture du %(day)s") % {"day": f"{self.held_on:%d/%m/%Y}"})

    def get_absolute_url(self) -> str:
        return reverse("animation:closing_detail", args=[self.pk])

    def attendee_list(self) -> list[str]:
        return lines_of(self.attendees)


class CoachingPlan(models.Model):
    """The coaching of a structure towards autonomy: its diagnosis, action plan and follow-up."""

    structure = models.ForeignKey(
        Structure, on_delete=models.PROTECT, related_name="coaching_plans"
    )
    application = models.OneToOneField(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coaching_plan",
        verbose_name=_("candidature"),
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="coaching_plans",
        verbose_name=_("chargé·e d'accompagnement"),
    )
    starts_on = models.DateField(_("début de l'accompagnement"))
    ends_on = models.DateField(_("fin prévue"))
    status = models.CharField(
        _("statut"),
        max_length=16,
        choices=CoachingStatus.choices,
        default=CoachingStatus.IN_PROGRESS,
    )
    # The diagnosis of the structure.
    public_description = models.TextField(_("public accueilli"), blank=True, default="")
    needs = models.TextField(_("besoins d'accompagnement"), blank=True, default="")
    resources = models.TextField(_("ressources (locaux, matériel, connexion)"), blank=True)
    civic_service_volunteers = models.PositiveSmallIntegerField(
        _("volontaires en service civique"), default=0
    )
    digital_advisers = models.PositiveSmallIntegerField(_("conseillers numériques"), default=0)
    volunteers = models.PositiveSmallIntegerField(_("bénévoles"), default=0)
    staff_notes = models.TextField(_("équipe mobilisée"), blank=True, default="")
    funding = models.TextField(_("financement des actions"), blank=True, default="")
    closing = models.ForeignKey(
        ClosingCommittee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("comité de clôture"),
    )
    closed_on = models.DateField(_("clôturé le"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    workflow = Workflow(
        field="status",
        choices=CoachingStatus,
        transitions=COACHING_TRANSITIONS,
        tones={CoachingStatus.CLOSED: Tone.DONE},
    )

    objects = CoachingPlanQuerySet.as_manager()

    class Meta:
        db_table = "network_coachingplan"
        verbose_name = _("accompagnement de structure")
        verbose_name_plural = _("accompagnements de structures")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure"],
                condition=Q(status="in_progress"),
                name="one_coaching_in_progress_per_structure",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="coaching_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Accompagnement de %(structure)s") % {"structure": self.structure})

    def get_absolute_url(self) -> str:
        return reverse("animation:plan_detail", args=[self.pk])

    DIAGNOSIS_FIELDS = (
        "public_description",
        "needs",
        "resources",
        "civic_service_volunteers",
        "digital_advisers",
        "volunteers",
        "staff_notes",
        "funding",
    )

    @property
    def is_open(self) -> bool:
        return self.status == CoachingStatus.IN_PROGRESS

    @property
    def followup_ends_on(self) -> Any:
        """One year of follow-up after the closing committee."""
        return add_months(self.closed_on, 12) if self.closed_on else None

    def last_contact_on(self) -> Any:
        return (
            CoachingPlan.objects.filter(pk=self.pk)  # type: ignore[misc]
            .with_last_contact()
            .values_list("last_contact", flat=True)
            .get()
        )


class ActionItem(models.Model):
    plan = models.ForeignKey(CoachingPlan, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("action"), max_length=200)
    modality = models.CharField(_("modalité"), max_length=16, choices=Modality.choices)
    priority = models.CharField(
        _("priorité"), max_length=8, choices=Priority.choices, default=Priority.MEDIUM
    )
    owner = models.CharField(
        _("porteur"),
        max_length=150,
        help_text=_("Qui la mène : une personne de la structure ou du réseau."),
    )
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(
        _("état"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.TODO
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "network_actionitem"
        verbose_name = _("action du plan")
        verbose_name_plural = _("actions du plan")
        ordering = ["plan", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    EDITABLE_FIELDS = ("title", "modality", "priority", "owner", "due_on", "status")


class FollowUp(models.Model):
    """A contact with the structure: visit, call or meeting."""

    plan = models.ForeignKey(CoachingPlan, on_delete=models.CASCADE, related_name="followups")
    on = models.DateField(_("date"))
    kind = models.CharField(_("type de contact"), max_length=16, choices=ContactKind.choices)
    notes = models.TextField(_("notes"))
    next_steps = models.TextField(_("prochaines étapes"), blank=True, default="")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("par")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        db_table = "network_followup"
        verbose_name = _("contact de suivi")
        verbose_name_plural = _("contacts de suivi")
        ordering = ["plan", "-on", "-pk"]
        indexes = [models.Index(fields=["plan", "on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.on:%d/%m/%Y}"


class CoachingReminder(models.Model):
    """A reminder sent to the coach; claimed before sending, so one per silence."""

    plan = models.ForeignKey(CoachingPlan, on_delete=models.CASCADE, related_name="reminders")
    last_contact_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "network_coachingreminder"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "last_contact_on"], name="one_reminder_per_silence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.last_contact_on}"


# --- Trainings of referents -------------------------------------------------------------------


class Training(models.Model):
    """A training of the catalogue, for the referents of partner structures."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("intitulé"), max_length=200)
    description = models.TextField(_("présentation"))
    objectives = models.TextField(
        _("objectifs"), help_text=_("Ce que les participants savent faire à la fin : un par ligne.")
    )
    days = models.DecimalField(
        _("durée (jours)"),
        max_digits=3,
        decimal_places=1,
        default=1,
        validators=[MinValueValidator(0.5)],
    )
    is_active = models.BooleanField(_("au catalogue"), default=True)

    class Meta:
        db_table = "network_training"
        verbose_name = _("formation")
        verbose_name_plural = _("formations")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("animation:training_detail", args=[self.code])

    def objective_lines(self) -> list[str]:
        return lines_of(self.objectives)


class TrainingSessionQuerySet(models.QuerySet["TrainingSession"]):
    def visible_to(self, user: Any) -> TrainingSessionQuerySet:
        """Sessions are announced to all the network's staff and referents."""
        return self.all() if works_with_people(user) else self.none()

    def managed_by(self, user: Any) -> TrainingSessionQuerySet:
        """Staff of the session's département organise it and take the attendance."""
        return self.filter(within_scope(user, department="department"))


class TrainingSession(models.Model):
    training = models.ForeignKey(
        Training, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("formation")
    )
    day = models.DateField(_("date"))
    start_time = models.TimeField(_("heure de début"))
    end_time = models.TimeField(_("heure de fin"))
    place = models.CharField(_("lieu"), max_length=255)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("département")
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="trainings_given",
        verbose_name=_("formateur·rice"),
    )
    capacity = models.PositiveSmallIntegerField(
        _("nombre de places"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    call = models.ForeignKey(
        Call,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_sessions",
        verbose_name=_("pour l'appel"),
        help_text=_("Facultatif : la session réservée aux structures retenues d'un appel."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        db_table = "network_trainingsession"
        verbose_name = _("session de formation")
        verbose_name_plural = _("sessions de formation")
        ordering = ["-day", "start_time", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="training_session_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.training} — {self.day:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("animation:training_session_detail", args=[self.pk])


class TrainingRegistrationQuerySet(models.QuerySet["TrainingRegistration"]):
    def visible_to(self, user: Any) -> TrainingRegistrationQuerySet:
        """The person registered, the referents of their structure, the session's staff."""
        condition = within_scope(user, department="session__department", structure="structure")
        if getattr(user, "is_authenticated", False):
            condition |= Q(user=user)
        return self.filter(condition)

    def trained(self) -> TrainingRegistrationQuerySet:
        return self.filter(attended=True)

    def people_trained(self) -> int:
        """Distinct people (by e-mail) present at one session at least."""
        return self.trained().order_by().values("email").distinct().count()


class TrainingRegistration(models.Model):
    """A referent registered to a session; they may or may not have an account."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.PROTECT, related_name="registrations"
    )
    structure = models.ForeignKey(
        Structure,
        on_delete=models.PROTECT,
        related_name="training_registrations",
        verbose_name=_("structure"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_registrations",
    )
    full_name = models.CharField(_("prénom et nom"), max_length=150)
    email = models.EmailField(_("e-mail"))
    attended = models.BooleanField(_("présent·e"), null=True, blank=True)
    registered_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = TrainingRegistrationQuerySet.as_manager()

    class Meta:
        db_table = "network_trainingregistration"
        verbose_name = _("inscription à une formation")
        verbose_name_plural = _("inscriptions aux formations")
        ordering = ["session", "full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "email"], name="one_registration_per_email")
        ]

    def __str__(self) -> str:
        return f"{self.full_name} — {self.session}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


# --- Pedagogical resources ---------------------------------------------------------------------


class ResourceQuerySet(models.QuerySet["Resource"]):
    def visible_to(self, user: Any) -> ResourceQuerySet:
        from maillage.animation.perms import can_manage_resources, can_use_resources

        if not can_use_resources(user):
            return self.none()
        if can_manage_resources(user):
            return self.all()
        return self.filter(is_published=True)


class Resource(models.Model):
    """A pedagogical kit (*kit clé en main*), as a file or a link."""

    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"))
    file = models.FileField(
        _("fichier"), upload_to="resources/%Y/", blank=True, validators=[validate_document]
    )
    url = models.URLField(_("lien"), blank=True, default="")
    themes = models.JSONField(_("thèmes"), default=list)
    level = models.CharField(_("niveau"), max_length=16, choices=Level.choices)
    audience = models.CharField(_("public"), max_length=16, choices=Audience.choices)
    is_published = models.BooleanField(_("partagée avec les référents"), default=True)
    downloads = models.PositiveIntegerField(_("téléchargements"), default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ResourceQuerySet.as_manager()

    class Meta:
        db_table = "network_resource"
        verbose_name = _("ressource pédagogique")
        verbose_name_plural = _("ressources pédagogiques")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="resource_is_a_file_or_a_link",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def theme_labels(self) -> list[str]:
        labels = dict(ResourceTheme.choices)
        return [str(labels.get(theme, theme)) for theme in self.themes]

    EDITABLE_FIELDS = ("title", "description", "url", "themes", "level", "audience", "is_published")


# --- Information meetings ----------------------------------------------------------------------


class InfoMeetingQuerySet(models.QuerySet["InfoMeeting"]):
    def managed_by(self, user: Any) -> InfoMeetingQuerySet:
        return self.filter(within_scope(user, department="department"))

    def upcoming(self) -> InfoMeetingQuerySet:
        return self.filter(starts_at__gte=timezone.now()).order_by("starts_at")


class InfoMeeting(models.Model):
    """A meeting for structures that consider joining the network (*réunion d'information*)."""

    title = models.CharField(_("titre"), max_length=200)
    starts_at = models.DateTimeField(_("date et heure"))
    minutes = models.PositiveSmallIntegerField(
        _("durée (minutes)"), default=60, validators=[MinValueValidator(15)]
    )
    place = models.CharField(
        _("lieu"), max_length=255, help_text=_("Une adresse, ou « En visioconférence ».")
    )
    online_url = models.URLField(
        _("lien de visioconférence"),
        blank=True,
        default="",
        help_text=_("Envoyé aux inscrits dans l'e-mail de rappel."),
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("département")
    )
    capacity = models.PositiveSmallIntegerField(
        _("nombre de places"), validators=[MinValueValidator(1)]
    )
    call = models.ForeignKey(
        Call,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="info_meetings",
        verbose_name=_("appel présenté"),
    )
    description = models.TextField(_("présentation"), blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = InfoMeetingQuerySet.as_manager()

    class Meta:
        db_table = "network_infomeeting"
        verbose_name = _("réunion d'information")
        verbose_name_plural = _("réunions d'information")
        ordering = ["-starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.title} — {timezone.localtime(self.starts_at):%d/%m/%Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("animation:meeting_detail", args=[self.pk])


class InfoMeetingRegistration(models.Model):
    meeting = models.ForeignKey(InfoMeeting, on_delete=models.CASCADE, related_name="registrations")
    full_name = models.CharField(_("prénom et nom"), max_length=150)
    structure_name = models.CharField(_("structure"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("téléphone"), max_length=20, blank=True, default="")
    attended = models.BooleanField(_("présent·e"), null=True, blank=True)
    registered_at = models.DateTimeField(default=timezone.now, editable=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        db_table = "network_infomeetingregistration"
        verbose_name = _("inscription à une réunion d'information")
        verbose_name_plural = _("inscriptions aux réunions d'information")
        ordering = ["meeting", "full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "email"], name="one_meeting_registration_per_email"
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} — {self.meeting}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)
