"""The cells of an import, read the way Dutch spreadsheets write them (django-import-export
widgets): numbers in Dutch and English notation, years, dates, texts, choices, municipalities
by CBS code or name (merged ones refused naming the successor) and partnerships by afkorting.
Each raises ValueError with a Dutch message about the cell ("'12,3,4' is geen bedrag"); the
import pages put the row and the column in front of it."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from import_export import fields, widgets

from django.core.exceptions import ValidationError

from core.converters import FIRST_YEAR, LAST_YEAR
from core.formatting import format_number, format_percent

from .deadlines import format_date
from .models import Partnership, Term
from .municipalities import MunicipalityFinder, normalise_name

MAX_AMOUNT = Decimal("999999999999.99")
_IGNORED = re.compile(r"[\s\u00a0\u202f\u2009]+|€|EUR|eur")
_MINUS = ("-/-", "-", "−", "–")


# --- Numbers ------------------------------------------------------------------------------


def _grouped(digits: str, separator: str) -> str | None:
    """`1.234.567` → `1234567` when every group after the first has three digits."""
    groups = digits.split(separator)
    if 1 <= len(groups[0]) <= 3 and all(len(g) == 3 and g.isdigit() for g in groups[1:]):
        return "".join(groups)
    return None


def _readings(text: str, places: int, maximum: Decimal) -> list[Decimal] | None:
    """The numbers `text` can mean (Dutch and English notation), or None when it is none."""
    if not re.fullmatch(r"[0-9.,]+", text) or not re.search(r"[0-9]", text):
        return None
    dots, commas = text.count("."), text.count(",")
    if dots and commas:  # the right-most separator is the decimal one: 1.234,56 / 1,234.56
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        integer, _, fraction = text.rpartition(decimal_mark)
        plain = _grouped(integer, thousands)
        if plain is None or decimal_mark in integer or not fraction:
            return None
        return [Decimal(f"{plain}.{fraction}")]
    separator = "." if dots else "," if commas else ""
    if not separator:
        return [Decimal(text)]
    if text.count(separator) > 1:  # 1.234.567: thousands only
        plain = _grouped(text, separator)
        return None if plain is None else [Decimal(plain)]
    integer, _, fraction = text.partition(separator)
    if not fraction:
        return None
    as_decimal = Decimal(f"{integer or '0'}.{fraction}")
    if len(fraction) != 3 or not integer or len(integer) > 3:
        return [as_decimal]
    # 1.234 or 1,234: a thousand two hundred and thirty-four, or one point two three four —
    # the second only where the column takes three decimals
    readings = []
    if abs(Decimal(integer + fraction)) <= maximum:
        readings.append(Decimal(integer + fraction))
    if places >= 3 and abs(as_decimal) <= maximum:
        readings.append(as_decimal)
    return readings or [as_decimal]


def read_number(
    value: object,
    *,
    places: int = 2,
    minimum: Decimal | None = None,
    maximum: Decimal = MAX_AMOUNT,
    what: str = "bedrag",
    percent: bool = False,
) -> Decimal:
    """A number cell or a number written as text, in Dutch (`1.234,56`) or English
    (`1,234.56`, `1234.56`) notation, as an exact Decimal; or ValueError in Dutch.

    A separator followed by exactly three digits (`1.234`, `1,234`) can be a thousands
    separator or a decimal one: the reading that fits the column (at most `places` decimals,
    at most `maximum`) counts; when both fit, the cell is refused as ambiguous."""
    if isinstance(value, bool | date | datetime):
        raise ValueError(
            f"'{_show(value)}' is een {'datum' if value is not True else 'ja/nee'}, geen {what}"
        )
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        text = str(value).strip()
        cleaned = _IGNORED.sub("", text)
        if percent and cleaned.endswith("%"):
            cleaned = cleaned[:-1]
        negative = False
        for prefix in _MINUS:
            if cleaned.startswith(prefix):
                negative, cleaned = True, cleaned[len(prefix) :]
                break
        cleaned = re.sub(r"[,.]-{1,2}$", "", cleaned.removeprefix("+"))
        readings = _readings(cleaned, places, maximum)
        if readings is None:
            example = "48,62" if percent else "1.234,56 of 1234.56"
            raise ValueError(f"'{text}' is geen {what}; schrijf bijvoorbeeld {example}")
        if len(readings) > 1:
            thousands, fraction = readings
            raise ValueError(
                f"'{text}' is dubbelzinnig: {thousands} of {format_number(fraction, 3)}? "
                f"Schrijf {thousands} (zonder scheidingsteken voor duizendtallen) of "
                f"{format_number(fraction, 4)} (met vier decimalen)"
            )
        number = -readings[0] if negative else readings[0]
    if not number.is_finite():
        raise ValueError(f"'{_show(value)}' is geen {what}")
    if abs(number) > maximum:
        limit = format_percent(maximum) if percent else format_number(maximum, 0)
        raise ValueError(f"'{_show(value)}' is te groot: hoogstens {limit}")
    if minimum is not None and number < minimum:
        raise ValueError(f"'{_show(value)}' mag niet kleiner zijn dan {format_number(minimum)}")
    if number != round(number, places):
        raise ValueError(
            f"'{_show(value)}' heeft te veel decimalen: hoogstens {places}, er wordt niet afgerond"
        )
    return number.normalize() if number == number.to_integral_value() else number


def _show(value: object) -> str:
    if isinstance(value, datetime | date):
        return format_date(value if isinstance(value, date) else value.date())
    return str(value).strip()


def label_key(text: str) -> str:
    """How two categories or descriptions are the same: case and spacing ignored (the rule
    of the grid's duplicate check)."""
    return " ".join(str(text).split()).casefold()


def is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- Widgets ------------------------------------------------------------------------------


class NumberWidget(widgets.Widget):
    """A Decimal (Dutch or English notation); empty is unknown (None), never 0. Renders as
    Dutch text for the preview and as the number itself for a workbook (`force_native_type`).
    `number_format` is the cell format of the workbook ('euro', 'procent', 'getal')."""

    def __init__(
        self,
        *,
        places: int = 2,
        minimum: Decimal | None = None,
        maximum: Decimal = MAX_AMOUNT,
        what: str = "bedrag",
        number_format: str = "euro",
        required: bool = False,
    ) -> None:
        super().__init__(coerce_to_string=True)
        self.places, self.minimum, self.maximum = places, minimum, maximum
        self.what, self.number_format, self.required = what, number_format, required

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            if self.required:
                raise ValueError(f"vul een {self.what} in")
            return None
        return read_number(
            value,
            places=self.places,
            minimum=self.minimum,
            maximum=self.maximum,
            what=self.what,
            percent=self.number_format == "procent",
        )

    def render(self, value, obj=None, **kwargs):
        if kwargs.get("force_native_type"):
            return value
        return render_number(value, self.number_format)


def render_number(value: Decimal | None, number_format: str) -> str:
    """`€ 1.234`, `€ 4.858,81`, `48,62%`, `1.234,5`; 'niet ingevuld' for None."""
    if value is None:
        return "niet ingevuld"
    if number_format == "procent":
        return format_percent(value)
    exponent = value.normalize().as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    if number_format == "euro":
        return "€ " + format_number(value, 2 if decimals else 0)
    return format_number(value, decimals)


class YearWidget(widgets.Widget):
    """A year from FIRST_YEAR to LAST_YEAR (core.converters), as a number or as text."""

    def clean(self, value, row=None, **kwargs):
        return read_year(value)

    def render(self, value, obj=None, **kwargs):
        if kwargs.get("force_native_type"):
            return value
        return "" if value is None else str(value)


def read_year(value: object) -> int:
    """A year cell: 2017 or '2017'; a date, '2.017' or 1850 is refused in Dutch."""
    if is_empty(value):
        raise ValueError("vul een jaar in")
    if isinstance(value, bool | date | datetime):
        raise ValueError(f"'{_show(value)}' is een datum, geen jaar; schrijf alleen het jaar")
    text = str(value).strip()
    try:
        number = Decimal(text) if not isinstance(value, int | Decimal) else Decimal(value)
    except InvalidOperation:
        number = None
    if number is None or number != number.to_integral_value() or not number.is_finite():
        raise ValueError(f"'{text}' is geen jaar; schrijf vier cijfers, zoals 2017")
    year = int(number)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"{year} ligt buiten de jaren {FIRST_YEAR} tot en met {LAST_YEAR}")
    return year


class TextWidget(widgets.Widget):
    """Text with spaces tidied, at most `max_length` characters; `required` refuses empty."""

    def __init__(self, *, max_length: int, required: bool = False, what: str = "tekst"):
        super().__init__(coerce_to_string=True)
        self.max_length, self.required, self.what = max_length, required, what

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, date | datetime):
            value = value.isoformat()
        text = "" if value is None else " ".join(str(value).split())
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            text = str(value)
        if not text and self.required:
            raise ValueError(f"vul {self.what} in")
        if len(text) > self.max_length:
            raise ValueError(
                f"de tekst is {len(text)} tekens lang; hoogstens {self.max_length} tekens"
            )
        return text

    def render(self, value, obj=None, **kwargs):
        if kwargs.get("force_native_type"):
            return value or None
        return value or ""


class DateWidget(widgets.Widget):
    """A date cell, or text as 2026-03-01 or 1-3-2026 (day, month, year); other text refused."""

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = str(value).strip()
        iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        dutch = re.fullmatch(r"(\d{1,2})-(\d{1,2})-(\d{4})", text)
        try:
            if iso:
                return date(int(iso[1]), int(iso[2]), int(iso[3]))
            if dutch:
                return date(int(dutch[3]), int(dutch[2]), int(dutch[1]))
        except ValueError:
            raise ValueError(f"'{text}' is geen bestaande datum") from None
        raise ValueError(
            f"'{text}' is tekst, geen datum; maak er een datumcel van of schrijf de datum als "
            "1-3-2026 (dag-maand-jaar) of 2026-03-01"
        )

    def render(self, value, obj=None, **kwargs):
        if kwargs.get("force_native_type"):
            return value
        return format_date(value) if value else "niet ingevuld"


class ChoiceWidget(widgets.Widget):
    """One of a fixed list, by code or label (case and spaces ignored)."""

    def __init__(self, choices: Iterable[tuple[str, str]], *, what: str, aliases=None):
        super().__init__(coerce_to_string=True)
        self.labels = dict(choices)
        self.what = what
        self.lookup = {normalise_name(code): code for code in self.labels}
        self.lookup |= {normalise_name(label): code for code, label in self.labels.items()}
        self.lookup |= {normalise_name(k): v for k, v in (aliases or {}).items()}

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else " ".join(str(value).split())
        if not text:
            raise ValueError(f"vul {self.what} in")
        code = self.lookup.get(normalise_name(text))
        if code is None:
            options = ", ".join(self.labels.values())
            raise ValueError(f"'{text}' is geen {self.what}; kies uit: {options}")
        return code

    def render(self, value, obj=None, **kwargs):
        return self.labels.get(value, value or "")


class MunicipalityWidget(widgets.Widget):
    """A municipality by CBS code (GM0983, 0983) or name; a merged one is refused naming its
    successor (`collaborations.municipalities`). `year_column` gives the year the figures are
    about, so a municipality is accepted for the years it existed."""

    def __init__(self, *, year_column: str | None = None, required: bool = True) -> None:
        super().__init__(coerce_to_string=True)
        self.year_column, self.required = year_column, required
        self._finder: MunicipalityFinder | None = None

    @property
    def finder(self) -> MunicipalityFinder:
        """Every municipality, read once per import (on the first row that needs it)."""
        if self._finder is None:
            self._finder = MunicipalityFinder()
        return self._finder

    def clean(self, value, row=None, **kwargs):
        if is_empty(value) and not self.required:
            return None
        year = None
        if self.year_column and row is not None:
            try:
                year = read_year(row.get(self.year_column))
            except ValueError:
                year = None
        try:
            return self.finder.find(str(value or ""), year=year)
        except ValidationError as exc:
            raise ValueError(" ".join(exc.messages)) from None

    def render(self, value, obj=None, **kwargs):
        return value.name if value is not None else ""


class MunicipalityListWidget(MunicipalityWidget):
    """Municipalities separated by ';' (or new lines), e.g. 'Venlo; Venray; GM1507'. A merged
    municipality that is still in the dashboard is found (a partnership keeps its former
    participants); the resource refuses adding one."""

    def clean(self, value, row=None, **kwargs):
        names = [p.strip() for p in re.split(r"[;\n]", str(value or "")) if p.strip()]
        found, errors = [], []
        for name in names:
            try:
                found.append(self.finder.find(name, year=FIRST_YEAR))
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValueError(" ".join(errors))
        return tuple(sorted(set(found), key=lambda m: m.name))

    def render(self, value, obj=None, **kwargs):
        return "; ".join(m.name for m in value or ())


class PartnershipWidget(widgets.Widget):
    """A partnership by its afkorting (ZVH), slug or full name, read once per import."""

    def __init__(self, *, required: bool = True) -> None:
        super().__init__(coerce_to_string=True)
        self.required = required
        self._by_key: dict[str, Partnership] | None = None

    @property
    def by_key(self) -> dict[str, Partnership]:
        """Every partnership by afkorting, slug and name, read once per import."""
        if self._by_key is None:
            self._by_key = {}
            for p in Partnership.objects.order_by("pk"):
                for key in (p.afkorting, p.slug, p.name):
                    self._by_key.setdefault(normalise_name(key), p)
        return self._by_key

    def forget(self) -> None:
        """Read again on the next row (after an import made a partnership)."""
        self._by_key = None

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else " ".join(str(value).split())
        if not text:
            if not self.required:
                return None
            raise ValueError("vul de afkorting van de samenwerking in, zoals ZVH")
        found = self.by_key.get(normalise_name(text))
        if found is not None:
            return found
        close = difflib.get_close_matches(normalise_name(text), self.by_key, n=1, cutoff=0.6)
        hint = f"; bedoelt u {self.by_key[close[0]].afkorting}?" if close else ""
        raise ValueError(f"onbekende samenwerking '{text}'{hint or ': gebruik de afkorting'}")

    def render(self, value, obj=None, **kwargs):
        return value.afkorting if value is not None else ""


def key_field(attribute: str, column: str, widget: widgets.Widget) -> fields.Field:
    """A column of the natural key: read by the resource itself before the row is looked up,
    so import-export never sets it again."""
    return fields.Field(attribute=attribute, column_name=column, widget=widget, readonly=True)


def value_field(attribute: str, column: str, widget: widgets.Widget) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column, widget=widget)


class TermWidget(widgets.Widget):
    """A term of a vocabulary (vorm, BBV-categorie) by its label or code, read once."""

    def __init__(self, vocabulary: str, *, what: str) -> None:
        super().__init__(coerce_to_string=True)
        self.vocabulary, self.what = vocabulary, what
        self._terms: dict[str, Term] | None = None

    @property
    def terms(self) -> dict[str, Term]:
        if self._terms is None:
            self._terms = {}
            for term in Term.objects.filter(vocabulary=self.vocabulary):
                for key in (term.code, term.label):
                    self._terms.setdefault(normalise_name(key), term)
        return self._terms

    def find(self, text: str) -> Term:
        term = self.terms.get(normalise_name(text))
        if term is None:
            labels = sorted({t.label for t in self.terms.values()})
            raise ValueError(f"'{text}' is geen {self.what}; kies uit: {', '.join(labels)}")
        return term

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else " ".join(str(value).split())
        return self.find(text) if text else None

    def render(self, value, obj=None, **kwargs):
        return value.label if value is not None else ""


class TermListWidget(TermWidget):
    """Terms separated by ';' ('Openbare orde en veiligheid; Zorg en welzijn')."""

    def clean(self, value, row=None, **kwargs):
        names = [p.strip() for p in re.split(r"[;\n]", str(value or "")) if p.strip()]
        return sort_terms(self.find(name) for name in names)

    def render(self, value, obj=None, **kwargs):
        return "; ".join(term.label for term in value or ())


def sort_terms(terms: Iterable[Term]) -> tuple[Term, ...]:
    return tuple(sorted(set(terms), key=lambda t: (t.order, t.label, t.pk)))


class NameListWidget(widgets.Widget):
    """Names separated by ';' (other organisations), sorted, doubles once."""

    def clean(self, value, row=None, **kwargs):
        names = [" ".join(p.split()) for p in re.split(r"[;\n]", str(value or ""))]
        return sort_names(n for n in names if n)

    def render(self, value, obj=None, **kwargs):
        return "; ".join(value or ())


def sort_names(names: Iterable[str]) -> tuple[str, ...]:
    unique = {name.casefold(): name for name in names}
    return tuple(unique[key] for key in sorted(unique))


class UrlWidget(TextWidget):
    """A web address (https://…); empty is allowed."""

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if text and not re.fullmatch(r"https?://[^\s/$.?#][^\s]*", text):
            raise ValueError(f"'{text}' is geen webadres; schrijf het als https://…")
        return text
