"""The verdeelmodel pages, one module per topic: the comparison, adopting and the explanation
(`comparison`), the inputs (`inputs`), the variant editor (`variants`), kept settlements
(`settlements`), the ingroeiregeling (`phasein`) and the coördinator's computation pages —
indexatie, modules, uittreding (`scenarios`)."""

from .comparison import AdoptVariantView, ComparisonView, ExplanationView, broken
from .inputs import InputsView, MeasureEditView
from .phasein import PhaseInView
from .scenarios import ExitView, IndexationView, ModulesView
from .settlements import (
    SettlementDeleteView,
    SettlementEditView,
    SettlementRestoreView,
    SettlementSaveView,
    SettlementView,
)
from .variants import (
    VariantDeleteView,
    VariantDocumentView,
    VariantEditView,
    VariantNewView,
    VariantRestoreView,
    VariantUploadView,
)

__all__ = [
    "AdoptVariantView",
    "ComparisonView",
    "ExitView",
    "ExplanationView",
    "IndexationView",
    "InputsView",
    "MeasureEditView",
    "ModulesView",
    "PhaseInView",
    "SettlementDeleteView",
    "SettlementEditView",
    "SettlementRestoreView",
    "SettlementSaveView",
    "SettlementView",
    "VariantDeleteView",
    "VariantDocumentView",
    "VariantEditView",
    "VariantNewView",
    "VariantRestoreView",
    "VariantUploadView",
    "broken",
]
