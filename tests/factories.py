from __future__ import annotations

from datetime import date
from typing import Any

import factory
from factory.django import DjangoModelFactory

from maillage.accounts.models import RoleAssignment, User
from maillage.network.enums import StructureKind
from maillage.network.models import Structure
from maillage.programmes.models import Funder, FunderKind, Programme
from maillage.territories.models import Commune, Department, PostalCode, Region

PASSWORD = "Un-mot-de-passe-solide-42"


class RegionFactory(DjangoModelFactory[Region]):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"{n + 10}")
    name = factory.Sequence(lambda n: f"Région {n}")


class DepartmentFactory(DjangoModelFactory[Department]):
    class Meta:
        model = Department
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"{n + 10}")
    name = factory.Sequence(lambda n: f"Département {n}")
    region = factory.SubFactory(RegionFactory)


class CommuneFactory(DjangoModelFactory[Commune]):
    class Meta:
        model = Commune
        django_get_or_create = ["code"]
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"{n + 10000:05d}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    department = factory.SubFactory(DepartmentFactory)
    population = 1000

    @factory.post_generation
    def postal_codes(obj: Commune, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            for code in extracted:
                PostalCode.objects.create(code=code, commune=obj)


class StructureFactory(DjangoModelFactory[Structure]):
    class Meta:
        model = Structure

    name = factory.Sequence(lambda n: f"Structure {n}")
    kind = StructureKind.ASSOCIATION
    commune = factory.SubFactory(CommuneFactory)


class FunderFactory(DjangoModelFactory[Funder]):
    class Meta:
        model = Funder

    name = factory.Sequence(lambda n: f"Financeur {n}")
    kind = FunderKind.STATE


class ProgrammeFactory(DjangoModelFactory[Programme]):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    start = date(2022, 1, 1)


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.test")
    full_name = factory.Sequence(lambda n: f"Personne {n}")
    password = factory.django.Password(PASSWORD)


def grant(user: User, role: str, **scope: Any) -> RoleAssignment:
    departments = scope.pop("departments", [])
    programmes = scope.pop("programmes", [])
    assignment = RoleAssignment.objects.create(user=user, role=role, **scope)
    assignment.departments.set(departments)
    assignment.programmes.set(programmes)
    user.__dict__.pop("scope", None)
    return assignment
