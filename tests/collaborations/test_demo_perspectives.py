"""The demo data: every demo partnership has its demo municipality's perspective (importance,
governance, process) filled from the project's data files, and loading it twice changes nothing."""

import pytest

from collaborations.demo import load_demo, read_json
from collaborations.models import Participation

# The municipality whose perspective the demo shows for each partnership.
DEMO_PERSPECTIVES = {
    "zvh": "venlo",
    "msn": "venlo",
    "bsgw": "venlo",
    "vrln": "venlo",
    "go": "wijchen",
    "vtgm": "arnhem",
}


def participation(slug: str) -> Participation:
    return Participation.objects.get(
        partnership__slug=slug, municipality__slug=DEMO_PERSPECTIVES[slug]
    )


def has_importance(p: Participation) -> bool:
    """Belang waarom/wie ticked, or the BBV belang known (True or False: None is unknown)."""
    return (
        p.belang_waarom.exists()
        or p.belang_wie.exists()
        or p.bestuurlijk_belang is not None
        or p.financieel_belang is not None
    )


def has_governance(p: Participation) -> bool:
    return bool(
        p.delegatie_mandaat
        or p.delegatie_mandaat_toelichting
        or p.rol_taakverdeling
        or p.afspraken_instrumenten
        or p.toezichtarrangement_id
        or p.board_seats.exists()
    )


def snapshot() -> dict:
    """Every demo perspective as plain data: fields, terms, board seats, process."""
    rows = {}
    for p in Participation.objects.filter(municipality__slug__in=set(DEMO_PERSPECTIVES.values())):
        rows[str(p)] = (
            p.bestuurlijk_belang,
            p.financieel_belang,
            p.accounthouders,
            p.raadsprogramma,
            p.delegatie_mandaat,
            p.delegatie_mandaat_toelichting,
            p.rol_taakverdeling,
            p.afspraken_instrumenten,
            p.toezichtarrangement_id,
            sorted(p.belang_waarom.values_list("code", flat=True)),
            sorted(p.belang_wie.values_list("code", flat=True)),
            list(
                p.board_seats.values_list(
                    "orgaan", "vertegenwoordiging", "stemmen", "stemmen_totaal", "toelichting"
                )
            ),
            list(p.process_entries.values_list("actor", "jaar", "kwartaal", "actie")),
        )
    return rows


def test_the_demo_names_every_partnership():
    assert {item["slug"] for item in read_json("demo.json")["partnerships"]} == set(
        DEMO_PERSPECTIVES
    )


@pytest.mark.parametrize("slug", sorted(DEMO_PERSPECTIVES))
def test_every_demo_perspective_has_importance_and_governance(demo, slug):
    p = participation(slug)
    assert has_importance(p), f"{p}: geen belang ingevuld"
    assert has_governance(p), f"{p}: geen governance ingevuld"


@pytest.mark.parametrize("slug", sorted(DEMO_PERSPECTIVES))
def test_every_demo_perspective_has_process_steps_and_cites_its_sources(demo, slug):
    p = participation(slug)
    assert p.process_entries.exists()
    item = next(i for i in read_json("demo.json")["partnerships"] if i["slug"] == slug)
    assert item["perspectives"][DEMO_PERSPECTIVES[slug]]["_source"]


def test_what_no_source_gives_stays_unknown(demo):
    """No number that no source gives: votes only where known; the BBV financieel belang of
    Grenspark MSN is unknown, not "nee"."""
    msn = participation("msn")
    assert msn.financieel_belang is None
    assert msn.verbonden_partij is None
    assert list(msn.board_seats.values_list("stemmen", "stemmen_totaal")) == [(None, None)]
    vtgm = participation("vtgm")
    assert vtgm.partnership.centrumgemeente.slug == "arnhem"
    assert vtgm.delegatie_mandaat == ""
    assert vtgm.toezichtarrangement is None


def test_loading_twice_gives_the_same_perspectives(demo):
    before = snapshot()
    load_demo()
    assert snapshot() == before
