"""The team screen: a manager invites people and gives them the roles of their territory,
removes a role, deactivates an account; every grant and removal reaches the journal, whatever
the path (the team screen, the technical administration, a shell)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from maillage.accounts.models import ApiToken, RoleAssignment, User
from maillage.core import audit
from maillage.core.models import AuditEvent
from maillage.core.roles import Role
from tests.conftest import World, text
from tests.factories import PASSWORD, UserFactory, grant

TEAM = "/espace/equipe/"


def journal_of(account: User) -> list[tuple[str, Any]]:
    return [
        (e.action, e.actor_id)
        for e in AuditEvent.objects.for_object(account).order_by("pk")
        if e.action.startswith(("role_", "account_"))
    ]


def test_a_territory_manager_invites_a_mediator_of_the_marne(
    client_as: Any, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_as("territory_manager")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/espace/equipe/inviter/",
            {
                "email": "Nouvelle.Recrue@Exemple.test",
                "full_name": "Nora Recrue",
                "role-role": Role.MEDIATOR,
                "role-departments": [world.marne.pk],
            },
        )

    account = User.objects.get(email="nouvelle.recrue@exemple.test")
    assert response["Location"] == f"/espace/equipe/{account.pk}/"
    assert not account.has_usable_password()
    assert account.role_assignments.get().role == Role.MEDIATOR
    assert [m.subject for m in mail.outbox] == ["Maillage : votre compte vous attend"]
    assert "/espace/mot-de-passe/nouveau/" in mail.outbox[0].body
    manager = world.personas["territory_manager"].pk
    assert journal_of(account) == [("account_invited", manager), ("role_granted", manager)]
    granted = AuditEvent.objects.for_object(account).get(action="role_granted")
    assert granted.changes["departments"] == [world.marne.pk]


def test_a_territory_manager_cannot_grant_outside_their_reach(client_as: Any, world: World) -> None:
    client = client_as("territory_manager")
    page = text(
        client.post(
            "/espace/equipe/inviter/",
            {
                "email": "x@exemple.test",
                "full_name": "X",
                "role-role": Role.MEDIATOR,
                "role-departments": [world.nord.pk],
            },
        )
    )
    assert "Sélectionnez un choix valide" in page
    funder = text(
        client.post(
            "/espace/equipe/inviter/",
            {"email": "y@exemple.test", "full_name": "Y", "role-role": Role.FUNDER},
        )
    )
    assert "Sélectionnez un choix valide" in funder
    assert not User.objects.filter(email__in=["x@exemple.test", "y@exemple.test"]).exists()


def test_the_team_lists_the_accounts_of_the_territory_only(client_as: Any, world: World) -> None:
    page = text(client_as("territory_manager").get(TEAM))
    assert "mediator@exemple.test" in page and "referent@exemple.test" in page
    assert "funder@exemple.test" not in page and "admin@exemple.test" not in page
    national = text(client_as("admin").get(TEAM, {"q": "funder"}))
    assert "funder@exemple.test" in national and "mediator@exemple.test" not in national


@pytest.mark.parametrize("persona", ["mediator", "relay_referent", "funder", "stranger"])
def test_who_does_not_manage_a_territory_has_no_team_screen(
    client_as: Any, world: World, persona: str
) -> None:
    assert client_as(persona).get(TEAM).status_code == 404


def test_an_account_outside_the_reach_answers_404(client_as: Any, world: World) -> None:
    funder = world.personas["funder"]
    client = client_as("territory_manager")
    assert client.get(f"{TEAM}{funder.pk}/").status_code == 404
    assert client.post(f"{TEAM}{funder.pk}/acces/", {"action": "deactivate"}).status_code == 404


def test_a_role_is_removed_and_journalled(client_as: Any, world: World) -> None:
    mediator = world.personas["mediator"]
    role = mediator.role_assignments.get()
    client = client_as("territory_manager")
    response = client.post(f"{TEAM}{mediator.pk}/roles/{role.pk}/retirer/")
    assert response.status_code == 302
    assert not mediator.role_assignments.exists()
    assert journal_of(mediator)[-1] == ("role_removed", world.personas["territory_manager"].pk)


def test_a_role_covering_another_departement_is_not_the_territory_managers(
    client_as: Any, world: World
) -> None:
    wide = UserFactory.create(email="large@exemple.test")
    role = grant(wide, Role.MEDIATOR, departments=[world.marne, world.nord])
    client = client_as("territory_manager")
    page = text(client.get(f"{TEAM}{wide.pk}/"))
    assert "Retirer le rôle" not in page and "Désactiver le compte" not in page
    assert client.post(f"{TEAM}{wide.pk}/roles/{role.pk}/retirer/").status_code == 404
    assert client.post(f"{TEAM}{wide.pk}/acces/", {"action": "deactivate"}).status_code == 404


def test_deactivating_an_account_ends_its_access_and_its_api_key(
    client_as: Any, world: World
) -> None:
    mediator = world.personas["mediator"]
    key = ApiToken.issue(mediator)
    signed_in = Client()
    signed_in.force_login(mediator)
    client_as("territory_manager").post(f"{TEAM}{mediator.pk}/acces/", {"action": "deactivate"})

    mediator.refresh_from_db()
    assert not mediator.is_active
    assert signed_in.get("/espace/").status_code == 302
    assert ApiToken.authenticate(key) is None
    assert journal_of(mediator)[-1] == (
        "account_deactivated",
        world.personas["territory_manager"].pk,
    )


def test_a_manager_cannot_deactivate_themselves(client_as: Any, world: World) -> None:
    admin = world.personas["admin"]
    client_as("admin").post(f"{TEAM}{admin.pk}/acces/", {"action": "deactivate"})
    admin.refresh_from_db()
    assert admin.is_active


def test_a_grant_made_in_the_technical_administration_is_journalled(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    admin = world.personas["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    mediator = world.personas["mediator"]
    page = client.get(f"/administration/accounts/user/{mediator.pk}/change/")
    assert page.status_code == 200
    role = mediator.role_assignments.get()
    before = AuditEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/administration/accounts/user/{mediator.pk}/change/",
            {
                "email": mediator.email,
                "full_name": mediator.full_name,
                "is_active": "on",
                "is_staff": "on",
                "last_login_0": "",
                "last_login_1": "",
                "date_joined_0": "2026-01-01",
                "date_joined_1": "10:00:00",
                "role_assignments-TOTAL_FORMS": "2",
                "role_assignments-INITIAL_FORMS": "1",
                "role_assignments-MIN_NUM_FORMS": "0",
                "role_assignments-MAX_NUM_FORMS": "1000",
                "role_assignments-0-id": role.pk,
                "role_assignments-0-user": mediator.pk,
                "role_assignments-0-role": Role.MEDIATOR,
                "role_assignments-0-departments": [world.marne.pk, world.ardennes.pk],
                "role_assignments-1-user": mediator.pk,
                "role_assignments-1-role": Role.RELAY_REFERENT,
                "role_assignments-1-structure": world.ccas_reims.pk,
            },
        )
    assert response.status_code == 302, text(response)[:3000]
    events = AuditEvent.objects.for_object(mediator).filter(pk__gt=before).order_by("pk")
    assert {e.action for e in events} == {"role_granted", "role_changed"}
    assert {e.actor_id for e in events} == {admin.pk}
    changes = [e.changes for e in events]
    assert {"is_staff": [False, True]} in changes
    assert {"role": "mediator", "departments": {"added": [world.ardennes.pk]}} in changes
    granted = next(e for e in events if e.action == "role_granted")
    assert granted.changes["structure"] == world.ccas_reims.pk


def test_a_grant_made_from_a_shell_is_journalled_without_an_author(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    someone = UserFactory.create(email="shell@exemple.test")
    with audit.acting_as(None):
        with django_capture_on_commit_callbacks(execute=True):
            assignment = RoleAssignment.objects.create(user=someone, role=Role.ADMIN)
        assignment.delete()
    assert journal_of(someone) == [("role_granted", None), ("role_removed", None)]


def test_the_team_screen_asks_for_the_password_again(client_as: Any, world: World) -> None:
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    client = client_as("territory_manager")
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        response = client.get("/espace/equipe/inviter/")
        assert response["Location"].startswith("/espace/confirmer/")
        assert (
            client.post(
                "/espace/confirmer/", {"secret": PASSWORD, "next": "/espace/equipe/inviter/"}
            )["Location"]
            == "/espace/equipe/inviter/"
        )
