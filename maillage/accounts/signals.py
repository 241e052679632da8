from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest

from maillage.accounts.models import RoleAssignment, User
from maillage.accounts.second_factor import confirmed_now
from maillage.core import audit
from maillage.core.middleware import start_session_clock
from maillage.core.models import AuditEvent


@receiver(user_logged_in)
def on_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    start_session_clock(request)
    confirmed_now(request)
    audit.record(user, AuditEvent.Action.LOGIN, user)


@receiver(user_logged_out)
def on_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(user, AuditEvent.Action.LOGOUT, user)


# --- Roles and access: every grant, change and removal is journalled, whatever the path (the
# staff screen, the technical administration, a shell), with who did it when it is known.


def _scope_of(assignment: RoleAssignment) -> dict[str, Any]:
    return {
        "role": assignment.role,
        "region": assignment.region_id,
        "structure": assignment.structure_id,
    }


@receiver(pre_save, sender=RoleAssignment)
def remember_role_before(sender: Any, instance: RoleAssignment, **kwargs: Any) -> None:
    before = RoleAssignment.objects.filter(pk=instance.pk).first() if instance.pk else None
    instance._before = _scope_of(before) if before else None  # type: ignore[attr-defined]


@receiver(post_save, sender=RoleAssignment)
def journal_role_saved(sender: Any, instance: RoleAssignment, created: bool, **kwargs: Any) -> None:
    after = _scope_of(instance)
    if created:
        # Journalled once the transaction commits, with the départements and programmes added
        # right after the row (a form saves them next).
        instance._granting = True  # type: ignore[attr-defined]
        transaction.on_commit(partial(_journal_grant, instance, after, audit.current_actor()))
        return
    changes = audit.diff(getattr(instance, "_before", None) or {}, after)
    if changes:
        audit.record(
            audit.current_actor(), AuditEvent.Action.ROLE_CHANGED, instance.user, changes=changes
        )


@receiver(post_delete, sender=RoleAssignment)
def journal_role_removed(sender: Any, instance: RoleAssignment, **kwargs: Any) -> None:
    if User.objects.filter(pk=instance.user_id).exists():
        audit.record(
            audit.current_actor(),
            AuditEvent.Action.ROLE_REMOVED,
            User(pk=instance.user_id),
            changes=_scope_of(instance),
        )


def _journal_grant(granted: RoleAssignment, scope: dict[str, Any], actor: Any) -> None:
    granted._granting = False  # type: ignore[attr-defined]
    assignment = RoleAssignment.objects.filter(pk=granted.pk).first()
    if assignment is not None:
        scope = {
            **_scope_of(assignment),
            "departments": sorted(assignment.departments.values_list("pk", flat=True)),
            "programmes": sorted(assignment.programmes.values_list("pk", flat=True)),
        }
    audit.record(actor, AuditEvent.Action.ROLE_GRANTED, User(pk=granted.user_id), changes=scope)


def _journal_places(relation: str) -> Any:
    def journal(
        sender: Any, instance: Any, action: str, pk_set: set[int] | None, **kwargs: Any
    ) -> None:
        if (
            action not in ("post_add", "post_remove", "post_clear")
            or not isinstance(instance, RoleAssignment)
            or getattr(instance, "_granting", False)  # part of the grant, journalled with it
        ):
            return
        verb = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}[action]
        audit.record(
            audit.current_actor(),
            AuditEvent.Action.ROLE_CHANGED,
            instance.user,
            changes={"role": instance.role, relation: {verb: sorted(pk_set or [])}},
        )

    return journal


m2m_changed.connect(
    _journal_places("departments"),
    sender=RoleAssignment.departments.through,
    weak=False,
    dispatch_uid="journal_role_departments",
)
m2m_changed.connect(
    _journal_places("programmes"),
    sender=RoleAssignment.programmes.through,
    weak=False,
    dispatch_uid="journal_role_programmes",
)

# The account's own switches: active, technical administration, every permission.
ACCESS_FIELDS = ("is_active", "is_staff", "is_superuser")


@receiver(pre_save, sender=User)
def remember_access_before(sender: Any, instance: User, **kwargs: Any) -> None:
    before = (
        User.objects.filter(pk=instance.pk).values(*ACCESS_FIELDS).first() if instance.pk else None
    )
    instance._access_before = before  # type: ignore[attr-defined]


@receiver(post_save, sender=User)
def journal_access(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    before = getattr(instance, "_access_before", None)
    after = {name: getattr(instance, name) for name in ACCESS_FIELDS}
    if created:
        if instance.is_staff or instance.is_superuser:
            audit.record(
                audit.current_actor(), AuditEvent.Action.ROLE_GRANTED, instance, changes=after
            )
        return
    changes = audit.diff(before or {}, after)
    if not changes:
        return
    action = AuditEvent.Action.ROLE_CHANGED
    if set(changes) == {"is_active"}:
        action = (
            AuditEvent.Action.ACCOUNT_REACTIVATED
            if instance.is_active
            else AuditEvent.Action.ACCOUNT_DEACTIVATED
        )
    audit.record(audit.current_actor(), action, instance, changes=changes)
