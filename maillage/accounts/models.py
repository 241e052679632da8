"""Staff accounts (e-mail sign-in), the roles they hold with their scope, and sign-in attempts."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.models import Device

from maillage.core.roles import Role, Scope, staff_accounts
from maillage.network.models import Structure
from maillage.programmes.models import Programme
from maillage.territories.models import Department, Region


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.update(is_staff=True, is_superuser=True)
        user = self._create(email, password, **fields)
        RoleAssignment.objects.create(user=user, role=Role.ADMIN)
        return user

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username or "")

    def network_staff(self) -> models.QuerySet[User]:
        """The active accounts of the network's staff (managers and facilitators), by name:
        who may coach a structure, give a training, carry a kit or take laptops out."""
        return (
            self.filter(staff_accounts(), is_active=True).distinct().order_by("full_name", "email")
        )


# RecoveryCodes extends an untyped django-otp model: the stubs cannot see its relation.
class User(AbstractBaseUser, PermissionsMixin):  # type: ignore[django-manager-missing]
    email = models.EmailField(gettext_lazy("adresse e-mail"), unique=True)
    full_name = models.CharField(gettext_lazy("nom complet"), max_length=150)
    is_active = models.BooleanField(gettext_lazy("actif"), default=True)
    is_staff = models.BooleanField(
        gettext_lazy("accès à l'administration technique"), default=False
    )
    date_joined = models.DateTimeField(gettext_lazy("créé le"), default=timezone.now)
    # Set after too many failed sign-ins; a password reset (or a manager) unlocks it.
    locked_at = models.DateTimeField(gettext_lazy("verrouillé le"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = gettext_lazy("utilisateur")
        verbose_name_plural = gettext_lazy("utilisateurs")
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    @cached_property
    def scope(self) -> Scope:
        """Everything this person's roles let them see (see maillage.core.roles)."""
        if not self.is_active:
            return Scope()
        # One row per role and place (a role holds départements or programmes, not both).
        rows = list(
            self.role_assignments.values_list(
                "role", "region_id", "structure_id", "departments", "programmes"
            )
        )
        roles = frozenset(row[0] for row in rows)

        def ids(role: str, column: int) -> frozenset[int]:
            return frozenset(int(row[column]) for row in rows if row[0] == role and row[column])

        return Scope(
            roles=roles,
            is_admin=Role.ADMIN in roles,
            region_ids=ids(Role.REGIONAL_MANAGER, 1),
            managed_department_ids=ids(Role.TERRITORY_MANAGER, 3),
            field_department_ids=ids(Role.MEDIATOR, 3),
            structure_ids=ids(Role.RELAY_REFERENT, 2),
            programme_ids=ids(Role.FUNDER, 4),
        )


class RoleAssignment(models.Model):
    """One role held by a person, with the scope it applies to."""

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=gettext_lazy("personne"),
    )
    role = models.CharField(gettext_lazy("rôle"), max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, verbose_name=gettext_lazy("région")
    )
    departments = models.ManyToManyField(
        Department, blank=True, verbose_name=gettext_lazy("départements")
    )
    structure = models.ForeignKey(
        Structure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=gettext_lazy("structure"),
    )
    programmes = models.ManyToManyField(
        Programme, blank=True, verbose_name=gettext_lazy("programmes")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = gettext_lazy("rôle")
        verbose_name_plural = gettext_lazy("rôles")
        ordering = ["user", "role"]

    def __str__(self) -> str:
        return f"{self.get_role_display()}"

    def clean(self) -> None:
        """The scope a role needs: a région, a structure. Départements and programmes (many to
        many, known only once saved) are checked by `accounts.forms.RoleAssignmentForm`."""
        errors: dict[str, str] = {}
        if self.role == Role.REGIONAL_MANAGER and not self.region_id:
            errors["region"] = _("Un·e responsable régional·e doit avoir une région.")
        if self.role != Role.REGIONAL_MANAGER and self.region_id:
            errors["region"] = _("Seul le rôle de responsable régional·e porte sur une région.")
        if self.role == Role.RELAY_REFERENT and not self.structure_id:
            errors["structure"] = _("Un·e référent·e doit être rattaché·e à une structure.")
        if self.role != Role.RELAY_REFERENT and self.structure_id:
            errors["structure"] = _("Seul le rôle de référent·e porte sur une structure.")
        if errors:
            raise ValidationError(errors)

    def scope_label(self) -> str:
        if self.role == Role.REGIONAL_MANAGER and self.region:
            return str(self.region)
        if self.role in {Role.TERRITORY_MANAGER, Role.MEDIATOR}:
            return ", ".join(d.name for d in self.departments.all())
        if self.role == Role.RELAY_REFERENT and self.structure:
            return str(self.structure)
        if self.role == Role.FUNDER:
            return ", ".join(p.name for p in self.programmes.all())
        return _("Tout le réseau")


class LoginAttemptQuerySet(models.QuerySet["LoginAttempt"]):
    def failures_since(self, since: datetime) -> LoginAttemptQuerySet:
        return self.filter(succeeded=False, at__gte=since)


class LoginAttempt(models.Model):
    """Sign-in attempts, to throttle guessing per account and per network address. Kept for the
    throttle window only (see `prune_login_attempts`)."""

    email = models.CharField(max_length=254, db_index=True)
    address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    succeeded = models.BooleanField(default=False)

    objects = LoginAttemptQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("tentative de connexion")
        verbose_name_plural = gettext_lazy("tentatives de connexion")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {'ok' if self.succeeded else 'échec'}"


class ApiToken(models.Model):
    """A person's key to the statistics API: only its SHA-256 digest is stored, the key itself
    is shown once. Requests are counted per minute for the rate limit."""

    PREFIX = "mlg_"

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="api_token")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    window_start = models.DateTimeField(default=timezone.now)
    window_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = gettext_lazy("jeton d'accès à l'API")
        verbose_name_plural = gettext_lazy("jetons d'accès à l'API")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User) -> str:
        """A new key for this person (the previous one stops working); returns the key."""
        key = cls.PREFIX + secrets.token_urlsafe(32)
        cls.objects.filter(user=user).delete()
        cls.objects.create(user=user, digest=cls.digest_of(key))
        return key

    @classmethod
    def authenticate(cls, key: str) -> ApiToken | None:
        if not key.startswith(cls.PREFIX):
            return None
        return (
            cls.objects.select_related("user")
            .filter(digest=cls.digest_of(key), user__is_active=True)
            .first()
        )

    def spend(self, *, limit: int, window: timedelta = timedelta(minutes=1)) -> int:
        """Count one request; returns 0 when allowed, else the seconds to wait. One UPDATE, so
        that concurrent requests (in any process) are all counted."""
        now = timezone.now()
        fresh = Q(window_start__lte=now - window)
        ApiToken.objects.filter(pk=self.pk).update(
            window_count=Case(When(fresh, then=Value(1)), default=F("window_count") + 1),
            window_start=Case(When(fresh, then=Value(now)), default=F("window_start")),
            last_used_at=now,
        )
        count, start = ApiToken.objects.values_list("window_count", "window_start").get(pk=self.pk)
        if count <= limit:
            return 0
        return max(1, int((start + window - now).total_seconds()) + 1)


# Letters and digits that cannot be mistaken for one another when copied by hand.
_RECOVERY_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _recovery_digest(code: str) -> str:
    normalised = "".join(code.split()).replace("-", "").upper()
    return hashlib.sha256(normalised.encode()).hexdigest()


class RecoveryCodes(Device):
    """Ten one-time codes for the day the phone with the authenticator is lost. Shown once;
    only their digests are kept, and each one used is crossed out."""

    COUNT = 10
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    digests = models.JSONField(default=list)

    class Meta:
        verbose_name = gettext_lazy("codes de secours")
        verbose_name_plural = gettext_lazy("codes de secours")

    @classmethod
    def issue(cls, user: User) -> list[str]:
        """New codes for this person (the previous ones stop working); returns them."""
        codes = [
            "-".join(
                "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(4)) for _ in range(2)
            )
            for _ in range(cls.COUNT)
        ]
        cls.objects.filter(user=user).delete()
        cls.objects.create(
            user=user, name=_("Codes de secours"), digests=[_recovery_digest(c) for c in codes]
        )
        return codes

    def verify_token(self, token: Any) -> bool:
        digest = _recovery_digest(str(token))
        if digest not in self.digests:
            return False
        self.digests = [d for d in self.digests if d != digest]
        self.save(update_fields=["digests"])
        return True
