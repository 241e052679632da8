"""Form helpers shared by every app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.middleware import SESSION_PENDING_POST, read_time


class FormRenderer(TemplatesSetting):
    """Every form renders with the error summary first and accessible fields."""

    form_template_name = "components/form.html"
    field_template_name = "components/field.html"


def recovered_post(request: HttpRequest) -> QueryDict | None:
    """The form this person posted just before their session expired, if it was on this page,
    by this same person, less than a session's maximum age ago. Given once."""
    pending = request.session.get(SESSION_PENDING_POST)
    if not pending or pending.get("path") != request.path:
        return None
    del request.session[SESSION_PENDING_POST]
    posted_at = read_time(pending.get("at"))
    if (
        pending.get("user") != request.user.pk
        or posted_at is None
        or timezone.now() - posted_at > settings.SESSION_MAX_AGE
    ):
        return None
    data = QueryDict(mutable=True)
    for key, values in pending.get("data", {}).items():
        data.setlist(key, values)
    return data


def bind[F: forms.BaseForm](request: HttpRequest, form_class: type[F], **kwargs: Any) -> F:
    """The form for this request: bound to what was posted, or to the form recovered after
    a new sign-in (shown filled in, to confirm), or empty."""
    if request.method == "POST":
        return form_class(data=request.POST, files=request.FILES, **kwargs)
    recovered = recovered_post(request)
    if recovered is not None:
        messages.warning(
            request,
            _(
                "Votre session avait expiré pendant la saisie : nous avons gardé ce formulaire. "
                "Vérifiez-le puis enregistrez-le."
            ),
        )
        return form_class(data=recovered, **kwargs)
    return form_class(**kwargs)


def errors_text(form: forms.BaseForm) -> str:
    """A form's errors on one line, for a message after a redirect."""
    return " ".join(str(e) for errors in form.errors.values() for e in errors)
