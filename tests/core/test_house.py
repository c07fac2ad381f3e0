"""The house rules hold: imports run one way (import-linter contracts), no module grows past
600 lines, and a database laid out by the previous version migrates without losing data."""

import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

ROOT = Path(__file__).resolve().parents[2]
APPS = ["dashboard", "core", "collaborations", "finance", "allocation", "reports"]


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ROOT / ".venv" / "bin" / "lint-imports"), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """The apps and the contracts, copied so a test can break them without touching the tree."""
    for app in APPS:
        shutil.copytree(ROOT / app, tmp_path / app, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_import_contracts_hold():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("finance/models.py", "from reports import views", "Apps import one way"),
        ("core/formatting.py", "import finance.money", "Apps import one way"),
        ("finance/selectors.py", "from finance import services", "Inside an app"),
        ("allocation/engine/rounding.py", "import django.db", "allocation engine is pure"),
    ],
)
def test_a_wrong_import_breaks_a_contract(project_copy, module, line, contract):
    """Someone adding an import against the direction makes the test command fail."""
    target = project_copy / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", "utf-8")
    result = _lint_imports(project_copy)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert contract in result.stdout.replace("\n", " ")


def test_no_module_over_600_lines():
    long = {
        str(path.relative_to(ROOT)): n
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > 600
    }
    assert not long, f"Split these modules by topic: {long}"


# --- Migrating a database of the previous layout ------------------------------------------

PREVIOUS = [
    ("collaborations", "0001_initial"),
    ("finance", "0003_bundles"),
    ("allocation", None),
    ("reports", None),
]


@pytest.mark.django_db(transaction=True)
def test_a_database_of_the_previous_layout_migrates_without_loss():
    """Measures, models, variants and bundles were finance's; after the move they are read by
    allocation and reports from the same tables, and the admin's content types follow."""
    executor = MigrationExecutor(connection)
    executor.migrate(PREVIOUS)
    old = executor.loader.project_state(
        [("contenttypes", "0002_remove_content_type_name"), *(n for n in PREVIOUS if n[1])]
    ).apps
    content_type = old.get_model("contenttypes", "ContentType")
    content_type.objects.filter(model__in=["measure", "reportbundle"]).delete()
    content_type.objects.create(app_label="finance", model="measure")
    content_type.objects.create(app_label="finance", model="reportbundle")
    town = old.get_model("collaborations", "Municipality").objects.create(
        name="Oudstad", slug="oudstad", cbs_code="GM9999"
    )
    partnership = old.get_model("collaborations", "Partnership").objects.create(
        name="Oude regeling", afkorting="OR", slug="or"
    )
    old.get_model("finance", "Measure").objects.create(
        municipality=town,
        code="inwoners",
        year=2017,
        value=Decimal("12345.5"),
        bron="CBS",
        peildatum=date(2017, 1, 1),
    )
    model = old.get_model("finance", "AllocationModel").objects.create(
        partnership=partnership, year=2017, name="Model 2017", inputs={"deelnemers": []}
    )
    old.get_model("finance", "AllocationVariant").objects.create(
        model=model, code="A", name="Variant A", definition={"stappen": []}, adopted=True
    )
    old.get_model("finance", "ReportBundle").objects.create(
        municipality=town, year=2017, slugs=["or"], data_version="abc", status="klaar", pages=3
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from django.contrib.contenttypes.models import ContentType

    from allocation.models import AllocationModel, AllocationVariant, Measure
    from reports.models import ReportBundle

    measure = Measure.objects.get(municipality__slug="oudstad")
    assert (measure.code, measure.year, measure.value) == ("inwoners", 2017, Decimal("12345.5"))
    assert AllocationModel.objects.get(partnership__slug="or").name == "Model 2017"
    assert AllocationVariant.objects.get(model__partnership__slug="or").adopted is True
    bundle = ReportBundle.objects.get(municipality__slug="oudstad")
    assert (bundle.status, bundle.pages, bundle.slugs) == ("klaar", 3, ["or"])
    assert ContentType.objects.get(model="measure").app_label == "allocation"
    assert ContentType.objects.get(model="reportbundle").app_label == "reports"
