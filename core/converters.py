"""Path converters. A year in a path is four digits, so a path like `…/99999999999999999999/`
is simply not found (404) instead of reaching the database as an integer it cannot hold."""

from django.urls import register_converter

FIRST_YEAR, LAST_YEAR = 1990, 2100


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = int(value)
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(value)  # Django answers 404
        return year

    def to_url(self, value: int) -> str:
        return f"{int(value):04d}"


register_converter(YearConverter, "year")


def year_or_none(value: str | None) -> int | None:
    """A year from a query parameter or form: an int in range, else None."""
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return year if FIRST_YEAR <= year <= LAST_YEAR else None
