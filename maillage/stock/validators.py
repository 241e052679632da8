"""Identifiers printed on devices and SIM cards, checked by their check digit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def luhn_valid(digits: str) -> bool:
    """The Luhn check: every second digit from the right doubled, the sum a multiple of ten."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def clean_digits(value: str) -> str:
    """Spaces, dashes and dots that people type between groups of digits are dropped."""
    return "".join(c for c in value if c not in " -.")


def validate_imei(value: str) -> None:
    digits = clean_digits(value)
    if not (digits.isdigit() and len(digits) == 15):
        raise ValidationError(
            _("Un IMEI compte 15 chiffres (tapez *#06# sur le téléphone pour l'afficher)."),
            code="imei_length",
        )
    if not luhn_valid(digits):
        raise ValidationError(
            _("Cet IMEI n'est pas valide : son dernier chiffre de contrôle ne correspond pas."),
            code="imei_check_digit",
        )


def validate_iccid(value: str) -> None:
    digits = clean_digits(value)
    if not (digits.isdigit() and 18 <= len(digits) <= 20 and digits.startswith("89")):
        raise ValidationError(
            _("Un numéro de carte SIM (ICCID) compte 18 à 20 chiffres et commence par 89."),
            code="iccid_format",
        )
    if not luhn_valid(digits):
        raise ValidationError(
            _(
                "Ce numéro de carte SIM n'est pas valide : son chiffre de contrôle ne correspond pas."
            ),
            code="iccid_check_digit",
        )
