"""The verdeelmodel paths stay as they were, and no path can mean two things: a variant code is
never one of the fixed sub-paths (`pdf`, `vaststellen`)."""

import pytest

from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, resolve, reverse

from tests.allocation.factories import AllocationVariantFactory

MODEL = "/arnhem/samenwerkingen/vtgm/2018/verdeelmodel/"


@pytest.mark.parametrize(
    ("path", "view_name"),
    [
        (MODEL, "allocation:compare"),
        (f"{MODEL}pdf/", "reports:allocation-pdf"),
        (f"{MODEL}vaststellen/", "allocation:adopt"),
        (f"{MODEL}A/", "allocation:explain"),
        (f"{MODEL}A-jeugd/", "allocation:explain"),
        (f"{MODEL}C1/", "allocation:explain"),
        (f"{MODEL}pdfx/", "allocation:explain"),
    ],
)
def test_each_path_goes_to_one_page(path, view_name):
    assert resolve(path).view_name == view_name


@pytest.mark.parametrize("code", ["pdf", "vaststellen"])
def test_no_link_to_a_variant_coded_as_a_sub_path(code):
    with pytest.raises(NoReverseMatch):
        reverse("allocation:explain", args=["arnhem", "vtgm", 2018, code])


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["pdf", "PDF", "vaststellen", "a b", "a/b"])
def test_a_variant_code_that_cannot_be_a_path_is_refused(code):
    variant = AllocationVariantFactory.build(
        model=AllocationVariantFactory().model, code=code, order=9
    )
    with pytest.raises(ValidationError) as info:
        variant.full_clean()
    assert "code" in info.value.message_dict


@pytest.mark.parametrize(
    ("name", "args", "path"),
    [
        ("reports:overview", ["venlo"], "/venlo/samenwerkingen/"),
        ("reports:partnership", ["venlo", "zvh"], "/venlo/samenwerkingen/zvh/"),
        ("reports:year", ["venlo", "zvh", 2017], "/venlo/samenwerkingen/zvh/2017/"),
        ("reports:year-pdf", ["venlo", "zvh", 2017], "/venlo/samenwerkingen/zvh/2017/pdf/"),
        ("reports:compare", ["venlo"], "/venlo/vergelijken/"),
        (
            "reports:compare-municipalities",
            ["venlo", "zvh"],
            "/venlo/samenwerkingen/zvh/vergelijken/",
        ),
        ("reports:bundle-form", ["venlo"], "/venlo/bundel/"),
        ("reports:bundle-status", ["venlo", 3], "/venlo/bundel/3/"),
        ("reports:bundle-pdf", ["venlo", 3], "/venlo/bundel/3/pdf/"),
        (
            "finance:grid",
            ["venlo", "zvh", 2017, "kosten"],
            "/venlo/samenwerkingen/zvh/2017/financien/kosten/",
        ),
        (
            "finance:split-key",
            ["venlo", "zvh", 2017],
            "/venlo/samenwerkingen/zvh/2017/verdeelsleutel/",
        ),
        (
            "collaborations:year-edit",
            ["venlo", "zvh", 2017, "motieven"],
            "/venlo/samenwerkingen/zvh/2017/bewerken/motieven/",
        ),
        (
            "reports:year-status",
            ["venlo", "zvh", 2017],
            "/venlo/samenwerkingen/zvh/2017/status/",
        ),
        ("collaborations:year-start", ["venlo", "zvh"], "/venlo/samenwerkingen/zvh/nieuw-jaar/"),
        ("collaborations:home", [], "/"),
    ],
)
def test_paths_are_unchanged(name, args, path):
    """Bookmarks and printed links keep working: every name builds the path it always had."""
    assert reverse(name, args=args) == path
    assert resolve(path).view_name == name
