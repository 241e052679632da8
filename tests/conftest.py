"""Personas, one per role plus a stranger, in a small world of two régions.

Grand Est: Marne (Reims, structure « CCAS de Reims ») and Ardennes (Charleville-Mézières,
« Médiathèque de Charleville »). Hauts-de-France: Nord (Lille, « Centre social de Lille »).
The « Ruralité » programme covers Marne and Ardennes with the Reims CCAS as partner; the
« Métropole » programme covers Nord.
"""

from __future__ import annotations

import copy
import html
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management.commands import flush
from django.db import connection
from django.test import Client, override_settings

from maillage.accounts.models import User
from maillage.core.append_only import allow_emptying
from maillage.core.roles import Role
from maillage.diagnostics.loader import load_all
from maillage.diagnostics.models import Framework
from maillage.network.enums import StructureKind
from maillage.network.models import Structure
from maillage.people.enums import Gender, Need
from maillage.people.models import Beneficiary, Referral
from maillage.programmes.models import Programme
from maillage.territories.models import Commune, Department, Region
from tests.factories import (
    CommuneFactory,
    DepartmentFactory,
    FunderFactory,
    ProgrammeFactory,
    RegionFactory,
    StructureFactory,
    UserFactory,
    grant,
)

# Between two transactional tests the framework empties every table, journals included: the
# only DELETE the journals' SQLite triggers let through.
_flush = flush.Command.handle


def _flush_with_journals(self: flush.Command, *args: Any, **options: Any) -> None:
    with allow_emptying():
        _flush(self, *args, **options)


flush.Command.handle = _flush_with_journals  # type: ignore[method-assign]

PERSONAS = [
    "admin",
    "regional_manager",
    "territory_manager",
    "mediator",
    "relay_referent",
    "funder",
    "stranger",
]


@dataclass
class World:
    grand_est: Region
    hauts_de_france: Region
    marne: Department
    ardennes: Department
    nord: Department
    reims: Commune
    charleville: Commune
    lille: Commune
    ccas_reims: Structure
    mediatheque_charleville: Structure
    centre_social_lille: Structure
    ruralite: Programme
    metropole: Programme
    personas: dict[str, User]
    # One person followed in each structure, and a referral sent to the Reims CCAS.
    alice: Beneficiary
    bruno: Beneficiary
    chloe: Beneficiary
    referral: Referral
    framework: Framework


# Modules whose tests share something costly built once per module (the demo): with several test
# processes (`pytest -n auto`), each of them runs whole on one process.
TOGETHER = {"tests/demo/test_demo.py"}


def pytest_xdist_make_scheduler(config: Any, log: Any) -> Any:
    """Tests spread one by one over the processes, but the modules of TOGETHER stay whole (the
    `xdist_group` mark does the same in principle; it is not read under pytest 9)."""
    from xdist.scheduler import LoadScopeScheduling

    class Scheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if module in TOGETHER else nodeid

    return Scheduling(config, log)


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: the test database is rolled back between tests,
    so the ids that stamp cached figures come round again with other data."""
    from django.core.cache import cache

    cache.clear()


def seed_catalogue() -> None:
    """The catalogue a data migration seeds: browser tests flush the database between tests,
    so the world puts it back."""
    import importlib

    from django.apps import apps

    from maillage.animation.models import Training

    importlib.import_module("maillage.learning.migrations.0002_seed_catalogue").seed(apps, None)
    # The trainings were seeded when they lived in the network app.
    seeded = importlib.import_module("maillage.network.migrations.0003_training_catalogue")
    for training in seeded.TRAININGS:
        Training.objects.update_or_create(code=training["code"], defaults={**training, "days": 1})


def build_world() -> World:
    seed_catalogue()
    grand_est = RegionFactory.create(code="44", name="Grand Est")
    hdf = RegionFactory.create(code="32", name="Hauts-de-France")
    marne = DepartmentFactory.create(code="51", name="Marne", region=grand_est)
    ardennes = DepartmentFactory.create(code="08", name="Ardennes", region=grand_est)
    nord = DepartmentFactory.create(code="59", name="Nord", region=hdf)
    reims = CommuneFactory.create(
        code="51454",
        name="Reims",
        department=marne,
        population=180000,
        postal_codes=["51100"],
        latitude=49.25,
        longitude=4.03,
    )
    charleville = CommuneFactory.create(
        code="08105",
        name="Charleville-Mézières",
        department=ardennes,
        population=46000,
        postal_codes=["08000"],
        latitude=49.77,
        longitude=4.72,
    )
    lille = CommuneFactory.create(
        code="59350",
        name="Lille",
        department=nord,
        population=236000,
        postal_codes=["59000", "59800"],
        latitude=50.63,
        longitude=3.06,
    )
    ccas = StructureFactory.create(
        name="CCAS de Reims", kind=StructureKind.CCAS_CIAS, commune=reims
    )
    mediatheque = StructureFactory.create(
        name="Médiathèque de Charleville", kind=StructureKind.LIBRARY, commune=charleville
    )
    centre = StructureFactory.create(
        name="Centre social de Lille", kind=StructureKind.SOCIAL_CENTRE, commune=lille
    )
    ruralite = ProgrammeFactory.create(name="Ruralité", slug="ruralite")
    ruralite.departments.set([marne, ardennes])
    ruralite.partner_structures.set([ccas])
    ruralite.funders.set([FunderFactory.create(name="DGCS")])
    metropole = ProgrammeFactory.create(name="Métropole", slug="metropole")
    metropole.departments.set([nord])
    metropole.partner_structures.set([centre])

    personas = {
        name: UserFactory.create(
            email=f"{name.replace('_', '.')}@exemple.test", full_name=f"Persona {name}"
        )
        for name in PERSONAS
    }
    grant(personas["admin"], Role.ADMIN)
    grant(personas["regional_manager"], Role.REGIONAL_MANAGER, region=grand_est)
    grant(personas["territory_manager"], Role.TERRITORY_MANAGER, departments=[marne])
    grant(personas["mediator"], Role.MEDIATOR, departments=[marne])
    grant(personas["relay_referent"], Role.RELAY_REFERENT, structure=ccas)
    grant(personas["funder"], Role.FUNDER, programmes=[ruralite])

    def person(first_name: str, structure: Structure, **fields: Any) -> Beneficiary:
        values: dict[str, Any] = {
            "last_name": "Exemple",
            "birth_year": 1960,
            "gender": Gender.WOMAN,
            "commune": structure.commune,
            **fields,
        }
        return Beneficiary.objects.create(first_name=first_name, structure=structure, **values)

    referral = Referral.objects.create(
        to_structure=ccas,
        referrer_name="Sam Travailleur",
        referrer_organisation="Conseil départemental",
        referrer_email="prescripteur@exemple.test",
        first_name="Denise",
        phone="+33612345678",
        needs=[Need.PROCEDURES],
        person_agreed=True,
    )
    return World(
        grand_est=grand_est,
        hauts_de_france=hdf,
        marne=marne,
        ardennes=ardennes,
        nord=nord,
        reims=reims,
        charleville=charleville,
        lille=lille,
        ccas_reims=ccas,
        mediatheque_charleville=mediatheque,
        centre_social_lille=centre,
        ruralite=ruralite,
        metropole=metropole,
        personas=personas,
        alice=person("Alice", ccas, phone="+33611111111"),
        bruno=person("Bruno", mediatheque, gender=Gender.MAN),
        chloe=person("Chloé", centre),
        referral=referral,
        framework=load_all()[0][0],
    )


# The world each test starts from, built once per test process and kept in the database: each
# test runs in a transaction rolled back at its end (as `TestCase.setUpTestData` would), and
# receives its own copy of the objects, so what a test changes in memory stays in that test.
_shared: World | None = None


def _present(candidate: World | None) -> bool:
    """The world is still in the database: a test that commits (a browser test, the demo) flushes
    the database when it ends."""
    return candidate is not None and User.objects.filter(pk=candidate.personas["admin"].pk).exists()


def shared_world() -> World:
    """The world of this test process, built again where a flush removed it. Inside a test's
    transaction the world is built in that transaction, and goes with it."""
    global _shared
    if _present(_shared):
        assert _shared is not None
        return _shared
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        if connection.in_atomic_block:
            return build_world()
        _shared = build_world()
    return _shared


@pytest.fixture(scope="session")
def _world_committed(django_db_setup: None, django_db_blocker: Any) -> None:
    """Build the world before the first test's transaction opens (fixtures of a wider scope are
    set up first), so that it is committed and every later test rolls back to it."""
    with django_db_blocker.unblock():
        shared_world()


@pytest.fixture
def world(_world_committed: None, db: None) -> World:
    return copy.deepcopy(shared_world())


@pytest.fixture
def client_as(world: World) -> Any:
    """`client_as("mediator")`: a test client signed in as that persona."""

    def make(persona: str) -> Client:
        client = Client()
        client.force_login(world.personas[persona])
        return client

    return make


def text(response: Any) -> str:
    """A response's HTML with entities decoded, to look for French text with apostrophes."""
    return html.unescape(response.content.decode())
