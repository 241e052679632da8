"""Who may do what is decided in one place, and docs/permissions.md says it as the code does."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.db.models import Q

from maillage.core.perms import RoleHolder, actions, matrix, permissions_page
from maillage.core.roles import EVERYTHING, NOTHING, Role, Scope, places_q, within_scope
from maillage.network.models import Structure
from tests.conftest import World

BASE = Path(settings.BASE_DIR)


def test_the_permissions_page_is_the_one_the_code_generates() -> None:
    written = (BASE / "docs" / "permissions.md").read_text(encoding="utf-8")
    assert written == permissions_page(), (
        "docs/permissions.md is out of date: run `manage.py permissions_doc > docs/permissions.md`"
    )


def test_the_page_lists_every_action_in_french_and_in_english() -> None:
    page = permissions_page()
    assert "| Administration nationale | tout le réseau |" in page
    assert "| National administration | the whole network |" in page
    assert "Effacer les données d'une personne".lower() in page.lower()
    assert "erase a person's data" in page.lower()
    assert len(actions()) >= 20


def test_each_persona_may_do_what_the_matrix_says_of_its_role(world: World) -> None:
    for role, persona in [
        (Role.ADMIN, "admin"),
        (Role.REGIONAL_MANAGER, "regional_manager"),
        (Role.TERRITORY_MANAGER, "territory_manager"),
        (Role.MEDIATOR, "mediator"),
        (Role.RELAY_REFERENT, "relay_referent"),
        (Role.FUNDER, "funder"),
    ]:
        user = world.personas[persona]
        for action, allowed in matrix():
            assert action.rule(user) == allowed[role], (persona, action.name)
    stranger = world.personas["stranger"]
    assert not any(action.rule(stranger) for action in actions())


def test_funders_read_figures_and_never_a_person() -> None:
    funder = {a.name: allowed[Role.FUNDER] for a, allowed in matrix()}
    assert funder["can_read_figures"] and funder["can_see_programmes"]
    assert not funder["can_see_people"] and not funder["can_list_records"]
    assert not funder["can_see_stock"] and not funder["can_diagnose"]


def test_only_the_national_team_edits_the_catalogue_and_the_solidarity_offer() -> None:
    rows = {a.name: allowed for a, allowed in matrix()}
    for name in ("can_edit_catalogue", "can_set_offer", "can_edit_programmes"):
        assert [role for role, yes in rows[name].items() if yes] == [Role.ADMIN], name


def test_a_role_holder_has_a_scope_of_its_kind() -> None:
    assert RoleHolder(Role.ADMIN).scope.is_admin
    assert RoleHolder(Role.MEDIATOR).scope.field_department_ids
    assert not RoleHolder(Role.FUNDER).scope.department_ids


def test_the_territory_filter_matches_any_place_of_a_scope_and_every_filter_of_a_figure() -> None:
    scope = Scope(roles=frozenset({Role.MEDIATOR}), field_department_ids=frozenset({7}))
    assert within_scope(scope, department="commune__department") == places_q(
        department="commune__department", department_ids=frozenset({7})
    )
    assert within_scope(Scope(is_admin=True, roles=frozenset({"admin"})), department="x") == (
        EVERYTHING
    )
    assert within_scope(Scope(), department="commune__department") == NOTHING
    both = places_q(department="", region_ids=[1], department_ids=[2], every=True)
    assert both == EVERYTHING & Q(region__in=[1]) & Q(pk__in=[2])


def test_the_territory_filter_reaches_the_structures_of_a_scope(world: World) -> None:
    referent = world.personas["relay_referent"]
    own = Structure.objects.filter(
        within_scope(referent, department="commune__department", structure="")
    )
    assert list(own) == [world.ccas_reims]
    regional = world.personas["regional_manager"]
    grand_est = Structure.objects.filter(within_scope(regional, department="commune__department"))
    assert set(grand_est) == {world.ccas_reims, world.mediatheque_charleville}


def test_roles_are_read_only_through_the_named_rules() -> None:
    """Outside core (the rules), accounts (which grants roles) and the demo (which builds
    accounts), no module names a role or a group of roles to decide something."""
    pattern = re.compile(r"\bRole\.[A-Z_]+|\b(STAFF|MANAGER|FIELD)_ROLES\b|\.holds\(|has_role")
    offenders = []
    for path in sorted((BASE / "maillage").rglob("*.py")):
        relative = path.relative_to(BASE / "maillage").parts
        if relative[0] in ("core", "accounts", "demo") or "migrations" in relative:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(BASE)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
