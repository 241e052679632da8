"""Form helpers shared by every app."""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import Model
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import TemplatesSetting
from django.forms.utils import flatatt
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from maillage.core import audit
from maillage.core.middleware import SESSION_PENDING_POST, read_time
from maillage.core.models import AuditEvent


class FormRenderer(TemplatesSetting):
    """Every form renders with the error summary first and accessible fields."""

    form_template_name = "components/form.html"
    field_template_name = "components/field.html"


class QuickSelect(forms.Select):
    """A select rendered in one pass of Python instead of one template per option, with the
    same markup: a territory select holds over a hundred options."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        html = [f'<select name="{escape(str(widget["name"]))}"{flatatt(widget["attrs"])}>']
        for group, options, _index in widget["optgroups"]:
            if group:
                html.append(f'<optgroup label="{escape(str(group))}">')
            for option in options:
                chosen = flatatt(option["attrs"]) if option["attrs"] else ""
                html.append(
                    f'<option value="{escape(str(option["value"]))}"{chosen}>'
                    f"{escape(str(option['label']))}</option>"
                )
            if group:
                html.append("</optgroup>")
        html.append("</select>")
        return mark_safe("".join(html))  # noqa: S308 (every value escaped above)


class ListedChoices(ModelChoiceIterator):
    """Iterates the field's queryset itself (read once, then kept) rather than a fresh query
    each time, so that the page can show the same rows without reading them again."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    """A choice among a short list of rows (programmes, courses), read once per form."""

    iterator = ListedChoices


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


def save_line(
    request: HttpRequest, form: forms.ModelForm, *, fields: list[str], added: str, refused: str
) -> bool:
    """Save a line added from a page's small form (a target, a post), journal it with its
    values (an organisation's data, never a person's) and say so; or say why not."""
    if not form.is_valid():
        messages.error(request, refused % {"errors": errors_text(form)})
        return False
    with transaction.atomic():
        line = form.save()
        audit.record(
            request.user, AuditEvent.Action.CREATE, line, changes=audit.values(line, fields)
        )
    messages.success(request, added)
    return True


def delete_line(request: HttpRequest, line: Model, *, fields: list[str], removed: str) -> None:
    """Remove such a line, journalling what it held."""
    with transaction.atomic():
        audit.record(
            request.user, AuditEvent.Action.DELETE, line, changes=audit.values(line, fields)
        )
        line.delete()
    messages.success(request, removed)


class QuantityField(forms.IntegerField):
    """A number of things counted or handed over: whole, not negative, and at most
    MAX_QUANTITY (a typing slip of 10^20 is refused in French, never stored)."""

    def __init__(self, *, min_value: int = 0, **kwargs: Any) -> None:
        kwargs.setdefault("max_value", settings.MAX_QUANTITY)
        kwargs.setdefault("widget", forms.NumberInput(attrs={"inputmode": "numeric"}))
        super().__init__(min_value=min_value, **kwargs)
