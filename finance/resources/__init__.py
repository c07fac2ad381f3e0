"""Imports of money (django-import-export resources, on `collaborations.resources`' machinery):
the lines of the money tables (`money.MoneyResource`) and the municipality's split key
(`split_key.SplitKeyResource`), written through `finance.services`."""

from .money import CellWidget, MoneyResource, money_rows
from .split_key import SplitKeyResource

__all__ = ["CellWidget", "MoneyResource", "SplitKeyResource", "money_rows"]
