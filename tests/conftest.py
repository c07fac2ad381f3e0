"""Shared fixtures: demo data from the project's own data files, users, and the browser."""

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls that pytest-django's
# live_server teardown makes are synchronous and safe there (stack-notes: browser tests).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from collaborations.demo import load_demo
from collaborations.models import Municipality
from core.chromium import CHROMIUM_ARGS, chromium_path
from finance.demo import load_finance_demo
from reports.demo import publish_demo
from tests.collaborations.factories import UserFactory, grant


@pytest.fixture
def demo(db):
    """The demo data set (load_demo): municipalities, partnerships, ZVH 2015-2017 from the seed."""
    load_demo()
    load_finance_demo()
    publish_demo()  # the published years get their first version, as load_demo does


@pytest.fixture
def venlo(demo) -> Municipality:
    return Municipality.objects.get(slug="venlo")


@pytest.fixture
def clerk(venlo):
    """An invoerder of Venlo."""
    user = UserFactory(username="clerk", first_name="Carla", last_name="Klerk")
    grant(user, "invoerder", venlo)
    return user


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


# --- Browser (Playwright driving Debian's Chromium) ---------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = chromium_path()
    if executable is None:
        pytest.fail("Chromium is not installed: run scripts/setup.sh --test")
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the current page; fail on any violation."""

    def check(page) -> None:
        results = axe.run(
            page,
            options={
                "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
                "resultTypes": ["violations"],
            },
        )
        violations = results.response["violations"]
        detail = "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(node["target"][0] for node in v["nodes"][:5])
            for v in violations
        )
        assert not violations, f"axe violations on {page.url}:\n{detail}"

    return check


@pytest.fixture
def login(live_server):
    """Log a browser page in through the real login form."""

    def do_login(page, username: str, password: str) -> None:
        page.goto(f"{live_server.url}/inloggen/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state()

    return do_login


@pytest.fixture
def reopen(db):
    """Reopen a published year as a beheerder would (with a reason): it becomes a concept,
    the published version stays public."""
    from reports.services import change_year_status

    def do(record, reason: str = "Correctie"):
        beheerder = UserFactory(username="beheerder-test", is_staff=True, is_superuser=True)
        record.refresh_from_db()
        return change_year_status(
            user=beheerder,
            record=record,
            action="heropenen",
            expected_version=record.version,
            note=reason,
        )

    return do


@pytest.fixture
def publish(db):
    """Take a year through the workflow as a beheerder: submit, adopt, publish (a new version)."""
    from reports.services import change_year_status

    def do(record, note: str = ""):
        beheerder = UserFactory(username="beheerder-test", is_staff=True, is_superuser=True)
        for action in ("aanbieden", "vaststellen", "publiceren"):
            record.refresh_from_db()
            change_year_status(
                user=beheerder,
                record=record,
                action=action,
                expected_version=record.version,
                note=note,
            )
        record.refresh_from_db()
        return record

    return do


@pytest.fixture(autouse=True)
def fresh_cache():
    """Every test starts with an empty cache: rate-limit counters and cached fragments of one
    test never reach the next."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def no_csp_violations(request):
    """Every browser test fails on a Content Security Policy violation (a blocked inline style
    or script loses what the page meant to show)."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield
    assert violations == [], f"CSP violations: {violations}"
