"""Form helpers shared by every app."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from html import escape
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import Model
from django.forms.boundfield import BoundField
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from maillage.core import audit
from maillage.core.middleware import SESSION_PENDING_POST, read_time
from maillage.core.models import AuditEvent


class FormRenderer(TemplatesSetting):
    """Every form renders with the error summary first and accessible fields.

    A field group (`components/field.html`) and the plain widgets (inputs, selects, text
    areas) are written in Python, with the markup of their templates: a form renders dozens of
    them, and each template costs a render of its own (a roll call has sixty radio buttons, a
    territory select a hundred options). Any other template renders as usual."""

    form_template_name = "components/form.html"
    field_template_name = "components/field.html"

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        write = _WRITTEN_IN_PYTHON.get(template_name)
        if write is None:
            return super().render(template_name, context, request)
        return write(context)


def html_attrs(attrs: dict[str, Any]) -> str:
    """Attributes as `django/forms/widgets/attrs.html` writes them: True alone, False left out."""
    return "".join(
        f" {escape(str(name))}" if value is True else f' {escape(str(name))}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def input_html(widget: dict[str, Any]) -> SafeString:
    """`django/forms/widgets/input.html`."""
    value = "" if widget["value"] is None else f' value="{escape(str(widget["value"]))}"'
    return mark_safe(  # noqa: S308 (every value escaped)
        f'<input type="{escape(str(widget["type"]))}" name="{escape(str(widget["name"]))}"'
        f"{value}{html_attrs(widget['attrs'])}>"
    )


def _select(widget: dict[str, Any]) -> SafeString:
    html = [f'<select name="{escape(str(widget["name"]))}"{html_attrs(widget["attrs"])}>']
    for group, options, _index in widget["optgroups"]:
        if group:
            html.append(f'<optgroup label="{escape(str(group))}">')
        html.extend(
            f'<option value="{escape(str(option["value"]))}"{html_attrs(option["attrs"])}>'
            f"{escape(str(option['label']))}</option>"
            for option in options
        )
        if group:
            html.append("</optgroup>")
    html.append("</select>")
    return mark_safe("".join(html))  # noqa: S308 (every value escaped)


def _textarea(widget: dict[str, Any]) -> SafeString:
    value = escape(str(widget["value"])) if widget["value"] else ""
    return mark_safe(  # noqa: S308 (every value escaped)
        f'<textarea name="{escape(str(widget["name"]))}"{html_attrs(widget["attrs"])}>\n'
        f"{value}</textarea>"
    )


def field_group(field: BoundField) -> SafeString:
    """`components/field.html`: the label (a legend for a group of choices), the help text and
    the errors, each tied to the input by its id, then the input."""
    auto_id = field.auto_id
    required = (
        format_html(
            ' <span class="required-marker" aria-hidden="true">*</span>'
            '<span class="visually-hidden">{}</span>',
            _("(obligatoire)"),
        )
        if field.field.required
        else ""
    )
    helptext = (
        format_html(
            '<span class="field__helptext" id="{}_helptext">{}</span>', auto_id, field.help_text
        )
        if field.help_text
        else ""
    )
    errors = (
        format_html(
            '<span class="field__error" id="{}_error">{}</span>',
            auto_id,
            format_html_join("", "{} ", ((error,) for error in field.errors)),
        )
        if field.errors
        else ""
    )
    kind = field.widget_type
    if kind in ("checkboxselectmultiple", "radioselect"):
        described = (f"{auto_id}_helptext " if field.help_text else "") + (
            f"{auto_id}_error" if field.errors else ""
        )
        choices = format_html_join(
            "",
            '<li><label for="{}">{} {}</label></li>',
            (
                (choice.id_for_label, input_html(choice.data), choice.choice_label)
                for choice in field
            ),
        )
        inner = format_html(
            '<fieldset aria-describedby="{}"><legend>{}{}</legend>{}{}'
            '<ul class="choices" id="{}">{}</ul></fieldset>',
            described,
            field.label,
            required,
            helptext,
            errors,
            auto_id,
            choices,
        )
    elif kind == "checkbox":
        inner = format_html(
            '{}<label class="choices" for="{}">{} {}</label>{}',
            errors,
            auto_id,
            field.as_widget(),
            field.label,
            helptext,
        )
    else:
        inner = format_html(
            '<label for="{}">{}{}</label>{}{}{}',
            auto_id,
            field.label,
            required,
            helptext,
            errors,
            field.as_widget(),
        )
    return format_html(
        '<div class="field{}">{}</div>', " field--error" if field.errors else "", inner
    )


def answer_buttons(field: BoundField) -> SafeString:
    """A question answered by one tap: its choices as large buttons (a roll call's presence,
    a diagnostic's answer), in a fieldset whose legend is the question."""
    error = (
        format_html(
            '<span class="field__error" id="{}_error">{}</span>', field.auto_id, field.errors[0]
        )
        if field.errors
        else ""
    )
    return format_html(
        '<fieldset id="{}" class="question{}"{}><legend>{}</legend>{}<div class="answers">{}</div>'
        "</fieldset>",
        field.auto_id,
        " field--error" if field.errors else "",
        format_html(' aria-describedby="{}_error"', field.auto_id) if field.errors else "",
        field.label,
        error,
        format_html_join(
            "",
            '<label class="answer" for="{}">{}<span>{}</span></label>',
            ((c.id_for_label, input_html(c.data), c.choice_label) for c in field),
        ),
    )


# The widget templates that only include `input.html`.
_INPUTS = (
    *("input", "text", "number", "email", "url", "password", "hidden"),
    *("date", "datetime", "time", "search", "tel", "color", "checkbox"),
)
_WRITTEN_IN_PYTHON: dict[str, Callable[[dict[str, Any]], str]] = {
    **{
        f"django/forms/widgets/{name}.html": lambda context: input_html(context["widget"])
        for name in _INPUTS
    },
    "django/forms/widgets/select.html": lambda context: _select(context["widget"]),
    "django/forms/widgets/textarea.html": lambda context: _textarea(context["widget"]),
    FormRenderer.field_template_name: lambda context: field_group(context["field"]),
}


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


def or_model_default(form: forms.ModelForm, name: str) -> Any:
    """A number the form lets people leave empty: then the model field's default."""
    value = form.cleaned_data.get(name)
    return form._meta.model._meta.get_field(name).default if value is None else value


class RadioSelect(forms.RadioSelect):
    """Radio buttons that tick nothing the person has not chosen (Django's name kept: the field
    template knows radio buttons by it and groups them in a fieldset with a legend). A model field without a
    default gets Django's empty choice (« --------- »), which a radio group shows ticked: a
    required answer never offers it, so the person must pick one, and a field's true default
    (`initial`, the model's default) is still ticked."""

    def optgroups(self, name: str, value: Any, attrs: dict[str, Any] | None = None) -> Any:
        groups = super().optgroups(name, value, attrs)
        if not self.is_required:
            return groups
        kept = []
        for group_name, options, index in groups:
            options = [option for option in options if option["value"] not in ("", None)]
            if options:
                kept.append((group_name, options, index))
        return kept
