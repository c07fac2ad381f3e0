"""Demo money: the ZVH page's figures and GO Arnhem Nijmegen's budget lines (finance/data/)."""

import json
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model

from collaborations import services as collab_services
from collaborations.models import Participation, YearRecord

from . import services
from .models import FinanceTableYear, Table
from .money import EMPTY, NVT, Cell

DATA = Path(__file__).resolve().parent / "data" / "demo_finance.json"


def _cell(value) -> Cell:
    if value is None:
        return EMPTY
    if value == "nvt":
        return NVT
    return Cell(amount=Decimal(value))


def _save_tables(user, participation, tables: dict) -> None:
    for table, years in tables.items():
        for year, rows in years.items():
            existing = FinanceTableYear.objects.filter(
                **(
                    {"participation": participation}
                    if table in (Table.KOSTEN, Table.BATEN)
                    else {"partnership": participation.partnership}
                ),
                table=table,
                year=int(year),
            ).first()
            services.save_table_year(
                user=user,
                participation=participation,
                table=table,
                year=int(year),
                rows=[]
                if rows == "nvt"
                else [
                    services.GridRow(label=label, cells=tuple(_cell(c) for c in cells))
                    for label, cells in rows
                ],
                not_applicable=rows == "nvt",
                expected_version=existing.version if existing else None,
            )


def load_finance_demo() -> int:
    """Idempotent. Runs after collaborations' demo (it needs the beheerder login)."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    user = get_user_model().objects.get(username="beheerder")
    count = 0
    for slug, item in data["partnerships"].items():
        for municipality, years in item.get("years", {}).items():
            participation = Participation.objects.get(
                partnership__slug=slug, municipality__slug=municipality
            )
            for year, record in years.items():
                collab_services.import_year_record(
                    participation=participation, year=int(year), data=record
                )
        for municipality, perspective in item.get("perspectives", {}).items():
            participation = Participation.objects.get(
                partnership__slug=slug, municipality__slug=municipality
            )
            tables = {k: v for k, v in perspective.items() if k != "split_key"}
            _save_tables(user, participation, tables)
            count += 1
            for year, components in perspective.get("split_key", {}).items():
                record = YearRecord.objects.get(participation=participation, year=int(year))
                services.save_split_key(
                    user=user,
                    record=record,
                    components=[
                        services.KeyComponentInput(
                            omschrijving=c["omschrijving"],
                            basis=c["basis"],
                            kind=c["kind"],
                            base_amount=Decimal(c["base_amount"]) if "base_amount" in c else None,
                            share_percent=(
                                Decimal(c["share_percent"]) if "share_percent" in c else None
                            ),
                            fixed_amount=(
                                Decimal(c["fixed_amount"]) if "fixed_amount" in c else None
                            ),
                            applies_to_year=c["applies_to_year"],
                            kosten_line_label=c.get("kosten_line", ""),
                        )
                        for c in components
                    ],
                    expected_version=record.version,
                )
        if "shared" in item:
            participation = Participation.objects.filter(partnership__slug=slug).first()
            _save_tables(user, participation, item["shared"])
            count += 1
    return count
