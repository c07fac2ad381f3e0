"""Benchmark of the allocation engine (pure Python, no Django).

Run: .venv/bin/python benchmarks/bench_allocation.py [--runs N]

Times, as the median of several runs:
  1. the five Veilig Thuis Gelderland-Midden 2018 variants (load, validate and allocate);
  2. a synthetic model of 342 municipalities in 25 regions with 12 service lines, in five
     variants shaped like the Veilig Thuis ones. Budget: recomputing all five variants as the
     site does — the inputs read once, each variant's steps validated, all allocated — in at
     most 100 ms (issue 12; each variant reading its own copy of the inputs is shown too).
Prints figures against the budget; it asserts nothing about time.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from allocation.engine import (
    DATA_DIR,
    VT2018_VARIANTS,
    allocate,
    build_definition,
    load_definition_file,
    parse_definition,
    parse_inputs,
    result_to_dict,
)

BUDGET_MS = 100

MUNICIPALITIES = 342
REGIONS = 25
SERVICES = [f"dienst{index:02d}" for index in range(1, 13)]
YEARS = ["2015", "2016", "2017"]


def synthetic_inputs(seed: int = 2018) -> dict[str, Any]:
    """Deterministic inputs: 342 municipalities, 25 regions, 4 measures, 12 production series."""
    rng = random.Random(seed)
    names = [f"Gemeente {index:03d}" for index in range(1, MUNICIPALITIES + 1)]
    regions = [f"R{index:02d}" for index in range(1, REGIONS + 1)]
    region_of = {name: regions[index % REGIONS] for index, name in enumerate(names)}
    inhabitants = {name: rng.randint(1000, 900000) for name in names}
    measures: dict[str, Any] = {
        "inwoners": {"waarden": inhabitants},
        "jeugdinwoners": {
            "waarden": {n: v * rng.randint(15, 30) // 100 for n, v in inhabitants.items()}
        },
        "duvo": {"waarden": {n: v * rng.randint(3, 9) for n, v in inhabitants.items()}},
        "jeugd": {"waarden": {n: v * rng.randint(150, 400) for n, v in inhabitants.items()}},
    }
    for service in SERVICES:
        measures[f"productie_{service}"] = {
            "waarden": {
                name: {year: rng.randint(0, inhabitants[name] // 500 + 1) for year in YEARS}
                for name in names
            }
        }
    return {
        "groepen": [
            {"code": code, "centrum": next(n for n in names if region_of[n] == code)}
            for code in regions
        ],
        "deelnemers": [{"naam": name, "groep": region_of[name]} for name in names],
        "maten": measures,
        "parameters": {"begroting": "250000000", "uurtarief": "84.70338", "centrum": "400000"},
        "diensten": {
            service: {"volume": rng.randint(100, 5000), "norm": f"{rng.randint(10, 320) / 10:.1f}"}
            for service in SERVICES
        },
    }


MIX = {
    "mix": [
        {"gewicht": "0.360575", "sleutel": {"maat": "duvo"}},
        {"gewicht": "0.639425", "sleutel": {"maat": "jeugd"}},
    ]
}
ALL_SERVICES = {"diensten": SERVICES, "tarief": {"parameter": "uurtarief"}}
PER_REGION = {"eenheid": "100", "per_groep": True, "verschil": "centrum"}


def production(services: list[str], moving_average: bool) -> dict[str, Any]:
    def key(service: str) -> dict[str, Any]:
        if moving_average:
            return {
                "maat": f"productie_{service}",
                "voortschrijdend_gemiddelde": {"jaren": 3, "tot_en_met": 2017},
            }
        return {"maat": f"productie_{service}", "perioden": YEARS[1:]}

    return {
        "id": "productie",
        "soort": "productie",
        "tarief": {"parameter": "uurtarief"},
        "regels": [{"dienst": service, "sleutel": key(service)} for service in services],
    }


def two_stage(region_key: dict[str, Any], key: dict[str, Any], centres: list[str]) -> list[Any]:
    return [
        {
            "id": "regio",
            "soort": "verdeling",
            "over": "groepen",
            "bedrag": ALL_SERVICES,
            "sleutel": region_key,
            "afronding": {"eenheden": ["50", "100"], "verschil": "grootste_rest"},
        },
        {
            "id": "gemeenten",
            "soort": "verdeling",
            "per_groep": True,
            "bedrag": {"stap": "regio"},
            "vooraf": [
                {"deelnemer": centre, "bedrag": {"parameter": "centrum"}, "component": "vooraf"}
                for centre in centres
            ],
            "sleutel": key,
        },
    ]


def hybrid(general: list[str], produced: list[str], regions: list[dict[str, Any]]) -> list[Any]:
    settlements = [
        {
            "id": f"verrekening_{region['code']}",
            "soort": "verrekening",
            "component": "verrekening",
            "bedrag": {"parameter": "centrum"},
            "ontvanger": region["centrum"],
            "binnen": region["code"],
            "sleutel": {"maat": "duvo"},
        }
        for region in regions
    ]
    return [
        {
            "id": "algemeen_regio",
            "soort": "verdeling",
            "over": "groepen",
            "bedrag": {"diensten": general, "tarief": {"parameter": "uurtarief"}},
            "sleutel": MIX,
        },
        {
            "id": "algemeen",
            "soort": "verdeling",
            "per_groep": True,
            "bedrag": {"stap": "algemeen_regio"},
            "sleutel": MIX,
        },
        production(produced, moving_average=False),
        *settlements,
        {"id": "bodem", "soort": "bodem", "component": "algemeen", "opvanger": "centrum"},
    ]


def synthetic_variants(inputs: dict[str, Any]) -> dict[str, dict[str, Any]]:
    centres = [region["centrum"] for region in inputs["groepen"]]
    steps = {
        "A": two_stage({"maat": "inwoners"}, {"maat": "inwoners"}, centres),
        "B": two_stage(MIX, {"maat": "jeugd"}, centres),
        "C1": hybrid(SERVICES[:6], SERVICES[6:], inputs["groepen"]),
        "C2": hybrid(SERVICES[:8], SERVICES[8:], inputs["groepen"]),
        "D": [
            production(SERVICES, moving_average=True),
            {"id": "tarief", "soort": "tarief", "tarief": "5.56", "per": {"maat": "inwoners"}},
            {
                "id": "tekort",
                "soort": "verdeling",
                "bedrag": "1250000",
                "sleutel": {"stap": "productie"},
            },
        ],
    }
    return {
        code: {
            "formaat": "verdeelmodel/1",
            "code": code,
            "invoer": inputs,
            "stappen": variant_steps,
            "afronding": PER_REGION if code != "D" else {"eenheid": "1"},
        }
        for code, variant_steps in steps.items()
    }


def median_seconds(task: Callable[[], object], runs: int) -> float:
    task()  # warm up
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        task()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per measurement (default 7)")
    runs = parser.parse_args().runs

    paths = [DATA_DIR / "vt2018" / f"{code}.json" for code in VT2018_VARIANTS]
    vt_all = median_seconds(lambda: [allocate(load_definition_file(p)) for p in paths], runs)
    definitions = [load_definition_file(p) for p in paths]
    vt_engine = median_seconds(lambda: [allocate(d) for d in definitions], runs)

    documents = synthetic_variants(synthetic_inputs())
    parsed = {code: parse_definition(doc) for code, doc in documents.items()}
    results = {code: allocate(definition) for code, definition in parsed.items()}
    synthetic_parse = median_seconds(
        lambda: [parse_definition(d) for d in documents.values()], runs
    )
    synthetic_engine = median_seconds(lambda: [allocate(d) for d in parsed.values()], runs)

    def recompute() -> list[object]:
        """What a page or preview does: the inputs once, then every variant on them."""
        inputs = parse_inputs(next(iter(documents.values()))["invoer"])
        models = [{k: v for k, v in d.items() if k != "invoer"} for d in documents.values()]
        return [allocate(build_definition(m, inputs)) for m in models]

    site = median_seconds(recompute, runs)
    per_variant = {
        code: median_seconds(lambda d=definition: allocate(d), runs)
        for code, definition in parsed.items()
    }
    export = median_seconds(lambda: [result_to_dict(r) for r in results.values()], runs)

    ms = 1000
    print(f"Median of {runs} runs (Python {sys.version.split()[0]})")
    print()
    print("Veilig Thuis Gelderland-Midden 2018, 5 variants x 16 municipalities")
    print(f"  load + validate + allocate   {vt_all * ms:8.1f} ms")
    print(f"  allocate only                {vt_engine * ms:8.1f} ms")
    print()
    print(
        f"Synthetic: {MUNICIPALITIES} municipalities, {REGIONS} regions, "
        f"{len(SERVICES)} service lines, 5 variants"
    )
    print(f"  validate (parse) 5 variants  {synthetic_parse * ms:8.1f} ms")
    print(f"  allocate 5 variants          {synthetic_engine * ms:8.1f} ms")
    for code, seconds in per_variant.items():
        lines = sum(len(step.lines) for step in results[code].steps)
        print(f"    variant {code:<3} {seconds * ms:8.1f} ms  ({lines} trail lines)")
    print(f"  result_to_dict 5 variants    {export * ms:8.1f} ms")
    total = synthetic_parse + synthetic_engine
    print(f"  validate + allocate          {total * ms:8.1f} ms  (each variant its own inputs)")
    verdict = "within" if site * ms <= BUDGET_MS else "OVER"
    print(
        f"  recompute all 5 variants     {site * ms:8.1f} ms  "
        f"(inputs read once; {verdict} the {BUDGET_MS} ms budget)"
    )


if __name__ == "__main__":
    main()
