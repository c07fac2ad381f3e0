"""Fixtures of the verdeelmodel tests: the Veilig Thuis 2018 model from the demo, and its
coördinator (the regional finance officer)."""

import pytest

from allocation.demo import load_allocation_demo
from collaborations.models import Partnership
from reports.services import ensure_versions
from tests.collaborations.factories import UserFactory, grant


@pytest.fixture
def vt_model(demo):
    model = load_allocation_demo()
    ensure_versions()  # its years are published: each gets version 1, as load_demo does
    return model


@pytest.fixture
def officer(vt_model):
    """The coördinator of Veilig Thuis Gelderland-Midden."""
    user = UserFactory(username="officer", first_name="Fenna", last_name="Financieel")
    grant(user, "coordinator", Partnership.objects.get(slug="vtgm"))
    return user


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client
