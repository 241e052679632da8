from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from maillage.accounts.models import RoleAssignment, User
from maillage.core.roles import Role
from tests.conftest import World
from tests.factories import UserFactory, grant


def test_each_persona_holds_the_scope_of_its_role(world: World) -> None:
    p = world.personas
    assert p["admin"].scope.is_admin
    assert p["regional_manager"].scope.region_ids == {world.grand_est.pk}
    assert p["territory_manager"].scope.managed_department_ids == {world.marne.pk}
    assert p["mediator"].scope.field_department_ids == {world.marne.pk}
    assert p["relay_referent"].scope.structure_ids == {world.ccas_reims.pk}
    assert p["funder"].scope.programme_ids == {world.ruralite.pk}
    assert p["stranger"].scope.is_empty


def test_a_person_may_hold_several_roles(world: World) -> None:
    user = UserFactory.create()
    grant(user, Role.MEDIATOR, departments=[world.marne])
    grant(user, Role.RELAY_REFERENT, structure=world.centre_social_lille)
    scope = User.objects.get(pk=user.pk).scope
    assert scope.roles == {Role.MEDIATOR, Role.RELAY_REFERENT}
    assert scope.department_ids == {world.marne.pk}
    assert scope.structure_ids == {world.centre_social_lille.pk}


def test_a_scope_of_several_places_and_roles_is_read_in_one_query(
    world: World, django_assert_num_queries: Any
) -> None:
    user = UserFactory.create()
    grant(user, Role.MEDIATOR, departments=[world.marne, world.ardennes])
    grant(user, Role.FUNDER, programmes=[world.ruralite, world.metropole])
    user = User.objects.get(pk=user.pk)
    with django_assert_num_queries(1):
        scope = user.scope
    assert scope.field_department_ids == {world.marne.pk, world.ardennes.pk}
    assert scope.programme_ids == {world.ruralite.pk, world.metropole.pk}
    assert scope.managed_department_ids == frozenset()


def test_a_deactivated_account_sees_nothing(world: World) -> None:
    user = world.personas["admin"]
    user.is_active = False
    user.__dict__.pop("scope", None)
    assert user.scope.is_empty


@pytest.mark.parametrize(
    ("role", "field", "message"),
    [
        (Role.REGIONAL_MANAGER, "region", "doit avoir une région"),
        (Role.RELAY_REFERENT, "structure", "rattaché·e à une structure"),
    ],
)
def test_a_role_without_its_scope_is_refused(
    world: World, role: str, field: str, message: str
) -> None:
    assignment = RoleAssignment(user=world.personas["stranger"], role=role)
    with pytest.raises(ValidationError) as error:
        assignment.full_clean()
    assert message in str(error.value.message_dict[field])


def test_a_scope_that_does_not_fit_the_role_is_refused(world: World) -> None:
    assignment = RoleAssignment(
        user=world.personas["stranger"], role=Role.MEDIATOR, region=world.grand_est
    )
    with pytest.raises(ValidationError):
        assignment.full_clean()


def test_emails_are_unique_and_stored_in_lower_case(db: None) -> None:
    user = User.objects.create_user(
        "Quelqu.Un@Exemple.TEST", "Un-mot-de-passe-solide", full_name="Q"
    )
    assert user.email == "quelqu.un@exemple.test"


def test_a_superuser_is_an_admin(db: None) -> None:
    user = User.objects.create_superuser(
        "chef@exemple.test", "Un-mot-de-passe-solide", full_name="C"
    )
    assert user.scope.is_admin


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"role": "mediator"}, "departments", "choisissez-les"),
        ({"role": "funder"}, "programmes", "choisissez-les"),
        ({"role": "admin", "departments": "marne"}, "departments", "Seuls les responsables"),
        (
            {"role": "mediator", "departments": "marne", "programmes": "ruralite"},
            "programmes",
            "Seul le rôle de financeur",
        ),
    ],
)
def test_the_role_form_asks_for_exactly_the_scope_of_the_role(
    world: World, data: dict[str, str], field: str, message: str
) -> None:
    from maillage.accounts.forms import RoleAssignmentForm

    ids = {"marne": [world.marne.pk], "ruralite": [world.ruralite.pk]}
    form = RoleAssignmentForm(
        {key: ids.get(value, value) for key, value in data.items()},
        instance=RoleAssignment(user=world.personas["stranger"]),
    )
    assert not form.is_valid()
    assert message in str(form.errors[field])


def test_the_role_form_accepts_a_well_scoped_role(world: World) -> None:
    from maillage.accounts.forms import RoleAssignmentForm

    form = RoleAssignmentForm(
        {"role": "mediator", "departments": [world.ardennes.pk]},
        instance=RoleAssignment(user=world.personas["stranger"]),
    )
    assert form.is_valid(), form.errors
    form.save()
    stranger = User.objects.get(pk=world.personas["stranger"].pk)
    assert stranger.scope.field_department_ids == {world.ardennes.pk}


def test_the_administration_lists_people_for_an_admin(client_as, world: World) -> None:
    world.personas["admin"].is_staff = True
    world.personas["admin"].is_superuser = True
    world.personas["admin"].save()
    client = client_as("admin")
    assert client.get("/administration/accounts/user/").status_code == 200
    assert (
        client.get(
            f"/administration/accounts/user/{world.personas['mediator'].pk}/change/"
        ).status_code
        == 200
    )
