"""Spreadsheet exports without a domain: text that can never start a formula."""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Text cells never start a formula in a spreadsheet (formula injection)."""
    return "'" + value if value.startswith(FORMULA_START) else value
