"""The digital-skills diagnostic: a versioned framework stored as data, one interview per
person and date, its recommendations, and the outbound orientations they become."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.statemachine import Tone, Workflow
from maillage.diagnostics import rules
from maillage.diagnostics.enums import (
    OUTCOME_TRANSITIONS,
    LearningDevice,
    OrientationOutcome,
    RecommendationKind,
    RecommendationStatus,
)
from maillage.network.models import Structure
from maillage.people.models import Beneficiary

DEFAULT_FRAMEWORK = "competences-numeriques"


class FrameworkQuerySet(models.QuerySet["Framework"]):
    def current(self, code: str = DEFAULT_FRAMEWORK) -> Framework | None:
        return self.filter(code=code).order_by("-version").first()


class Framework(models.Model):
    """One version of a skills framework. A new version is a new row: diagnostics keep the
    version they were made with."""

    code = models.SlugField(_("code"), max_length=64)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("titre"), max_length=200)
    content = models.JSONField(_("contenu"))
    loaded_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("référentiel de compétences")
        verbose_name_plural = _("référentiels de compétences")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="unique_framework_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def areas(self) -> list[dict[str, Any]]:
        return list(self.content["areas"])

    @property
    def steps(self) -> list[str]:
        """The interview's screens: the situation, one per area, then the barriers."""
        return ["situation", *(a["code"] for a in self.areas), "barriers"]

    def area(self, code: str) -> dict[str, Any]:
        return next(a for a in self.areas if a["code"] == code)

    def answer_choices(self) -> list[tuple[str, str]]:
        return [(a["code"], a["label"]) for a in self.content["answers"]]

    def barrier_choices(self) -> list[tuple[str, str]]:
        return [(b["code"], b["label"]) for b in self.content["barriers"]]

    def external_service_choices(self) -> list[tuple[str, str]]:
        return [(s["code"], s["label"]) for s in self.content.get("external_services", [])]

    def level_label(self, level: int) -> str:
        return next((str(x["label"]) for x in self.content["levels"] if x["level"] == level), "")

    def profile_label(self, code: str) -> str:
        return next((str(p["label"]) for p in self.content["profiles"] if p["code"] == code), "")


class DiagnosticQuerySet(models.QuerySet["Diagnostic"]):
    def visible_to(self, user: Any) -> DiagnosticQuerySet:
        """Whoever sees the person sees their diagnostics."""
        return self.filter(beneficiary__in=Beneficiary.objects.visible_to(user))

    def completed(self) -> DiagnosticQuerySet:
        return self.filter(completed_at__isnull=False)

    def in_progress(self) -> DiagnosticQuerySet:
        return self.filter(completed_at__isnull=True)


class Diagnostic(models.Model):
    """One interview of a person by a facilitator, screen by screen, resumable."""

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="diagnostics"
    )
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="diagnostics")
    structure = models.ForeignKey(
        Structure,
        on_delete=models.PROTECT,
        related_name="diagnostics",
        verbose_name=_("structure"),
        help_text=_("Où le diagnostic a eu lieu."),
    )
    conducted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("mené par"),
    )
    started_at = models.DateTimeField(_("commencé le"), default=timezone.now)
    completed_at = models.DateTimeField(_("terminé le"), null=True, blank=True, db_index=True)
    step = models.PositiveSmallIntegerField(_("étape atteinte"), default=0)
    equipment = models.JSONField(_("équipement"), default=list, blank=True)
    connection = models.CharField(_("connexion"), max_length=8, blank=True, default="")
    learning_device = models.CharField(
        _("appareil pour apprendre"),
        max_length=16,
        choices=LearningDevice.choices,
        blank=True,
        default="",
    )
    answers = models.JSONField(_("réponses"), default=dict, blank=True)
    barriers = models.JSONField(_("freins"), default=list, blank=True)
    urgent_procedure = models.BooleanField(_("démarche urgente"), default=False)
    urgent_procedure_note = models.CharField(
        _("démarche urgente : laquelle ?"), max_length=200, blank=True, default=""
    )
    levels = models.JSONField(_("niveaux"), default=dict, blank=True)
    profile = models.CharField(_("profil"), max_length=32, blank=True, default="")

    objects = DiagnosticQuerySet.as_manager()

    class Meta:
        verbose_name = _("diagnostic")
        verbose_name_plural = _("diagnostics")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["beneficiary", "completed_at"])]

    def __str__(self) -> str:
        return str(_("Diagnostic du %(date)s") % {"date": self.started_at.strftime("%d/%m/%Y")})

    def get_absolute_url(self) -> str:
        if self.completed_at is None:
            return reverse("diagnostics:diagnostic_step", args=[self.pk, self.step])
        return reverse("diagnostics:diagnostic_detail", args=[self.pk])

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None

    def facts(self) -> rules.Facts:
        return rules.Facts(
            equipment=list(self.equipment),
            connection=self.connection,
            learning_device=self.learning_device,
            barriers=list(self.barriers),
            urgent_procedure=self.urgent_procedure,
            levels=dict(self.levels),
            profile=self.profile,
        )

    def score(self) -> None:
        """Levels and profile from the answers, by the framework's rules."""
        content = self.framework.content
        self.levels = rules.area_levels(content, self.answers)
        self.profile = rules.profile(content, self.levels)

    @cached_property
    def previous(self) -> Diagnostic | None:
        """The person's last completed diagnostic before this one."""
        return (
            Diagnostic.objects.completed()
            .filter(
                beneficiary_id=self.beneficiary_id,
                completed_at__lt=self.completed_at or timezone.now(),
            )
            .exclude(pk=self.pk)
            .order_by("-completed_at")
            .first()
        )

    def area_results(self) -> list[dict[str, Any]]:
        """Each area with its level now and, when there was an earlier diagnostic, before."""
        before = self.previous.levels if self.previous else {}
        return [
            {
                "code": area["code"],
                "title": area["title"],
                "plain": area.get("plain", area["title"]),
                "level": self.levels.get(area["code"], 0),
                "label": self.framework.level_label(self.levels.get(area["code"], 0)),
                "before": before.get(area["code"]),
                "progress": (self.levels.get(area["code"], 0) - before[area["code"]])
                if area["code"] in before
                else None,
            }
            for area in self.framework.areas
        ]

    def profile_label(self) -> str:
        return self.framework.profile_label(self.profile)


class Recommendation(models.Model):
    diagnostic = models.ForeignKey(
        Diagnostic, on_delete=models.CASCADE, related_name="recommendations"
    )
    rule = models.CharField(_("règle"), max_length=64)
    kind = models.CharField(_("type"), max_length=16, choices=RecommendationKind.choices)
    target = models.CharField(_("cible"), max_length=64)
    label = models.CharField(_("recommandation"), max_length=200)
    reason = models.CharField(_("pourquoi"), max_length=255, blank=True, default="")
    status = models.CharField(
        _("statut"),
        max_length=16,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.PROPOSED,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recommandation")
        verbose_name_plural = _("recommandations")
        ordering = ["diagnostic", "pk"]

    def __str__(self) -> str:
        return self.label


class OrientationQuerySet(models.QuerySet["Orientation"]):
    def visible_to(self, user: Any) -> OrientationQuerySet:
        return self.filter(beneficiary__in=Beneficiary.objects.visible_to(user))


class Orientation(models.Model):
    """An outbound orientation: the person is sent to a parcours, a workshop, a drop-in,
    Équiper, Connecter or a service outside the network; its outcome is recorded."""

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="orientations"
    )
    recommendation = models.OneToOneField(
        Recommendation, on_delete=models.SET_NULL, null=True, blank=True, related_name="orientation"
    )
    kind = models.CharField(_("vers"), max_length=16, choices=RecommendationKind.choices)
    label = models.CharField(_("orientation"), max_length=200)
    external_service = models.CharField(
        _("service extérieur"), max_length=32, blank=True, default=""
    )
    structure = models.ForeignKey(
        Structure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lieu"),
    )
    note = models.CharField(_("précisions"), max_length=255, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("orientée le"), default=timezone.now)
    outcome = models.CharField(
        _("suite"),
        max_length=16,
        choices=OrientationOutcome.choices,
        default=OrientationOutcome.PENDING,
    )
    outcome_note = models.CharField(
        _("commentaire sur la suite"), max_length=255, blank=True, default=""
    )

    outcome_workflow = Workflow(
        field="outcome",
        choices=OrientationOutcome,
        transitions=OUTCOME_TRANSITIONS,
        tones={OrientationOutcome.DONE: Tone.DONE, OrientationOutcome.NOT_DONE: Tone.REFUSED},
    )

    objects = OrientationQuerySet.as_manager()

    class Meta:
        verbose_name = _("orientation sortante")
        verbose_name_plural = _("orientations sortantes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def is_pending(self) -> bool:
        return self.outcome == OrientationOutcome.PENDING
