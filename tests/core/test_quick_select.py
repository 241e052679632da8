from __future__ import annotations

import pytest
from django import forms
from django.test.html import parse_html

from maillage.core.forms import QuickSelect

CHOICES = [
    ("", "Tout"),
    ("Grand Est", [("r:1", "Grand Est (toute la région)"), ("d:2", "Marne (51) & <b>")]),
    ("Bretagne", [("d:3", "Finistère (29)")]),
]


@pytest.mark.parametrize("value", ["", "d:2", "d:3", "absent"])
def test_a_quick_select_renders_the_same_markup_as_django_s_select(value: str) -> None:
    attrs = {"id": "id_territoire", "aria-describedby": "id_territoire_helptext", "required": True}
    quick = QuickSelect(choices=CHOICES).render("territoire", value, attrs)
    django_select = forms.Select(choices=CHOICES).render("territoire", value, attrs)
    assert parse_html(quick) == parse_html(django_select)


def test_a_quick_select_escapes_labels_and_marks_the_chosen_option() -> None:
    html = QuickSelect(choices=CHOICES).render("territoire", "d:2", {"disabled": False})
    assert "Marne (51) &amp; &lt;b&gt;" in html
    assert '<option value="d:2" selected>' in html
    assert "disabled" not in html
