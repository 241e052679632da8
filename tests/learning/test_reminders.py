from __future__ import annotations

import json
import threading
from datetime import date, time, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from maillage.learning import reminders, services, tasks
from maillage.learning.models import Cohort, Course, ReminderSent
from maillage.notifications.sms import BrevoBackend, FileBackend, LocmemBackend, Sms, SmsError
from maillage.people import services as people
from maillage.people.enums import ConsentPurpose
from tests.conftest import World


@pytest.fixture(autouse=True)
def _empty_outbox() -> None:
    LocmemBackend.outbox.clear()


def tomorrow_cohort(world: World) -> Cohort:
    cohort = services.plan_cohort(
        Cohort(
            course=Course.objects.get(code="initiation-computer"),
            structure=world.ccas_reims,
            place="Salle des fêtes",
        ),
        first=timezone.localdate() + timedelta(days=1),
        at=time(14, 0),
        facilitators=[world.personas["mediator"]],
        by=None,
    )
    services.enrol(cohort, world.alice, by=None)
    return cohort


def agree(world: World) -> None:
    world.alice.email = "alice@exemple.test"
    world.alice.save()
    people.give_consent(world.alice, ConsentPurpose.SMS, by=None)


def test_the_message_is_short_plain_french_with_place_and_time(world: World) -> None:
    session = tomorrow_cohort(world).sessions.get(number=1)
    text = reminders.message_for(session)
    assert text.startswith("Rappel : séance « Initiation ordinateur » demain ")
    assert "à 14 h, Salle des fêtes." in text and "Répondez STOP" in text
    assert len(text) <= 160


def test_a_reminder_goes_by_sms_and_e_mail_once_even_if_the_task_runs_twice(world: World) -> None:
    agree(world)
    session = tomorrow_cohort(world).sessions.get(number=1)
    assert tasks.send_session_reminders.call(session.pk) == 2
    assert tasks.send_session_reminders.call(session.pk) == 0
    assert [m.to for m in LocmemBackend.outbox] == ["+33611111111"]
    assert [m.to for m in mail.outbox] == [["alice@exemple.test"]]
    assert ReminderSent.objects.count() == 2


def test_no_reminder_without_consent(world: World) -> None:
    session = tomorrow_cohort(world).sessions.get(number=1)
    assert tasks.send_session_reminders.call(session.pk) == 0
    assert LocmemBackend.outbox == [] and not ReminderSent.objects.exists()


def test_no_reminder_after_withdrawal(world: World) -> None:
    agree(world)
    session = tomorrow_cohort(world).sessions.get(number=1)
    planned = reminders.planned_for(session)
    people.withdraw_consent(world.alice, ConsentPurpose.SMS, by=None)
    assert [reminders.send(p) for p in planned] == [False, False]  # checked again when sending
    assert LocmemBackend.outbox == [] and mail.outbox == [] and not ReminderSent.objects.exists()


def test_a_stop_reply_withdraws_the_consent(client, world: World, settings) -> None:
    settings.SMS_INBOUND_TOKEN = "secret-des-reponses"
    agree(world)
    wrong = client.post("/sms/reponses/pas-le-bon/", {"from": "+33611111111", "text": "STOP"})
    assert wrong.status_code == 404
    response = client.post(
        "/sms/reponses/secret-des-reponses/",
        data=json.dumps({"from": "+33 6 11 11 11 11", "text": "Stop"}),
        content_type="application/json",
    )
    assert response.json() == {"opted_out": 1}
    assert world.alice.active_consent(ConsentPurpose.SMS) is None
    session = tomorrow_cohort(world).sessions.get(number=1)
    assert tasks.send_session_reminders.call(session.pk) == 0


def test_another_reply_changes_nothing(client, world: World, settings) -> None:
    settings.SMS_INBOUND_TOKEN = "secret-des-reponses"
    agree(world)
    response = client.post(
        "/sms/reponses/secret-des-reponses/", {"from": "0611111111", "text": "Merci, à demain"}
    )
    assert response.json() == {"opted_out": 0}
    assert world.alice.active_consent(ConsentPurpose.SMS) is not None


def test_the_command_dry_run_prints_and_sends_nothing(world: World, capsys) -> None:
    agree(world)
    tomorrow_cohort(world)
    call_command("send_reminders", "--dry-run")
    out = capsys.readouterr().out
    assert (
        "sms    " in out
        and world.alice.reference in out
        and "2 rappel(s) à envoyer pour 1 séance(s)" in out
    )
    assert LocmemBackend.outbox == []


def test_the_command_queues_the_day_s_sessions(world: World) -> None:
    agree(world)
    tomorrow_cohort(world)
    call_command("send_reminders", "--date", (timezone.localdate() + timedelta(days=1)).isoformat())
    assert len(LocmemBackend.outbox) == 1 and len(mail.outbox) == 1  # tasks run at once in tests


def test_a_cancelled_cohort_sends_no_reminder(world: World) -> None:
    agree(world)
    cohort = tomorrow_cohort(world)
    Cohort.workflow.apply(cohort, "cancelled", by=None, note="Salle fermée")
    assert list(reminders.sessions_on(timezone.localdate() + timedelta(days=1))) == []


def test_a_bad_date_is_refused(db: None) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="AAAA-MM-JJ"):
        call_command("send_reminders", "--date", "demain")


# --- SMS backends ----------------------------------------------------------------


class FakeBrevo(BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []
    status = 201

    def do_POST(self) -> None:
        length = int(self.headers["content-length"])
        FakeBrevo.received.append(
            {
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": json.loads(self.rfile.read(length)),
            }
        )
        self.send_response(FakeBrevo.status)
        self.send_header("content-type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"messageId": 1}')

    def log_message(self, *args: Any) -> None:
        return None


@pytest.fixture
def fake_brevo(settings) -> Any:
    server = HTTPServer(("127.0.0.1", 0), FakeBrevo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeBrevo.received, FakeBrevo.status = [], 201
    settings.SMS_API_URL = f"http://127.0.0.1:{server.server_port}/v3/transactionalSMS/sms"
    settings.SMS_API_KEY = "cle-de-test"
    yield FakeBrevo
    server.shutdown()


def test_the_brevo_backend_sends_the_documented_request(fake_brevo: Any) -> None:
    BrevoBackend().send(Sms(to="+33611111111", body="Rappel : séance demain", sender="Maillage"))
    request = fake_brevo.received[0]
    assert request["path"] == "/v3/transactionalSMS/sms"
    assert request["headers"]["api-key"] == "cle-de-test"
    assert request["headers"]["content-type"] == "application/json"
    assert request["body"] == {
        "sender": "Maillage",
        "recipient": "33611111111",
        "content": "Rappel : séance demain",
        "type": "transactional",
        "unicodeEnabled": True,
    }


def test_a_refusal_of_the_provider_gives_the_reminder_back(
    fake_brevo: Any, world: World, settings
) -> None:
    settings.SMS_BACKEND = "maillage.notifications.sms.BrevoBackend"
    fake_brevo.status = 400
    with pytest.raises(SmsError):
        BrevoBackend().send(Sms(to="+33611111111", body="x", sender="Maillage"))
    agree(world)
    session = tomorrow_cohort(world).sessions.get(number=1)
    tasks.send_session_reminders.call(session.pk)
    assert not ReminderSent.objects.filter(channel="sms").exists()  # to be tried again
    fake_brevo.status = 201
    tasks.send_session_reminders.call(session.pk)
    assert ReminderSent.objects.filter(channel="sms").count() == 1


def test_the_file_backend_writes_one_file_per_message(tmp_path, settings) -> None:
    settings.SMS_FILE_DIR = str(tmp_path / "sms")
    FileBackend().send(Sms(to="+33611111111", body="Bonjour", sender="Maillage"))
    files = list((tmp_path / "sms").iterdir())
    assert (
        len(files) == 1
        and "To: +33611111111" in files[0].read_text()
        and "Bonjour" in files[0].read_text()
    )


def test_sessions_on_a_day(world: World) -> None:
    cohort = tomorrow_cohort(world)
    day = timezone.localdate() + timedelta(days=1)
    assert [s.cohort for s in reminders.sessions_on(day)] == [cohort]
    assert list(reminders.sessions_on(day + timedelta(days=1))) == []
    assert isinstance(day, date)
