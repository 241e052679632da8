"""Fields and widgets written in Python (`maillage.core.forms.FormRenderer`) give the same
markup as the templates they stand for."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.template import Context, Template
from django.test.html import parse_html

from maillage.core.forms import FormRenderer, answer_buttons

CHOICES = [
    ("", "Tout"),
    ("Grand Est", [("r:1", "Grand Est (toute la région)"), ("d:2", "Marne (51) & <b>")]),
    ("Bretagne", [("d:3", "Finistère (29)")]),
]


class Sample(forms.Form):
    name = forms.CharField(label="Nom & prénom", max_length=20, help_text="Comme <écrit>")
    age = forms.IntegerField(label="Âge", required=False, min_value=0)
    email = forms.EmailField(label="Courriel", required=False)
    day = forms.DateField(
        label="Jour", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    territory = forms.ChoiceField(label="Territoire", choices=CHOICES, required=False)
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea)
    agreed = forms.BooleanField(label="D'accord", required=False, help_text="Cochez")
    presence = forms.ChoiceField(
        label="Présence", choices=[("p", "Présente"), ("a", "Absente")], widget=forms.RadioSelect
    )
    themes = forms.MultipleChoiceField(
        label="Thèmes",
        choices=[("m", "Messagerie"), ("s", "Santé")],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Plusieurs possibles",
    )
    secret = forms.CharField(widget=forms.HiddenInput, required=False)


def _both(form: forms.Form) -> list[tuple[Any, Any]]:
    """Each field group as written in Python and as its template renders it."""
    by_templates = TemplatesSetting()
    return [
        (
            field.as_field_group(),
            by_templates.render(FormRenderer.field_template_name, field.get_context()),
        )
        for field in form
    ]


@pytest.mark.parametrize(
    "data",
    [
        None,
        {
            "name": "Awa",
            "age": "7",
            "territory": "d:2",
            "note": "<b>",
            "agreed": "on",
            "presence": "a",
            "themes": ["m", "s"],
            "secret": 'x"y',
        },
        {"name": "x" * 30, "age": "-1", "email": "a@", "territory": "absent", "presence": ""},
    ],
    ids=["empty", "filled", "refused"],
)
def test_every_field_group_written_in_python_matches_its_template(data: Any) -> None:
    form = Sample(data, renderer=FormRenderer())
    for python, template in _both(form):
        assert parse_html(python) == parse_html(template)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {
            "name": 'A"wa',
            "age": "3",
            "territory": "r:1",
            "note": "a < b",
            "agreed": "on",
            "presence": "p",
            "themes": ["s"],
            "secret": "<s>",
        },
    ],
)
def test_every_widget_written_in_python_matches_django_s_template(data: Any) -> None:
    python = Sample(data, renderer=FormRenderer())
    templates = Sample(data, renderer=TemplatesSetting())
    for name in python.fields:
        assert parse_html(str(python[name])) == parse_html(str(templates[name])), name


# The markup a question's answer buttons had as a template.
ANSWER_BUTTONS = """{% load maillage %}
<fieldset id="{{ field.auto_id }}"
          class="question{% if field.errors %} field--error{% endif %}"{% if field.errors %} aria-describedby="{{ field.auto_id }}_error"{% endif %}>
  <legend>{{ field.label }}</legend>
  {% if field.errors %}<span class="field__error" id="{{ field.auto_id }}_error">{{ field.errors.0 }}</span>{% endif %}
  <div class="answers">{% for choice in field %}<label class="answer" for="{{ choice.id_for_label }}">{{ choice|input_tag }}<span>{{ choice.choice_label }}</span></label>{% endfor %}</div>
</fieldset>"""


@pytest.mark.parametrize("data", [None, {"presence": "a"}, {"presence": "z"}])
def test_answer_buttons_written_in_python_match_their_former_template(data: Any) -> None:
    field = Sample(data, renderer=FormRenderer())["presence"]
    if data:
        field.form.is_valid()
    expected = Template(ANSWER_BUTTONS).render(Context({"field": field}))
    assert parse_html(answer_buttons(field)) == parse_html(expected)


def test_a_select_escapes_labels_and_marks_the_chosen_option() -> None:
    html = str(Sample({"territory": "d:2"}, renderer=FormRenderer())["territory"])
    assert "Marne (51) &amp; &lt;b&gt;" in html
    assert '<option value="d:2" selected>' in html


def test_a_template_the_renderer_does_not_write_renders_as_usual() -> None:
    widget = forms.ClearableFileInput()
    html = widget.render("file", None, {"id": "id_file"}, renderer=FormRenderer())
    assert '<input type="file" name="file" id="id_file">' in html
