"""The verdeelmodel pages, one module per topic: the comparison, adopting and the explanation
(`comparison`), the inputs (`inputs`), the variant editor (`variants`), kept settlements
(`settlements`)."""

from .comparison import AdoptVariantView, ComparisonView, ExplanationView, broken
from .inputs import InputsView, MeasureEditView

__all__ = [
    "AdoptVariantView",
    "ComparisonView",
    "ExplanationView",
    "InputsView",
    "MeasureEditView",
    "broken",
]
