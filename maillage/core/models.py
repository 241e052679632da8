"""The append-only journals every app writes to: audit events and state transitions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete a journal row."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only.")

    def for_object(self, obj: models.Model) -> AppendOnlyQuerySet:
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )


class AppendOnlyRow(models.Model):
    """A row is written once; `save` on an existing row and `delete` raise (the database
    refuses them too: see `maillage.core.append_only`)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{type(self).__name__} rows are append-only.")


class AppendOnlyModel(AppendOnlyRow):
    """A journal row about any object, at a moment."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True, default="")
    at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)

    class Meta:
        abstract = True


class AuditEvent(AppendOnlyModel):
    """Who did what to which object, and when. Never holds personal data itself."""

    class Action(models.TextChoices):
        VIEW = "view", _("consultation")
        CREATE = "create", _("création")
        UPDATE = "update", _("modification")
        DELETE = "delete", _("suppression")
        EXPORT = "export", _("export")
        ERASE = "erase", _("anonymisation")
        MERGE = "merge", _("fusion")
        TRANSITION = "transition", _("changement de statut")
        LOGIN = "login", _("connexion")
        LOGIN_FAILED = "login_failed", _("échec de connexion")
        LOGIN_THROTTLED = "login_throttled", _("connexion bloquée")
        LOGOUT = "logout", _("déconnexion")
        PASSWORD_CHANGE = "password_change", _("changement de mot de passe")
        SECOND_FACTOR = "second_factor", _("code de connexion accepté")
        SECOND_FACTOR_FAILED = "second_factor_failed", _("code de connexion refusé")
        SECOND_FACTOR_ENROLLED = "second_factor_enrolled", _("double authentification activée")
        SECOND_FACTOR_REMOVED = "second_factor_removed", _("double authentification retirée")
        RECOVERY_CODES = "recovery_codes", _("codes de secours renouvelés")
        REAUTHENTICATED = "reauthenticated", _("identité confirmée")
        ACCOUNT_LOCKED = "account_locked", _("compte verrouillé")
        ACCOUNT_UNLOCKED = "account_unlocked", _("compte déverrouillé")
        ACCOUNT_INVITED = "account_invited", _("compte créé sur invitation")
        ACCOUNT_DEACTIVATED = "account_deactivated", _("compte désactivé")
        ACCOUNT_REACTIVATED = "account_reactivated", _("compte réactivé")
        ROLE_GRANTED = "role_granted", _("rôle accordé")
        ROLE_CHANGED = "role_changed", _("périmètre d'un rôle modifié")
        ROLE_REMOVED = "role_removed", _("rôle retiré")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    changes = models.JSONField(_("changements"), default=dict, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True, default="")

    class Meta:
        verbose_name = _("événement du journal")
        verbose_name_plural = _("journal d'audit")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class AuditSeal(AppendOnlyRow):
    """The seal of one audit event, chained to the seal before it (see maillage.core.seal).
    Written after the event's transaction commits, in the order events are sealed."""

    event = models.OneToOneField(
        AuditEvent, on_delete=models.PROTECT, related_name="seal", primary_key=False
    )
    digest = models.CharField(_("sceau"), max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("sceau du journal")
        verbose_name_plural = _("sceaux du journal")

    def __str__(self) -> str:
        return self.digest[:12]


class Transition(AppendOnlyModel):
    """One change of a declared status field (see maillage.core.statemachine)."""

    field = models.CharField(max_length=64)
    from_state = models.CharField(_("ancien statut"), max_length=32, blank=True, default="")
    to_state = models.CharField(_("nouveau statut"), max_length=32)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("par"),
    )

    class Meta:
        verbose_name = _("changement de statut")
        verbose_name_plural = _("changements de statut")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"]),
            models.Index(fields=["content_type", "field", "to_state", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.from_state or '∅'} → {self.to_state}"

    @property
    def comment(self) -> str:
        """What the person wrote on this step, unless erasure emptied it."""
        try:
            return self.written_note.text
        except TransitionNote.DoesNotExist:
            return ""


class TransitionNote(models.Model):
    """What a person wrote on a status change. Kept beside the journal, not in it: free text
    may name or describe someone, and erasure must be able to remove it; the journal keeps who
    changed what and when."""

    transition = models.OneToOneField(
        Transition, on_delete=models.CASCADE, primary_key=True, related_name="written_note"
    )
    text = models.TextField(_("commentaire"))

    class Meta:
        verbose_name = _("commentaire d'un changement de statut")
        verbose_name_plural = _("commentaires des changements de statut")

    def __str__(self) -> str:
        return self.text[:50]


class Sending(models.Model):
    """One sending through a rate-limited door (see `maillage.core.throttle`). Kept one day."""

    door = models.CharField(max_length=32)
    address = models.GenericIPAddressField(null=True, blank=True)
    target = models.CharField(max_length=128, blank=True, default="")
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("envoi limité")
        verbose_name_plural = _("envois limités")
        indexes = [
            models.Index(fields=["door", "address", "at"]),
            models.Index(fields=["door", "target", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.door}"
