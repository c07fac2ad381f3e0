"""Fixtures of the reports tests."""

import pytest

from allocation.demo import load_allocation_demo
from allocation.models import AllocationModel
from reports.services import ensure_versions


@pytest.fixture
def published(demo) -> AllocationModel:
    """The demo with the Veilig Thuis verdeelmodel, published as version 1 (the open data's
    verdeelmodel), and every published year with its version."""
    model = load_allocation_demo()
    ensure_versions()
    return model
