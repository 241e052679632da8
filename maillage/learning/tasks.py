"""Background work of the accompaniment, run by the tasks worker (`db_worker`)."""

from __future__ import annotations

from django.tasks import task

from maillage.learning import reminders
from maillage.learning.models import Session


@task()
def send_session_reminders(session_pk: int) -> int:
    """Send the reminders of one session; running it again sends nothing new."""
    session = (
        Session.objects.select_related("cohort__course", "cohort__structure__commune")
        .filter(pk=session_pk)
        .first()
    )
    if session is None:
        return 0
    return sum(reminders.send(planned) for planned in reminders.planned_for(session))
