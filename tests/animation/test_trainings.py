"""Trainings of referents, pedagogical resources and information meetings."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from maillage.animation import services
from maillage.animation.models import (
    InfoMeeting,
    InfoMeetingRegistration,
    Resource,
    Training,
    TrainingRegistration,
    TrainingSession,
)
from maillage.network.enums import RelayStatus
from tests.animation.conftest import open_call, training_session
from tests.conftest import World, text

pytestmark = pytest.mark.django_db


def test_the_catalogue_holds_the_two_trainings_of_a_new_relay(world: World, client_as: Any) -> None:
    page = text(client_as("relay_referent").get(reverse("animation:training_list")))
    assert "Découvrir l'inclusion numérique : enjeux, diagnostic et acteurs" in page
    assert "Former aux compétences numériques de base" in page
    detail = text(
        client_as("relay_referent").get(
            reverse("animation:training_detail", args=["decouvrir-inclusion-numerique"])
        )
    )
    assert "Orienter vers des solutions dans ou hors de sa structure" in detail


def test_a_facilitator_schedules_a_session(world: World, client_as: Any) -> None:
    day = timezone.localdate() + timedelta(days=14)
    response = client_as("mediator").post(
        reverse("animation:session_create"),
        {
            "training": Training.objects.get(code="decouvrir-inclusion-numerique").pk,
            "day": day.isoformat(),
            "start_time": "09:00",
            "end_time": "17:00",
            "place": "Reims",
            "department": world.marne.pk,
            "trainer": world.personas["mediator"].pk,
            "capacity": "12",
        },
    )
    session = TrainingSession.objects.get()
    assert response["Location"] == session.get_absolute_url()


def test_a_session_ending_before_it_starts_is_refused(world: World, client_as: Any) -> None:
    response = client_as("mediator").post(
        reverse("animation:session_create"),
        {
            "training": Training.objects.get(code="decouvrir-inclusion-numerique").pk,
            "day": timezone.localdate().isoformat(),
            "start_time": "17:00",
            "end_time": "09:00",
            "place": "Reims",
            "department": world.marne.pk,
            "trainer": world.personas["mediator"].pk,
            "capacity": "12",
        },
    )
    assert "La fin doit suivre le début." in text(response)
    assert not TrainingSession.objects.exists()


def test_a_referent_registers_and_gets_a_certificate_once_present(
    world: World, client_as: Any
) -> None:
    session = training_session(world)
    referent = client_as("relay_referent")
    assert "M'inscrire à cette session" in text(referent.get(session.get_absolute_url()))

    referent.post(
        reverse("animation:session_register", args=[session.pk]),
        {"structure": world.ccas_reims.pk},
    )
    registration = TrainingRegistration.objects.get()
    assert registration.user == world.personas["relay_referent"]
    assert registration.structure == world.ccas_reims
    certificate = reverse("animation:training_certificate", args=[registration.pk])
    assert referent.get(certificate).status_code == 404

    TrainingSession.objects.filter(pk=session.pk).update(day=timezone.localdate())
    client_as("mediator").post(
        reverse("animation:session_attendance", args=[session.pk]),
        {f"r{registration.pk}": "present"},
    )

    response = referent.get(certificate)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_staff_register_a_referent_without_an_account(world: World, client_as: Any) -> None:
    session = training_session(world, capacity=1)
    url = reverse("animation:session_register", args=[session.pk])
    data = {
        "structure": world.ccas_reims.pk,
        "full_name": "Paul Agent",
        "email": "Paul.Agent@ccas.test",
    }
    client_as("mediator").post(url, data)
    registration = TrainingRegistration.objects.get()
    assert registration.email == "paul.agent@ccas.test" and registration.user is None

    full = client_as("mediator").post(url, {**data, "email": "autre@ccas.test"}, follow=True)
    assert "Cette session est complète." in text(full)
    assert TrainingRegistration.objects.count() == 1
    listing = text(client_as("mediator").get(reverse("animation:training_list")))
    assert '<td class="number">complet</td>' in listing


def test_a_past_session_takes_no_registration(world: World) -> None:
    session = training_session(world, day=timezone.localdate() - timedelta(days=1))
    with pytest.raises(services.NetworkError, match="passée"):
        services.register_to_training(
            session, structure=world.ccas_reims, full_name="X", email="x@x.test", by=None
        )


def test_referents_trained_are_counted_once_per_person(world: World) -> None:
    first = training_session(world)
    second = training_session(world)
    for session in (first, second):
        services.register_to_training(
            session, structure=world.ccas_reims, full_name="Paul", email="paul@ccas.test", by=None
        )
    services.register_to_training(
        first, structure=world.ccas_reims, full_name="Zoé", email="zoe@ccas.test", by=None
    )
    TrainingRegistration.objects.filter(email="paul@ccas.test").update(attended=True)
    TrainingRegistration.objects.filter(email="zoe@ccas.test").update(attended=False)
    assert TrainingRegistration.objects.people_trained() == 1


@pytest.mark.parametrize("persona", ["funder", "stranger"])
def test_funders_and_strangers_see_no_training(world: World, client_as: Any, persona: str) -> None:
    session = training_session(world)
    assert client_as(persona).get(reverse("animation:training_list")).status_code == 404
    assert client_as(persona).get(session.get_absolute_url()).status_code == 404


# --- Resources --------------------------------------------------------------------------------


def _resource(**fields: Any) -> Resource:
    values: dict[str, Any] = {
        "title": "Kit « Premiers pas sur tablette »",
        "description": "Déroulé, supports et exercices.",
        "url": "https://kits.exemple.test/tablette",
        "themes": ["first_steps"],
        "level": "beginner",
        "audience": "seniors",
        **fields,
    }
    return Resource.objects.create(**values)


def test_a_manager_shares_a_file(
    world: World, client_as: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    response = client_as("territory_manager").post(
        reverse("animation:resource_create"),
        {
            "title": "Kit arnaques",
            "description": "Atelier d'une heure.",
            "file": SimpleUploadedFile("kit.pdf", b"%PDF-1.4 kit", content_type="application/pdf"),
            "themes": ["safety"],
            "level": "beginner",
            "audience": "adults",
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    resource = Resource.objects.get()
    world.ccas_reims.relay_status = RelayStatus.RELAY
    world.ccas_reims.save()
    download = client_as("relay_referent").get(
        reverse("animation:resource_download", args=[resource.pk])
    )
    assert b"".join(download.streaming_content) == b"%PDF-1.4 kit"
    resource.refresh_from_db()
    assert resource.downloads == 1


def test_a_resource_is_a_file_or_a_link_not_both_nor_neither(world: World, client_as: Any) -> None:
    response = client_as("territory_manager").post(
        reverse("animation:resource_create"),
        {
            "title": "Vide",
            "description": "x",
            "themes": ["safety"],
            "level": "beginner",
            "audience": "adults",
        },
    )
    assert "Joignez un fichier ou indiquez un lien" in text(response)
    assert not Resource.objects.exists()


def test_resources_are_shared_with_referents_of_relays_only(world: World, client_as: Any) -> None:
    resource = _resource()
    hidden = _resource(title="Brouillon de kit", is_published=False)
    url = reverse("animation:resource_list")
    assert client_as("relay_referent").get(url).status_code == 404  # a mere contact

    world.ccas_reims.relay_status = RelayStatus.IN_COACHING
    world.ccas_reims.save()
    page = text(client_as("relay_referent").get(url))
    assert resource.title in page and hidden.title not in page
    response = client_as("relay_referent").get(
        reverse("animation:resource_download", args=[resource.pk])
    )
    assert response["Location"] == resource.url
    assert client_as("funder").get(url).status_code == 404


def test_resources_filter_by_theme(world: World, client_as: Any) -> None:
    _resource()
    _resource(title="Kit sécurité", themes=["safety"])
    page = text(client_as("mediator").get(reverse("animation:resource_list") + "?theme=safety"))
    assert "Kit sécurité" in page and "Premiers pas sur tablette" not in page


# --- Information meetings -----------------------------------------------------------------------


def _meeting(world: World, **fields: Any) -> InfoMeeting:
    values: dict[str, Any] = {
        "title": "Découvrir le programme Relais Numériques",
        "starts_at": timezone.now() + timedelta(days=3),
        "place": "En visioconférence",
        "online_url": "https://visio.exemple.test/relais",
        "department": world.marne,
        "capacity": 2,
        **fields,
    }
    return InfoMeeting.objects.create(**values)


def test_a_structure_registers_to_an_info_meeting_and_is_reminded_the_day_before(
    world: World, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    call = open_call(world)
    meeting = _meeting(world, call=call)
    assert meeting.title in text(client.get(reverse("public:join")))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("public:meeting_register", args=[meeting.pk]),
            {
                "full_name": "Lou Candidate",
                "structure_name": "Épicerie solidaire",
                "email": "lou@epicerie.test",
                "phone": "06 12 34 56 78",
            },
        )
    assert "Merci, votre inscription est enregistrée" in text(response)
    assert mail.outbox[-1].to == ["lou@epicerie.test"]
    assert reverse("public:call_apply", args=[call.slug]) in mail.outbox[-1].body

    assert services.remind_meeting_registrants() == 0  # three days ahead
    with django_capture_on_commit_callbacks(execute=True):
        queued = services.remind_meeting_registrants(meeting.starts_at - timedelta(hours=20))
        again = services.remind_meeting_registrants(meeting.starts_at - timedelta(hours=19))
    assert (queued, again) == (1, 0)
    assert "https://visio.exemple.test/relais" in mail.outbox[-1].body


def test_a_meeting_registration_with_a_bad_phone_keeps_what_was_typed(
    world: World, client: Any
) -> None:
    meeting = _meeting(world)
    response = client.post(
        reverse("public:meeting_register", args=[meeting.pk]),
        {"full_name": "Lou", "structure_name": "Épicerie", "email": "lou@e.test", "phone": "12"},
    )
    assert response.status_code == 200
    assert "Épicerie" in text(response)
    assert not InfoMeetingRegistration.objects.exists()


def test_staff_take_the_attendance_of_a_past_meeting(world: World, client_as: Any) -> None:
    meeting = _meeting(world, starts_at=timezone.now() - timedelta(hours=2))
    registration = InfoMeetingRegistration.objects.create(
        meeting=meeting, full_name="Lou", structure_name="Épicerie", email="lou@e.test"
    )
    client_as("mediator").post(meeting.get_absolute_url(), {f"r{registration.pk}": "present"})
    registration.refresh_from_db()
    assert registration.attended is True
    assert client_as("relay_referent").get(meeting.get_absolute_url()).status_code == 404


def test_old_drafts_are_deleted_and_old_contacts_anonymised(world: World) -> None:
    from datetime import UTC, date, datetime

    from maillage.animation.models import Application
    from tests.animation.conftest import application

    call = open_call(world, opens_on=date(2023, 1, 2), closes_on=date(2023, 2, 27))
    draft = application(call, "Brouillon", world.reims, submit=False)
    submitted = application(call, "Déposée", world.reims, submit=False)
    Application.objects.filter(pk=submitted.pk).update(
        status="submitted", submitted_at=datetime(2023, 2, 1, 12, tzinfo=UTC)
    )
    meeting = _meeting(world, starts_at=datetime(2023, 2, 1, 13, tzinfo=UTC))
    registration = InfoMeetingRegistration.objects.create(
        meeting=meeting,
        full_name="Lou",
        structure_name="Épicerie",
        email="lou@e.test",
        attended=True,
    )

    assert services.forget_old_contacts(date(2025, 1, 31)) == (1, 0, 0)  # 23 months on
    assert not Application.objects.filter(pk=draft.pk).exists()
    assert services.forget_old_contacts(date(2025, 2, 2)) == (0, 1, 1)
    submitted.refresh_from_db()
    registration.refresh_from_db()
    assert (submitted.contact_name, submitted.contact_email) == ("", "")
    assert submitted.structure_name == "Déposée"
    assert registration.full_name == "" and registration.attended is True
    assert registration.email.endswith("@anonyme.invalid")
    assert services.forget_old_contacts(date(2025, 2, 2)) == (0, 0, 0)


def test_one_address_cannot_flood_the_meeting_registrations(
    world: World, client: Any, settings: Any
) -> None:
    settings.PUBLIC_FORM_SENDINGS_PER_HOUR = 1
    meeting = _meeting(world, capacity=10)
    url = reverse("public:meeting_register", args=[meeting.pk])
    for email in ("un@e.test", "deux@e.test"):
        response = client.post(
            url, {"full_name": "Lou", "structure_name": "Épicerie", "email": email}
        )
    assert "Trop d'envois en une heure depuis cette connexion" in text(response)
    assert InfoMeetingRegistration.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("page.html", b"<html><script>alert(1)</script>", "Ce type de fichier n'est pas accepté"),
        ("dessin.svg", b"<svg onload='alert(1)'/>", "Ce type de fichier n'est pas accepté"),
        ("outil.exe", b"MZ\x90\x00", "Ce type de fichier n'est pas accepté"),
        ("faux.pdf", b"<html>pas un PDF</html>", "ne correspond pas à un fichier PDF"),
        ("faux.docx", b"PK\x03\x04pas un document", "ne correspond pas à un fichier DOCX"),
    ],
)
def test_only_documents_and_pictures_can_be_uploaded_checked_by_content(
    world: World, client_as: Any, name: str, content: bytes, message: str
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_as("territory_manager").post(
        reverse("animation:resource_create"),
        {
            "title": "Fichier douteux",
            "description": "x",
            "themes": ["safety"],
            "level": "beginner",
            "audience": "adults",
            "file": SimpleUploadedFile(name, content),
        },
    )
    assert message in text(response)
    assert not Resource.objects.exists()
