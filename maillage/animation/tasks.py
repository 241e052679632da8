"""E-mails of the network's journey, sent by the tasks worker after the transaction commits."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse
from django.utils import translation

from maillage.animation.models import Application, CoachingReminder, InfoMeetingRegistration
from maillage.core.mail import render_plain


def _send(template: str, context: dict[str, object], recipients: list[str]) -> int:
    if not recipients:
        return 0
    context = {**context, "site_url": settings.SITE_URL}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_plain(f"animation/email/{template}_subject.txt", context).strip()
        body = render_plain(f"animation/email/{template}.txt", context)
    return send_mail(subject, body, None, recipients)


@task()
def send_draft_link(application_pk: int, link: str) -> int:
    """The secret link of a draft, so that the applicant can come back to it."""
    application = Application.objects.select_related("call").get(pk=application_pk)
    if not application.is_draft:
        return 0
    return _send(
        "application_draft",
        {"application": application, "link": link},
        [application.contact_email],
    )


@task()
def tell_applicant(application_pk: int, status: str) -> int:
    """The applicant learns each decision: submitted, shortlisted, selected or not."""
    application = Application.objects.select_related("call").get(pk=application_pk)
    return _send(f"application_{status}", {"application": application}, [application.contact_email])


@task()
def remind_coach(reminder_pk: int) -> int:
    reminder = CoachingReminder.objects.select_related("plan__structure", "plan__coach").get(
        pk=reminder_pk
    )
    plan = reminder.plan
    return _send(
        "coaching_reminder",
        {
            "plan": plan,
            "last_contact_on": reminder.last_contact_on,
            "days": settings.COACHING_SILENCE_DAYS,
            "url": settings.SITE_URL + plan.get_absolute_url(),
        },
        [plan.coach.email],
    )


def _meeting_mail(template: str, registration_pk: int) -> int:
    registration = InfoMeetingRegistration.objects.select_related("meeting__call").get(
        pk=registration_pk
    )
    call = registration.meeting.call
    return _send(
        template,
        {
            "registration": registration,
            "meeting": registration.meeting,
            "call_url": settings.SITE_URL + reverse("public:call_apply", args=[call.slug])
            if call is not None and call.is_open
            else "",
        },
        [registration.email],
    )


@task()
def confirm_meeting_registration(registration_pk: int) -> int:
    return _meeting_mail("meeting_registered", registration_pk)


@task()
def remind_meeting_registrant(registration_pk: int) -> int:
    return _meeting_mail("meeting_reminder", registration_pk)
