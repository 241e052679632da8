"""Importing people from a CSV or XLSX file: every line is checked first, every bad line is
reported with its number and reason, and nothing is written unless the whole file is clean."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import logging
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from maillage.core import audit
from maillage.core.models import AuditEvent
from maillage.core.phones import normalise_phone
from maillage.core.references import unique_references
from maillage.core.signals import records_changed
from maillage.network.models import Structure
from maillage.people import tasks
from maillage.people.enums import (
    Connection,
    ConsentPurpose,
    Equipment,
    Gender,
    Language,
    SocialSituation,
)
from maillage.people.forms import clean_birth_year_value, clean_equipment_value
from maillage.people.models import (
    Beneficiary,
    Consent,
    PeopleImport,
    StagedLine,
    identity_keys,
)
from maillage.people.services import created_fields
from maillage.territories.models import Commune, normalise

# (column, mandatory, what to write there)
COLUMNS: list[tuple[str, bool, Any]] = [
    ("prenom", True, _l("Prénom")),
    ("nom", False, _l("Nom de famille")),
    ("annee_naissance", True, _l("Année sur 4 chiffres, par exemple 1961")),
    ("genre", True, _l("femme, homme ou non communiqué")),
    ("commune", True, _l("Nom de la commune ou code INSEE")),
    ("code_postal", False, _l("Aide à trouver la commune quand le nom existe plusieurs fois")),
    ("telephone", False, _l("06 12 34 56 78 ou format international")),
    ("email", False, ""),
    ("langue", False, _l("Français, arabe, ukrainien… (français si vide)")),
    ("situation", False, _l("Retraité·e, demandeur·se d'emploi, bénéficiaire du RSA…")),
    (
        "equipement",
        False,
        _l("Plusieurs possibles, séparés par des virgules : smartphone, ordinateur…"),
    ),
    ("connexion", False, _l("aucune, mobile seulement ou box")),
    ("accord_suivi", False, _l("oui ou non")),
    ("accord_sms", False, _l("oui ou non")),
]
logger = logging.getLogger(__name__)

HEADERS = [name for name, _mandatory, _help in COLUMNS]
EXAMPLE = [
    "Josiane",
    "Exemple",
    "1958",
    "femme",
    "Reims",
    "51100",
    "06 12 34 56 78",
    "",
    "français",
    "retraité·e",
    "smartphone",
    "mobile seulement",
    "oui",
    "non",
]
YES = {"oui", "o", "yes", "1", "x", "vrai"}
NO = {"non", "n", "no", "0", "", "faux"}


def _lookup(choices: Any) -> dict[str, str]:
    """Accept a choice by its code or its French label, without accents or case."""
    table: dict[str, str] = {}
    for value, label in choices.choices:
        table[normalise(str(value))] = value
        table[normalise(str(label))] = value
        table[normalise(str(label).replace("·e", "").replace("·se", ""))] = value
    return table


@dataclass
class ImportReport:
    people: list[tuple[Beneficiary, list[Any]]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    # (line, reference) of the people the structure already follows: left as they are.
    known: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class FileError(Exception):
    """The file cannot be read at all."""


def read_rows(name: str, content: IO[bytes]) -> list[dict[str, str]]:
    """The file's lines as dictionaries keyed by the template's column names. A file of more
    than IMPORT_MAX_ROWS lines, or an XLSX that would unpack beyond
    IMPORT_MAX_UNCOMPRESSED_MEGABYTES, is refused before it is read through."""
    raw = content.read()
    if name.lower().endswith(".xlsx"):
        return _as_dicts(_xlsx_rows(raw))
    return _as_dicts(_csv_rows(raw))


def _too_many() -> FileError:
    limit = settings.IMPORT_MAX_ROWS
    return FileError(
        _(
            "Le fichier compte plus de %(limit)s lignes : découpez-le en fichiers de "
            "%(limit)s lignes au plus."
        )
        % {"limit": f"{limit:,}".replace(",", "\u202f")}
    )


def _bounded(rows: Iterator[list[str]]) -> list[list[str]]:
    """The header and at most IMPORT_MAX_ROWS lines; one more stops the reading."""
    kept = list(itertools.islice(rows, settings.IMPORT_MAX_ROWS + 2))
    if len(kept) > settings.IMPORT_MAX_ROWS + 1:
        raise _too_many()
    return kept


def _decoded(raw: bytes) -> str:
    """UTF-8 (with or without its mark), UTF-16 (with its mark), or Windows' cp1252."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as error:
            raise FileError(_("Le fichier UTF-16 n'est pas lisible.")) from error
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileError(  # pragma: no cover - cp1252 decodes almost anything
        _("Le fichier n'est pas lisible : enregistrez-le en UTF-8.")
    )


DELIMITERS = ";,\t|"


def _csv_rows(raw: bytes) -> list[list[str]]:
    text = _decoded(raw)
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in DELIMITERS}
    delimiter = max(counts, key=lambda d: counts[d])
    if not counts[delimiter]:
        delimiter = ";"
    return _bounded(csv.reader(io.StringIO(text), delimiter=delimiter))


def _xlsx_rows(raw: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    limit = settings.IMPORT_MAX_UNCOMPRESSED_MEGABYTES * 1024 * 1024
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise FileError(_("Le fichier Excel n'est pas lisible.")) from exc
    if unpacked > limit:
        raise FileError(
            _(
                "Le fichier Excel est trop volumineux une fois décompressé (plus de %(limit)s Mo) : "
                "découpez-le ou enregistrez-le en CSV."
            )
            % {"limit": settings.IMPORT_MAX_UNCOMPRESSED_MEGABYTES}
        )
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:
        raise FileError(_("Le fichier Excel n'est pas lisible.")) from exc
    try:
        sheet = workbook.worksheets[0]
        return _bounded(
            ["" if cell is None else str(cell).strip() for cell in row]
            for row in sheet.iter_rows(values_only=True)
        )
    finally:
        workbook.close()


def _as_dicts(rows: list[list[str]]) -> list[dict[str, str]]:
    if not rows:
        raise FileError(_("Le fichier est vide."))
    header = [normalise(h).replace(" ", "_") for h in rows[0]]
    missing = [name for name, mandatory, _help in COLUMNS if mandatory and name not in header]
    if missing:
        found = " | ".join(cell.strip() for cell in rows[0] if cell.strip())[:200]
        raise FileError(
            _(
                "Colonnes obligatoires absentes de la première ligne : %(columns)s. Colonnes "
                "lues : « %(found)s ». Partez du modèle (séparateur point-virgule, virgule, "
                "tabulation ou barre verticale)."
            )
            % {"columns": ", ".join(missing), "found": found}
        )
    result = []
    for row in rows[1:]:
        values = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header)}
        result.append(values)
    return result


class _Checker:
    def __init__(self) -> None:
        self.genders = _lookup(Gender)
        self.genders.update(
            {"f": Gender.WOMAN, "h": Gender.MAN, "m": Gender.MAN, "nc": Gender.UNDISCLOSED}
        )
        self.languages = _lookup(Language)
        self.situations = _lookup(SocialSituation)
        self.equipment = _lookup(Equipment)
        self.equipment.update({"aucun": Equipment.NONE, "telephone": Equipment.BASIC_PHONE})
        self.connections = _lookup(Connection)
        self.connections.update({"aucune": Connection.NONE, "mobile": Connection.MOBILE})

    def commune(self, name: str, postal_code: str) -> Commune:
        if len(name) == 5 and (name.isdigit() or name[:2] in {"2A", "2B"}):
            found = Commune.objects.filter(code=name.upper()).first()
            if found:
                return found
        candidates = Commune.objects.filter(search_name=normalise(name))
        if postal_code:
            candidates = candidates.filter(postal_codes__code=postal_code).distinct()
        matches = list(candidates[:2])
        if not matches:
            raise ValidationError(_("commune inconnue « %(name)s »") % {"name": name})
        if len(matches) > 1:
            raise ValidationError(
                _("plusieurs communes s'appellent « %(name)s » : indiquez le code postal")
                % {"name": name}
            )
        return matches[0]

    @staticmethod
    def choice(table: dict[str, str], value: str, column: str, default: str = "") -> str:
        if not value:
            return default
        found = table.get(normalise(value))
        if found is None:
            raise ValidationError(
                _("valeur « %(value)s » non reconnue dans la colonne %(column)s")
                % {"value": value, "column": column}
            )
        return found

    @staticmethod
    def phone(value: str) -> str:
        try:
            return normalise_phone(value)
        except ValidationError as error:
            raise ValidationError(
                _("téléphone « %(value)s » : %(reason)s")
                % {"value": value, "reason": " ".join(error.messages)}
            ) from error

    @staticmethod
    def yes_no(value: str, column: str) -> bool:
        folded = normalise(value)
        if folded in YES:
            return True
        if folded in NO:
            return False
        raise ValidationError(
            _("répondez oui ou non dans la colonne %(column)s") % {"column": column}
        )


def _attempt(problems: list[str], fn: Any, *args: Any) -> Any:
    """Call a checker; a refusal joins the line's problems."""
    try:
        return fn(*args)
    except ValidationError as error:
        problems.extend(str(m) for m in error.messages)
        return None


def _model_problems(person: Beneficiary) -> list[str]:
    """The model's own rules, as the form applies them (lengths, e-mail, choices)."""
    try:
        # The structure and the commune were found by the import itself.
        person.clean_fields(exclude=["structure", "commune", "created_by", "reference"])
    except ValidationError as error:
        return [
            f"{getattr(Beneficiary._meta.get_field(name), 'verbose_name', name)} : {' '.join(messages)}"
            for name, messages in error.message_dict.items()
        ]
    return []


class LineChecker:
    """Checks a file's lines one by one, as the form would, remembering the lines already seen
    (a later line for the same person or phone is refused) and recognising the people the
    structure already follows (reported, not imported again)."""

    def __init__(self, structure: Structure) -> None:
        self.structure = structure
        self.choices = _Checker()
        self.communes: dict[tuple[str, str], Commune | ValidationError] = {}
        self.seen: dict[Any, int] = {}
        self.report = ImportReport()
        # The people the structure already follows, under each of their identity keys.
        self.followed = Beneficiary.objects.filter(structure=structure).by_identity_key()

    def _commune(self, name: str, postal_code: str) -> Commune:
        """A file names the same few communes again and again: each is looked up once."""
        key = (name, postal_code)
        if key not in self.communes:
            try:
                self.communes[key] = self.choices.commune(name, postal_code)
            except ValidationError as error:
                self.communes[key] = error
        found = self.communes[key]
        if isinstance(found, ValidationError):
            raise found
        return found

    def add(self, line: int, row: dict[str, str]) -> None:
        """Check one line (numbered as in the file) and file it in the report."""
        if not any(row.values()):
            return
        checker = self.choices
        problems: list[str] = []
        for name, mandatory, _help in COLUMNS:
            if mandatory and not row.get(name):
                problems.append(_("colonne %(column)s obligatoire") % {"column": name})
        birth_year = None
        if row.get("annee_naissance"):
            try:
                birth_year = int(row["annee_naissance"].split(".")[0])
            except ValueError:
                problems.append(
                    _("année de naissance « %(value)s » invalide")
                    % {"value": row["annee_naissance"]}
                )
            else:
                if _attempt(problems, clean_birth_year_value, birth_year) is None:
                    birth_year = None
        gender = _attempt(problems, checker.choice, checker.genders, row.get("genre", ""), "genre")
        commune = (
            _attempt(problems, self._commune, row["commune"], row.get("code_postal", ""))
            if row.get("commune")
            else None
        )
        phone = _attempt(problems, checker.phone, row["telephone"]) if row.get("telephone") else ""
        language = _attempt(
            problems,
            checker.choice,
            checker.languages,
            row.get("langue", ""),
            "langue",
            Language.FRENCH,
        )
        situation = _attempt(
            problems,
            checker.choice,
            checker.situations,
            row.get("situation", ""),
            "situation",
            SocialSituation.UNDISCLOSED,
        )
        equipment = [
            _attempt(problems, checker.choice, checker.equipment, item.strip(), "equipement")
            for item in row.get("equipement", "").split(",")
            if item.strip()
        ]
        equipment = _attempt(problems, clean_equipment_value, [e for e in equipment if e]) or []
        connection = _attempt(
            problems, checker.choice, checker.connections, row.get("connexion", ""), "connexion"
        )
        consents = [
            purpose
            for column, purpose in (
                ("accord_suivi", ConsentPurpose.FOLLOW_UP),
                ("accord_sms", ConsentPurpose.SMS),
            )
            if _attempt(problems, checker.yes_no, row.get(column, ""), column)
        ]
        first_name = row.get("prenom", "")
        last_name = row.get("nom", "")
        keys = identity_keys(
            first_name=first_name, last_name=last_name, birth_year=birth_year, phone=phone or ""
        )
        for key in keys:
            earlier = self.seen.setdefault(key, line)
            if earlier != line:
                message = (
                    _("même personne que la ligne %(line)s")
                    if key[0] == "name"
                    else _("même téléphone que la ligne %(line)s")
                )
                problems.append(message % {"line": earlier})
        person = Beneficiary(
            structure=self.structure,
            first_name=first_name,
            last_name=last_name,
            birth_year=birth_year,
            gender=gender or "",
            commune=commune,
            phone=phone or "",
            email=row.get("email", ""),
            preferred_language=language or Language.FRENCH,
            social_situation=situation or SocialSituation.UNDISCLOSED,
            equipment=equipment,
            connection=connection or "",
        )
        if not problems:
            problems.extend(_model_problems(person))
        if problems:
            self.report.errors.append((line, " ; ".join(problems)))
            return
        known = next((self.followed[key] for key in keys if key in self.followed), None)
        if known:
            self.report.known.append((line, known))
            return
        self.report.people.append((person, consents))

    def finish(self) -> ImportReport:
        report = self.report
        if not report.errors and not report.people and not report.known:
            report.errors.append((2, _("aucune personne dans le fichier")))
        return report


def check(rows: list[dict[str, str]], structure: Structure) -> ImportReport:
    checker = LineChecker(structure)
    for index, row in enumerate(rows):
        checker.add(index + 2, row)  # the first line holds the column names
    return checker.finish()


def import_people(report: ImportReport, *, by: Any) -> int:
    """Write a clean report's people in one short transaction: every row is ready beforehand,
    and each table is written in a few statements, so others wait at most a moment."""
    assert report.ok
    author = audit.author(by)
    people = [person for person, _consents in report.people]
    for person, reference in zip(
        people,
        unique_references(Beneficiary, Beneficiary.REFERENCE_PREFIX, len(people)),
        strict=True,
    ):
        person.reference = reference
        person.created_by = author
        person.fill_search_name()
    with transaction.atomic():
        Beneficiary.objects.bulk_create(people)
        Consent.objects.bulk_create(
            [
                Consent(beneficiary=person, purpose=purpose, recorded_by=author)
                for person, consents in report.people
                for purpose in consents
            ]
        )
        audit.record_each(
            by,
            AuditEvent.Action.CREATE,
            people,
            changes=lambda person: {"fields": created_fields(person)},
            note="import",
        )
        records_changed.send(sender=Beneficiary, objects=people)
    return len(people)


# --- In the background -------------------------------------------------------------------

# Lines checked between two saves of the progress.
BATCH = 250


def start_import(
    structure: Structure, file_name: str, rows: list[dict[str, str]], *, by: Any
) -> PeopleImport:
    """Stage the file's lines and hand them to the tasks worker."""
    with transaction.atomic():
        started = PeopleImport.objects.create(
            structure=structure, created_by=by, file_name=file_name[:255], lines=len(rows)
        )
        StagedLine.objects.bulk_create(
            [
                StagedLine(people_import=started, line=index + 2, values=row)
                for index, row in enumerate(rows)
            ],
            batch_size=1000,
        )
        transaction.on_commit(partial(tasks.run_people_import.enqueue, started.pk))
    return started


def run_import(pk: int, *, between_batches: Any = None) -> PeopleImport:
    """Check the staged lines in batches, saving the progress after each (no transaction is
    held between them, so nobody waits on the import), then create every person in one short
    write, or none if a line is refused. The staged lines are deleted at the end, whatever it
    is."""
    started = PeopleImport.objects.select_related("structure", "created_by").get(pk=pk)
    if not started.is_running:
        return started
    checker = LineChecker(started.structure)
    try:
        PeopleImport.objects.filter(pk=pk).update(status=PeopleImport.Status.CHECKING)
        staged = StagedLine.objects.filter(people_import=started).order_by("line")
        done = 0
        for batch in _batches(staged.values_list("line", "values")):
            for line, values in batch:
                checker.add(line, values)
            done += len(batch)
            PeopleImport.objects.filter(pk=pk).update(checked=done)
            if between_batches:
                between_batches()
        report = checker.finish()
        outcome: dict[str, Any] = {
            "checked": started.lines,
            "known": [list(pair) for pair in report.known],
            "errors": [list(pair) for pair in report.errors],
            "finished_at": timezone.now(),
        }
        if report.ok:
            outcome["imported"] = import_people(report, by=started.created_by)
            outcome["status"] = PeopleImport.Status.DONE
        else:
            outcome["status"] = PeopleImport.Status.REFUSED
        PeopleImport.objects.filter(pk=pk).update(**outcome)
    except Exception:
        logger.exception("The people import %s stopped.", pk)
        PeopleImport.objects.filter(pk=pk).update(
            status=PeopleImport.Status.FAILED, finished_at=timezone.now()
        )
    finally:
        StagedLine.objects.filter(people_import_id=pk).delete()
    started.refresh_from_db()
    return started


def _batches(lines: Any) -> Iterator[list[tuple[int, dict[str, str]]]]:
    """The staged lines, BATCH at a time, each batch read in a query of its own."""
    last = 0
    while True:
        batch = list(lines.filter(line__gt=last)[:BATCH])
        if not batch:
            return
        yield batch
        last = batch[-1][0]


def forget_old_imports() -> str:
    """Imports older than IMPORT_KEEP_DAYS are deleted with their reports."""
    limit = timezone.now() - timedelta(days=settings.IMPORT_KEEP_DAYS)
    count, _by_model = PeopleImport.objects.filter(created_at__lt=limit).delete()
    return (
        f"{count} import(s) de personnes de plus de {settings.IMPORT_KEEP_DAYS} jours supprimé(s)."
    )


def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADERS)
    writer.writerow(EXAMPLE)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "personnes"
    sheet.append(HEADERS)
    sheet.append(EXAMPLE)
    for cell, (_name, mandatory, help_text) in zip(sheet[1], COLUMNS, strict=True):
        cell.font = Font(bold=True)
        note = (_("Obligatoire. ") if mandatory else "") + str(help_text)
        if note:
            cell.comment = Comment(note, "Maillage")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
