"""Phone numbers: stored in international format (E.164), France by default."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def normalise_phone(value: str, region: str = "FR") -> str:
    """The number in international format (+33…); raises ValidationError if it is not valid."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("Ce numéro de téléphone n'est pas reconnu."), code="phone_format"
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Ce numéro de téléphone n'est pas valide : vérifiez les chiffres saisis."),
            code="phone_invalid",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_optional_phone(value: str | None) -> str:
    """An optional number typed in a form: empty stays empty, anything else is normalised."""
    value = (value or "").strip()
    return normalise_phone(value) if value else ""


def display_phone(value: str) -> str:
    """A stored +33 number as people write it (06 12 34 56 78)."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        return value
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 33
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, fmt)
