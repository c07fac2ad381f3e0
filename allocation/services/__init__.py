"""Every write of the allocation app, one module per topic: the stored model and adopting a
variant (`stored`), the inputs (`inputs`), the variant editor (`variants`), kept settlements
(`settlements`), publishing the model (`publication`), reference data from CBS and the
gemeentefonds (`reference`). Keyword-only, atomic, validated,
permission-checked."""

from .publication import publish_allocation_model, record_publication
from .reference import import_reference_file
from .settlements import (
    correct_settlement,
    delete_settlement,
    restore_settlement,
    save_settlement,
)
from .stored import VariantInput, adopt_variant, save_allocation_model

__all__ = [
    "VariantInput",
    "adopt_variant",
    "correct_settlement",
    "delete_settlement",
    "import_reference_file",
    "publish_allocation_model",
    "record_publication",
    "restore_settlement",
    "save_allocation_model",
    "save_settlement",
]
