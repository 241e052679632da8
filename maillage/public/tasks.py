"""E-mails of the public pages, sent by the tasks worker after the transaction commits."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse
from django.utils import translation

from maillage.core.mail import render_plain
from maillage.network.models import Structure


def place_staff(place: Structure) -> list[str]:
    """Who hears about a place: its referents, else its own address, else the network's."""
    referents = [user.email for user in place.referents() if user.email]
    return referents or [place.email or settings.CONTACT_EMAIL]


@task()
def report_place_error(place_pk: int, message: str, contact: str) -> int:
    """Someone says a place's page is wrong: its staff get what they wrote."""
    place = Structure.objects.select_related("commune").get(pk=place_pk)
    context = {
        "place": place,
        "message": message,
        "contact": contact,
        "page": settings.SITE_URL + reverse("public:place_detail", args=[place.pk]),
        "edit": settings.SITE_URL + reverse("network:structure_edit", args=[place.pk]),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_plain("public/email/place_error_subject.txt", context).strip()
        body = render_plain("public/email/place_error.txt", context)
    return send_mail(subject, body, None, place_staff(place))
