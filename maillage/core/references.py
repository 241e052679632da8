"""Short references people read aloud and copy by hand (P-7K3M9Q for a person, V-… for a sale),
kept by the records that have one."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

# Letters and digits that cannot be mistaken for one another when read aloud or copied.
REFERENCE_ALPHABET = "ACDEFHJKMNPRTUVWXY34679"


def new_reference(prefix: str, choice: Callable[[str], str] = secrets.choice) -> str:
    """A short reference such as P-7K3M9Q; `choice` picks each character (a seeded random
    generator's for a reproducible demo)."""
    return prefix + "-" + "".join(choice(REFERENCE_ALPHABET) for _ in range(6))


def unique_reference(model: type[models.Model], prefix: str) -> str:
    """A reference no row of `model` holds yet."""
    while True:
        reference = new_reference(prefix)
        if not model._default_manager.filter(reference=reference).exists():
            return reference


class Referenced(models.Model):
    """A record known by a short reference, drawn at its first save with the class's prefix."""

    REFERENCE_PREFIX: ClassVar[str]

    reference = models.CharField(_("référence"), max_length=12, unique=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.reference:
            self.reference = unique_reference(type(self), self.REFERENCE_PREFIX)
        super().save(*args, **kwargs)


def unique_references(model: type[models.Model], prefix: str, count: int) -> list[str]:
    """`count` distinct references no row of `model` holds yet (for a bulk creation)."""
    chosen: set[str] = set()
    while len(chosen) < count:
        drawn = {new_reference(prefix) for _ in range(count - len(chosen))} - chosen
        taken = set(
            model._default_manager.filter(reference__in=drawn).values_list("reference", flat=True)
        )
        chosen |= drawn - taken
    return list(chosen)
