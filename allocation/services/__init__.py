"""Every write of the allocation app, one module per topic: the stored model and adopting a
variant (`stored`), the inputs (`inputs`), the variant editor (`variants`), kept settlements
(`settlements`). Keyword-only, atomic, validated, permission-checked."""

from .stored import VariantInput, adopt_variant, save_allocation_model

__all__ = ["VariantInput", "adopt_variant", "save_allocation_model"]
