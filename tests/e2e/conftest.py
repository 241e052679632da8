"""Real-browser tests: Playwright drives Debian's Chromium against the live server, and axe-core
checks every page visited (a serious or critical violation fails the test)."""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from tests.conftest import World, shared_world
from tests.factories import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
BLOCKING_IMPACTS = {"serious", "critical"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    # axe is injected as a script: the page's own CSP would otherwise refuse it.
    context = browser.new_context(
        bypass_csp=True, locale="fr-FR", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems: list[str] = []
    expected_missing: set[str] = set()
    page.expected_missing = expected_missing  # type: ignore[attr-defined]

    def on_console(message: ConsoleMessage) -> None:
        # Console errors and warnings: a missing file, a CSP refusal, a malformed value…
        if message.type not in {"error", "warning"}:
            return
        if message.location.get("url") in expected_missing:
            return
        problems.append(f"{message.type}: {message.text} ({message.location.get('url')})")

    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    page.on("console", on_console)
    yield page
    context.close()
    assert not problems, "The browser reported problems:\n" + "\n".join(problems)


@pytest.fixture
def e2e_world(transactional_db: None) -> World:
    """The live server reads what is committed: the world of this test process, built again
    after the previous browser test flushed the database."""
    return copy.deepcopy(shared_world())


def check_accessibility(page: Page) -> None:
    """Run axe-core on the current page; fail on serious or critical violations."""
    page.add_script_tag(content=AXE)
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    blocking = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]
    assert not blocking, (
        f"axe-core on {page.url}:\n{json.dumps(blocking, indent=2, ensure_ascii=False)}"
    )


class Visitor:
    """A person using the site: every page they reach is checked with axe-core."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url

    def goto(self, path: str) -> Page:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status < 400, (
            f"{path}: {response and response.status}"
        )
        check_accessibility(self.page)
        return self.page

    def expect_not_found(self, path: str) -> None:
        """Open a page that must answer 404 (its console error is expected)."""
        url = self.base_url + path
        self.page.expected_missing.add(url)  # type: ignore[attr-defined]
        response = self.page.goto(url)
        assert response is not None and response.status == 404, path

    def sign_in(self, email: str, password: str = PASSWORD) -> None:
        self.goto("/espace/connexion/")
        self.page.get_by_label("Adresse e-mail").fill(email)
        self.page.get_by_label("Mot de passe").fill(password)
        self.page.get_by_role("button", name="Se connecter").last.click()
        self.page.wait_for_load_state()
        check_accessibility(self.page)

    def click(self, locator: Any) -> None:
        locator.click()
        self.page.wait_for_load_state()
        check_accessibility(self.page)


@pytest.fixture
def visitor(page: Page, live_server: Any, e2e_world: World) -> Visitor:
    return Visitor(page, live_server.url)
