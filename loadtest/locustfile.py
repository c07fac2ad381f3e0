"""The users of the load test (locust): readers of the published pages and clerks who save a
section form at the same time, on two app servers (`loadtest/run.py` sets PLAN and runs them;
docs/performance.md).

A clerk opens *Kosten en baten* of one of its concept years through one app server, adds a
word of its own to one of the two texts (keeping what was there) and saves through the other
with the version it read. The server either acknowledges (302 to the year page) or refuses,
and a refusal must be the conflict page (400, "Iemand anders heeft …"). After an acknowledged
save the clerk reads the form through the first server at once: its word must be there.
Because every save keeps what it read and adds to it, the stored text in the end must hold the
word of every acknowledged save — a save that overwrote another would lose one.
"""

import itertools
import random
import re
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser

from locust import HttpUser, between, task

CONFLICT = "Iemand anders heeft"
SECTION = "bewerken/kosten-en-baten/"
FIELDS = ["kosten_baten_begroot", "kosten_baten_feitelijk"]


@dataclass
class Plan:
    hosts: list[str] = field(default_factory=list)  # http://127.0.0.1:port, one per app server
    year_pages: list[str] = field(default_factory=list)
    overviews: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)  # empty: the page does not exist yet
    pdfs: list[str] = field(default_factory=list)
    clerks: dict[str, dict] = field(default_factory=dict)  # login → password, years


@dataclass
class Outcome:
    acknowledged: list[tuple[str, str, str]] = field(default_factory=list)  # year, field, word
    conflicts: list[tuple[str, str, str]] = field(default_factory=list)
    refused_unshown: list[str] = field(default_factory=list)  # refused, but no conflict shown
    invisible: list[str] = field(default_factory=list)  # acknowledged, not seen on the other
    logins_failed: list[str] = field(default_factory=list)


PLAN = Plan()
OUTCOME = Outcome()
_logins = itertools.count()


class FormFields(HTMLParser):
    """The fields of the form that contains `wanted`, as a browser would send them."""

    def __init__(self, wanted: str):
        super().__init__(convert_charrefs=True)
        self.wanted, self.forms, self._textarea, self._select = wanted, [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({})
        elif not self.forms or not a.get("name"):
            return
        elif tag == "input" and a.get("type") not in ("submit", "button", "reset"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.forms[-1].setdefault(a["name"], a.get("value") or "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.forms[-1][a["name"]] = ""
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.forms[-1][self._select] = a.get("value", "")

    def handle_data(self, data):
        if self._textarea:
            self.forms[-1][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    @classmethod
    def of(cls, html: str, wanted: str) -> dict[str, str] | None:
        parser = cls(wanted)
        parser.feed(html)
        return next((f for f in parser.forms if wanted in f), None)


def _other(host: str) -> str:
    others = [h for h in PLAN.hosts if h != host]
    return random.choice(others or PLAN.hosts)


class Reader(HttpUser):
    """The public: year pages, the overview, the paragraph and PDFs, on either app server.
    They hardly wait (0-0.1 s), so the run saturates the app servers: requests/s is what the
    set-up delivers, p50/p95 what a visitor waits at that rate."""

    wait_time = between(0, 0.1)
    host = "http://127.0.0.1"

    def _get(self, paths: list[str], name: str) -> None:
        if paths:
            self.client.get(random.choice(PLAN.hosts) + random.choice(paths), name=name)

    @task(6)
    def year_page(self):
        self._get(PLAN.year_pages, "jaarpagina")

    @task(2)
    def overview(self):
        self._get(PLAN.overviews, "totaaloverzicht")

    @task(2)
    def paragraph(self):
        self._get(PLAN.paragraphs, "paragraaf verbonden partijen")

    @task(1)
    def pdf(self):
        self._get(PLAN.pdfs, "pdf")


class Clerk(HttpUser):
    """A demo invoerder saving section forms, reading through one app server and saving
    through the other."""

    wait_time = between(0.05, 0.3)
    host = "http://127.0.0.1"

    def on_start(self):
        logins = sorted(PLAN.clerks)
        self.login = logins[next(_logins) % len(logins)]
        self.years = PLAN.clerks[self.login]["years"]
        host = random.choice(PLAN.hosts)
        page = self.client.get(f"{host}/inloggen/", name="inloggen")
        data = FormFields.of(page.text, "password") or {}
        data.update(username=self.login, password=PLAN.clerks[self.login]["password"])
        answer = self.client.post(
            f"{host}/inloggen/", data=data, name="inloggen", allow_redirects=False
        )
        if answer.status_code != 302:
            OUTCOME.logins_failed.append(f"{self.login}: {answer.status_code}")

    @task
    def save_a_section(self):
        # most saves on the login's first year, so that clerks of one login collide there
        year = self.years[0] if random.random() < 0.7 else random.choice(self.years)
        read = random.choice(PLAN.hosts)
        write = _other(read)
        page = self.client.get(read + year + SECTION, name="formulier openen")
        data = FormFields.of(page.text, FIELDS[0])
        if data is None:
            return  # the failed GET is counted as an error by locust itself
        name = random.choice(FIELDS)
        word = f"w{uuid.uuid4().hex[:10]}"
        data[name] = f"{data[name].strip()} {word}".strip()
        with self.client.post(
            write + year + SECTION,
            data=data,
            name="opslaan",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code == 302:
                OUTCOME.acknowledged.append((year, name, word))
                answer.success()
            elif answer.status_code == 400 and CONFLICT in answer.text:
                OUTCOME.conflicts.append((year, name, word))
                answer.success()
            else:
                OUTCOME.refused_unshown.append(f"{year} {answer.status_code}")
                answer.failure(f"refused without a conflict page: {answer.status_code}")
                return
        if answer.status_code == 302:
            with self.client.get(
                read + year + SECTION, name="direct zichtbaar op de andere", catch_response=True
            ) as seen:
                if not re.search(rf"\b{word}\b", seen.text):
                    OUTCOME.invisible.append(f"{year} {word} ({write} → {read})")
                    seen.failure("an acknowledged save is not visible on the other app server")
