"""1.000 malformed files made from one valid file (cells changed, rows dropped or doubled,
headers changed, bytes spoiled), uploaded and confirmed by the clerk of Venlo: never an error
500, and never half an import — a confirmed file is applied whole (read again, it changes
nothing more), a refused one changed nothing. Each example runs in a savepoint rolled back."""

import re
from datetime import date

import pytest
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from django.db import transaction

from .imports_support import MONEY, counts, csv_file, text, upload, xlsx

pytestmark = pytest.mark.django_db

VALID = [
    ["Venlo", "ZVH", "Kosten", "beschermd wonen", 2016, 955000, 960000, 1014673],
    ["GM0983", "ZVH", "Kosten", "Nieuwe regel", 2016, "1.234,56", None, "n.v.t."],
    ["Venlo", "ZVH", "Baten", "nvt", 2016, 0, 0, 0],
]
PRINTABLE = st.characters(blacklist_categories=("Cs", "Cc"))
CELLS = st.one_of(
    st.none(),
    st.text(PRINTABLE, max_size=12),
    st.integers(-(10**15), 10**15),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, max_value=10**13),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=date(1900, 1, 1)),
    st.sampled_from(
        [
            "n.v.t.",
            "1.234,56",
            "1,234.56",
            "12,3,4",
            "=1+1",
            "€ 5",
            "-/- 4",
            "",
            "1.234",
            "GM9999",
            "Rijnwaarden",
            "Hele tabel n.v.t.",
            "2017",
            "1850",
            "zvh",
        ]
    ),
)
MUTATION = st.one_of(
    st.tuples(st.just("cell"), st.integers(0, len(VALID) - 1), st.integers(0, 7), CELLS),
    st.tuples(st.just("drop"), st.integers(0, len(VALID) - 1)),
    st.tuples(st.just("double"), st.integers(0, len(VALID) - 1)),
    st.tuples(st.just("header"), st.integers(0, 7), st.text(PRINTABLE, max_size=15)),
    st.tuples(st.just("bytes"), st.floats(0, 1), st.binary(min_size=1, max_size=64)),
)

fuzz = hypothesis_settings(
    max_examples=1000,
    deadline=None,
    database=None,  # no .hypothesis/ directory in the project
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _spoiled(mutations, kind: str) -> bytes:
    rows = [list(row) for row in VALID]
    headers = list(MONEY)
    spoil = []
    for mutation in mutations:
        match mutation:
            case ("cell", r, c, value) if r < len(rows):
                rows[r][c] = value
            case ("drop", r) if r < len(rows):
                del rows[r]
            case ("double", r) if r < len(rows):
                rows.insert(r, list(rows[r]))
            case ("header", c, text):
                headers[c] = text
            case ("bytes", where, junk):
                spoil.append((where, junk))
    if kind == "csv":
        text_rows = [["" if v is None else str(v) for v in row] for row in rows]
        content = csv_file(text_rows, headers=headers)
    else:
        content = xlsx(rows, headers=headers)
    for where, junk in spoil:
        at = int(where * len(content))
        content = content[:at] + junk + content[at + len(junk) :]
    return content


@fuzz
@given(mutations=st.lists(MUTATION, min_size=1, max_size=4), kind=st.sampled_from(["xlsx", "csv"]))
def test_malformed_files_never_give_a_500_nor_half_an_import(clerk_client, mutations, kind):
    with transaction.atomic():
        content = _spoiled(mutations, kind)
        before = counts()
        page = upload(clerk_client, "bedragen", f"kosten.{kind}", content)
        assert page.status_code in (200, 400), page.status_code
        body = page.content.decode()
        assert "onverwachte fout" not in body and "deze rij kon niet worden gelezen" not in body
        found = re.search(r'name="controle" value="([0-9a-f]+)"', body)
        if found is None or "Inlezen in het concept" not in body:
            event("geweigerd of niets te doen")
            assert counts() == before
        else:
            url = page.redirect_chain[-1][0]
            done = clerk_client.post(url, {"controle": found.group(1)}, follow=True)
            assert done.status_code in (200, 400, 409), done.status_code
            if done.redirect_chain and "/importeren/klaar/" in done.redirect_chain[-1][0]:
                event("ingelezen")
                again = upload(clerk_client, "bedragen", f"kosten.{kind}", content)
                assert "0 nieuwe rijen" in again.content.decode()
                assert "0 gewijzigde rijen" in again.content.decode()
            else:
                event("bij bevestigen geweigerd")
                assert counts() == before
        transaction.set_rollback(True)


def test_the_valid_file_itself_is_imported(clerk_client):
    page = upload(clerk_client, "bedragen", "kosten.xlsx", xlsx(VALID))
    assert "Inlezen in het concept" in page.content.decode()
    assert "Begroting 2016: € 1.234,56" in text(page)
