"""E-mails about referrals, sent in the background after the transaction commits."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse
from django.utils import translation

from maillage.accounts.models import User
from maillage.core.mail import render_plain
from maillage.core.roles import field_team_accounts, referent_accounts
from maillage.people.models import Referral


def _send(template: str, context: dict[str, object], recipients: list[str]) -> int:
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_plain(f"people/email/{template}_subject.txt", context).strip()
        body = render_plain(f"people/email/{template}.txt", context)
    return send_mail(subject, body, None, recipients)


def team_emails(referral: Referral) -> list[str]:
    """The receiving team: the structure's referents and the network staff of its département."""
    structure = referral.to_structure
    team = User.objects.filter(
        referent_accounts([structure.pk]) | field_team_accounts(structure.commune.department_id),
        is_active=True,
    )
    return sorted(set(team.values_list("email", flat=True)))


def _context(referral: Referral) -> dict[str, object]:
    return {
        "referral": referral,
        "url": settings.SITE_URL + reverse("people:referral_detail", args=[referral.reference]),
    }


@task()
def tell_team_of_new_referral(referral_pk: int) -> int:
    referral = Referral.objects.select_related("to_structure__commune").get(pk=referral_pk)
    return _send("referral_new", _context(referral), team_emails(referral))


@task()
def remind_team(referral_pk: int) -> int:
    referral = Referral.objects.select_related("to_structure__commune").get(pk=referral_pk)
    if not referral.is_open:
        return 0
    return _send("referral_reminder", _context(referral), team_emails(referral))


@task()
def tell_referrer(referral_pk: int, status: str) -> int:
    """The referrer learns each change of status; the e-mail names the referral by its
    reference, never the person."""
    referral = Referral.objects.select_related("to_structure").get(pk=referral_pk)
    if not referral.referrer_email:
        return 0  # a call back asked by the person: the team calls them
    context = {**_context(referral), "status": Referral.workflow.label(status)}
    return _send("referral_status", context, [referral.referrer_email])


@task()
def run_people_import(import_pk: int) -> str:
    """Check and import a staged file of people (see maillage.people.importer)."""
    from maillage.people.importer import run_import

    return run_import(import_pk).status
