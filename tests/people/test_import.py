from __future__ import annotations

import io
import threading
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook

from maillage.core.models import AuditEvent
from maillage.impact.facts import load_people_index
from maillage.network.models import Structure
from maillage.people import importer
from maillage.people.enums import ConsentPurpose
from maillage.people.models import Beneficiary, PeopleImport, StagedLine
from tests.conftest import World, text
from tests.factories import PASSWORD

HEADER = "prenom;nom;annee_naissance;genre;commune;code_postal;telephone;accord_sms"
GOOD = [
    "Josiane;Exemple;1958;femme;Reims;51100;06 12 34 56 78;oui",
    "Marcel;Exemple;1949;homme;51454;;;non",
    "Nadia;;1990;F;Lille;;+33 7 81 23 45 67;",
]


def csv_file(lines: list[str], name: str = "personnes.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join([HEADER, *lines]) + "\n").encode("utf-8"))


def test_a_clean_file_imports_every_person_with_their_consents(world: World, tmp_path) -> None:
    path = tmp_path / "personnes.csv"
    path.write_text("\n".join([HEADER, *GOOD]), encoding="utf-8")
    call_command("import_beneficiaries", str(path), "--structure", str(world.ccas_reims.pk))
    josiane = Beneficiary.objects.get(first_name="Josiane")
    assert josiane.structure == world.ccas_reims and josiane.commune == world.reims
    assert josiane.phone == "+33612345678" and josiane.birth_year == 1958
    assert josiane.active_consent(ConsentPurpose.SMS) is not None
    assert Beneficiary.objects.get(first_name="Marcel").commune == world.reims
    assert Beneficiary.objects.get(first_name="Nadia").commune == world.lille


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Paul;Exemple;1950;homme;Atlantide;;;", "commune inconnue « Atlantide »"),
        ("Paul;Exemple;1950;homme;Reims;;06 12;", "numéro de téléphone"),
        ("Paul;Exemple;1850;homme;Reims;;;", "année de naissance entre 1900"),
        ("Paul;Exemple;;homme;Reims;;;", "colonne annee_naissance obligatoire"),
        (";Exemple;1950;homme;Reims;;;", "colonne prenom obligatoire"),
        ("Paul;Exemple;1950;robot;Reims;;;", "valeur « robot » non reconnue dans la colonne genre"),
        ("Paul;Exemple;1950;homme;Reims;;;peut-être", "répondez oui ou non"),
        ("Josiane;EXEMPLE;1958;femme;Reims;;;", "même personne que la ligne 2"),
        ("Paul;Exemple;1950;homme;Reims;;0612345678;", "même téléphone que la ligne 2"),
    ],
)
def test_one_bad_line_is_named_and_nothing_is_imported(
    world: World, tmp_path, line: str, reason: str
) -> None:
    before = Beneficiary.objects.count()
    path = tmp_path / "personnes.csv"
    path.write_text("\n".join([HEADER, *GOOD, line]), encoding="utf-8")
    with pytest.raises(CommandError, match="rien n'a été importé"):
        call_command("import_beneficiaries", str(path), "--structure", str(world.ccas_reims.pk))
    assert Beneficiary.objects.count() == before
    report = importer.check(
        importer.read_rows("x.csv", io.BytesIO(path.read_bytes())), world.ccas_reims
    )
    assert report.errors[0][0] == 5
    assert reason in report.errors[0][1]


def test_the_command_prints_each_bad_line_and_exits_non_zero(
    world: World, tmp_path, capsys
) -> None:
    path = tmp_path / "personnes.csv"
    path.write_text(
        "\n".join([HEADER, "Paul;Exemple;1950;homme;Atlantide;;;", *GOOD]), encoding="utf-8"
    )
    with pytest.raises(CommandError) as error:
        call_command("import_beneficiaries", str(path), "--structure", str(world.ccas_reims.pk))
    assert error.value.returncode == 1
    assert "Ligne 2 : commune inconnue" in capsys.readouterr().err


def test_a_file_without_the_mandatory_columns_is_refused(world: World, tmp_path) -> None:
    path = tmp_path / "personnes.csv"
    path.write_text("nom;telephone\nExemple;0612345678\n", encoding="utf-8")
    with pytest.raises(CommandError, match="prenom, annee_naissance, genre, commune"):
        call_command("import_beneficiaries", str(path), "--structure", str(world.ccas_reims.pk))


def test_an_xlsx_file_imports_like_a_csv(world: World) -> None:
    workbook = Workbook()
    sheet = workbook.active
    for line in [HEADER, *GOOD]:
        sheet.append(line.split(";"))
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    report = importer.check(importer.read_rows("personnes.xlsx", out), world.ccas_reims)
    assert report.ok and len(report.people) == 3


def test_the_templates_round_trip_through_the_importer(client_as, world: World) -> None:
    client = client_as("relay_referent")
    for fmt in ("csv", "xlsx"):
        response = client.get(f"/personnes/importer/modele.{fmt}")
        assert response.status_code == 200
        rows = importer.read_rows(f"modele.{fmt}", io.BytesIO(response.content))
        assert importer.check(rows, world.ccas_reims).ok, fmt


def send(client: Client, lines: list[str], structure: Structure, capture: Any) -> Any:
    """Send a file on the import screen, let the worker run it, and open its page."""
    with capture(execute=True):
        response = client.post(
            "/personnes/importer/", {"structure": structure.pk, "file": csv_file(lines)}
        )
    assert response.status_code == 302, text(response)
    return client.get(response["Location"])


def test_the_screen_refuses_a_bad_file_and_lists_its_lines(
    client_as, world: World, django_capture_on_commit_callbacks
) -> None:
    before = Beneficiary.objects.count()
    page = send(
        client_as("relay_referent"),
        [*GOOD, "Paul;Exemple;1850;homme;Reims;;;"],
        world.ccas_reims,
        django_capture_on_commit_callbacks,
    )
    assert "Ligne 5 : Indiquez une année de naissance entre 1900" in text(page)
    assert "Une ligne est en erreur : rien n'a été importé" in text(page)
    assert Beneficiary.objects.count() == before
    assert not StagedLine.objects.exists()


def test_the_screen_imports_a_clean_file_in_the_background(
    client_as, world: World, django_capture_on_commit_callbacks
) -> None:
    page = send(
        client_as("relay_referent"), GOOD, world.ccas_reims, django_capture_on_commit_callbacks
    )
    assert "3 personnes importées" in text(page)
    assert Beneficiary.objects.filter(structure=world.ccas_reims).count() == 4
    josiane = Beneficiary.objects.get(first_name="Josiane")
    assert josiane.search_name == "josiane exemple" and josiane.reference.startswith("P-")
    consent = josiane.active_consent(ConsentPurpose.SMS)
    assert consent is not None and consent.recorded_by == world.personas["relay_referent"]
    assert AuditEvent.objects.for_object(josiane).get().note == "import"
    assert not StagedLine.objects.exists()
    # The figures' people index counts them, as it counts a person created on the form.
    index = load_people_index()
    assert josiane.pk in index["gender:woman"] and josiane.pk in index["birth:1958"]
    assert josiane.pk not in index["gender:man"]


def test_the_same_file_twice_reports_the_people_already_there(
    client_as, world: World, django_capture_on_commit_callbacks
) -> None:
    client = client_as("relay_referent")
    send(client, GOOD, world.ccas_reims, django_capture_on_commit_callbacks)
    count = Beneficiary.objects.count()

    again = text(
        send(
            client,
            [*GOOD, "Sylvie;Nouvelle;1970;femme;Reims;;;"],
            world.ccas_reims,
            django_capture_on_commit_callbacks,
        )
    )

    assert Beneficiary.objects.count() == count + 1
    assert "Une personne importée" in again
    assert "3 personnes étaient déjà suivies par la structure" in again
    josiane = Beneficiary.objects.get(first_name="Josiane")
    assert (
        f'Ligne 2 : déjà suivie sous la référence <a href="{josiane.get_absolute_url()}">'
        f"{josiane.reference}</a>"
    ) in again


def test_a_file_of_people_all_known_imports_no_one(
    client_as, world: World, django_capture_on_commit_callbacks
) -> None:
    client = client_as("relay_referent")
    send(client, GOOD, world.ccas_reims, django_capture_on_commit_callbacks)
    again = text(send(client, GOOD, world.ccas_reims, django_capture_on_commit_callbacks))
    assert "Aucune nouvelle personne importée" in again


def test_a_running_import_shows_its_progress(client_as, world: World) -> None:
    started = PeopleImport.objects.create(
        structure=world.ccas_reims, file_name="gros.csv", lines=5000, checked=1250
    )
    page = text(client_as("relay_referent").get(started.get_absolute_url()))
    assert "1250 lignes vérifiées sur 5000" in page
    assert 'value="1250"' in page and "data-refresh" in page
    assert "Vous pouvez quitter cette page" in page


def test_an_import_that_fails_says_nothing_was_imported(
    client_as, world: World, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer, "import_people", broken)
    before = Beneficiary.objects.count()
    page = text(
        send(
            client_as("relay_referent"), GOOD, world.ccas_reims, django_capture_on_commit_callbacks
        )
    )
    assert "L'import s'est interrompu : rien n'a été importé" in page
    assert Beneficiary.objects.count() == before and not StagedLine.objects.exists()


@pytest.mark.parametrize(
    "persona", ["regional_manager", "territory_manager", "mediator", "relay_referent", "funder"]
)
def test_an_import_elsewhere_is_not_found(client_as, world: World, persona: str) -> None:
    elsewhere = PeopleImport.objects.create(
        structure=world.centre_social_lille, file_name="lille.csv", lines=3
    )
    assert client_as(persona).get(elsewhere.get_absolute_url()).status_code == 404
    assert "lille.csv" not in text(client_as(persona).get("/personnes/importer/"))


def test_old_imports_are_forgotten(world: World, settings: Any) -> None:
    old = PeopleImport.objects.create(
        structure=world.ccas_reims,
        file_name="ancien.csv",
        errors=[[2, "téléphone « 06 12 » : numéro incomplet"]],
        created_at=timezone.now() - timedelta(days=settings.IMPORT_KEEP_DAYS + 1),
    )
    recent = PeopleImport.objects.create(structure=world.ccas_reims, file_name="récent.csv")
    call_command("purge_inactive", stdout=io.StringIO())
    assert not PeopleImport.objects.filter(pk=old.pk).exists()
    assert PeopleImport.objects.filter(pk=recent.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_others_sign_in_while_a_large_file_is_checked(
    world: World, monkeypatch, settings: Any
) -> None:
    """Between two batches of lines, the import holds no transaction: another person signs in
    (a write: session, journal) from another connection without waiting."""
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}
    }  # the test runs the import itself
    monkeypatch.setattr(importer, "BATCH", 2)
    lines = [f"Personne{n};Exemple;1960;femme;Reims;;;" for n in range(6)]
    rows = importer.read_rows("gros.csv", csv_file(lines))
    started = importer.start_import(world.ccas_reims, "gros.csv", rows, by=None)
    signed_in: list[str] = []

    def someone_signs_in() -> None:
        assert not connection.in_atomic_block

        def sign_in() -> None:
            try:
                response = Client().post(
                    "/espace/connexion/",
                    {"username": "mediator@exemple.test", "password": PASSWORD},
                )
                signed_in.append(response["Location"])
            finally:
                connections.close_all()

        thread = threading.Thread(target=sign_in)
        thread.start()
        thread.join(timeout=10)

    finished = importer.run_import(started.pk, between_batches=someone_signs_in)

    assert finished.status == PeopleImport.Status.DONE and finished.imported == 6
    assert signed_in == ["/espace/"] * 3


def test_the_screen_refuses_another_structure_and_other_formats(client_as, world: World) -> None:
    client = client_as("relay_referent")
    other = client.post(
        "/personnes/importer/",
        {"structure": world.centre_social_lille.pk, "file": csv_file(GOOD)},
    )
    assert "Sélectionnez un choix valide" in text(other)
    pdf = client.post(
        "/personnes/importer/",
        {"structure": world.ccas_reims.pk, "file": csv_file(GOOD, name="personnes.pdf")},
    )
    assert "CSV ou XLSX" in text(pdf)
    assert Beneficiary.objects.count() == 3


@pytest.mark.parametrize("persona", ["funder", "stranger"])
def test_funders_cannot_import(client_as, world: World, persona: str) -> None:
    assert client_as(persona).get("/personnes/importer/").status_code == 404


def test_a_file_of_a_hundred_thousand_lines_is_refused_at_once(world: World) -> None:
    import time

    lines = [f"Personne{n};Exemple;1958;femme;Reims;51100;;non" for n in range(100_000)]
    started = time.monotonic()
    with pytest.raises(importer.FileError, match="plus de 5\u202f000 lignes"):
        importer.read_rows("gros.csv", csv_file(lines))
    assert time.monotonic() - started < 5


def test_an_xlsx_zip_bomb_is_refused_before_it_unpacks(world: World) -> None:
    import time
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    out.seek(0)
    assert len(out.getvalue()) < 1024 * 1024
    started = time.monotonic()
    with pytest.raises(importer.FileError, match="trop volumineux une fois décompressé"):
        importer.read_rows("bombe.xlsx", out)
    assert time.monotonic() - started < 5


def test_every_line_is_checked_as_the_form_checks_it(world: World) -> None:
    rows = importer.read_rows(
        "personnes.csv",
        csv_file(
            [
                f"{'A' * 5000};Exemple;1958;femme;Reims;51100;;non",
                "Marcel;Exemple;1949;homme;51454;;;non",
            ]
        ),
    )
    rows[1]["email"] = "a@"
    report = importer.check(rows, world.ccas_reims)
    assert not report.ok
    lines = dict(report.errors)
    assert lines[2].startswith("prénom : Assurez-vous que cette valeur comporte au plus 100")
    assert lines[3] == "e-mail : Saisissez une adresse de courriel valide."
    assert not report.people


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-16", ";"), ("utf-8-sig", "|"), ("cp1252", "\t"), ("utf-8", ",")],
)
def test_encodings_and_separators_are_recognised(
    world: World, encoding: str, delimiter: str
) -> None:
    content = "\n".join(line.replace(";", delimiter) for line in [HEADER, *GOOD]) + "\n"
    upload = SimpleUploadedFile("personnes.csv", content.encode(encoding))
    report = importer.check(importer.read_rows("personnes.csv", upload), world.ccas_reims)
    assert report.ok and len(report.people) == 3


def test_unknown_columns_are_named_in_the_message(world: World) -> None:
    upload = SimpleUploadedFile("personnes.csv", "Nom:Prénom:Âge\nA:B:C\n".encode())
    with pytest.raises(importer.FileError, match="Colonnes lues : « Nom:Prénom:Âge »"):
        importer.read_rows("personnes.csv", upload)
