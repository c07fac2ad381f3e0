"""Reading a JSON-like document while keeping track of where we are, for Dutch error messages."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, cast

from .errors import DefinitionError

_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
_FRACTION = re.compile(r"^(\d+)/(\d+)$")


def join_path(path: str, key: str | int) -> str:
    """``stappen`` + 2 -> ``stappen[2]``; ``stappen[2]`` + ``sleutel`` -> ``stappen[2].sleutel``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    if _NAME.match(key):
        return f"{path}.{key}" if path else key
    return f'{path}["{key}"]'


def type_name(value: object) -> str:
    """Dutch name of a JSON type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "waar/onwaar"
    if isinstance(value, int | float | Decimal):
        return "getal"
    if isinstance(value, str):
        return "tekst"
    if isinstance(value, list | tuple):
        return "lijst"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


def names(items: Iterable[object]) -> str:
    """``'a', 'b', 'c'`` for an error message."""
    return ", ".join(f"'{item}'" for item in items)


class Node:
    """A value in the document together with its path (worked out only when needed)."""

    __slots__ = ("_key", "_parent", "_path", "value")

    def __init__(
        self, value: Any, path: str = "", *, parent: Node | None = None, key: str | int = ""
    ) -> None:
        self.value = value
        self._path: str | None = None if parent is not None else path
        self._parent = parent
        self._key = key

    @property
    def path(self) -> str:
        if self._path is None:
            parent = cast(Node, self._parent)
            self._path = join_path(parent.path, self._key)
        return self._path

    def child(self, value: Any, key: str | int) -> Node:
        return Node(value, parent=self, key=key)

    def error(self, message: str) -> DefinitionError:
        return DefinitionError(message, self.path)

    # --- structure -------------------------------------------------------------------------

    def mapping(self) -> Node:
        """Check that this is an object."""
        if not isinstance(self.value, Mapping):
            raise self.error(f"verwacht een object, maar kreeg {type_name(self.value)}")
        return self

    def obj(self, required: tuple[str, ...] = (), optional: tuple[str, ...] = ()) -> Node:
        """Check that this is an object with only the given fields and all required ones."""
        self.mapping()
        allowed = (*required, *optional)
        for key in self.value:
            if key not in allowed:
                raise DefinitionError(
                    f"onbekend veld '{key}'; toegestaan: {names(allowed)}",
                    join_path(self.path, str(key)),
                )
        for key in required:
            if key not in self.value:
                raise self.error(f"verplicht veld '{key}' ontbreekt")
        return self

    def has(self, key: str) -> bool:
        return isinstance(self.value, Mapping) and key in self.value

    def get(self, key: str) -> Node | None:
        """The child node, or None when the field is absent (or null)."""
        if not isinstance(self.value, Mapping) or self.value.get(key) is None:
            return None
        return self.child(self.value[key], key)

    def req(self, key: str) -> Node:
        node = self.get(key)
        if node is None:
            raise self.error(f"verplicht veld '{key}' ontbreekt")
        return node

    def items(self) -> list[Node]:
        if not isinstance(self.value, list | tuple):
            raise self.error(f"verwacht een lijst, maar kreeg {type_name(self.value)}")
        return [self.child(item, index) for index, item in enumerate(self.value)]

    def entries(self) -> Iterator[tuple[str, Node]]:
        if not isinstance(self.value, Mapping):
            raise self.error(f"verwacht een object, maar kreeg {type_name(self.value)}")
        for key, value in self.value.items():
            yield str(key), self.child(value, str(key))

    # --- scalars ---------------------------------------------------------------------------

    def text(self) -> str:
        if not isinstance(self.value, str) or not self.value.strip():
            raise self.error(f"verwacht een (niet-lege) tekst, maar kreeg {type_name(self.value)}")
        return self.value

    def boolean(self) -> bool:
        if not isinstance(self.value, bool):
            raise self.error(f"verwacht true of false, maar kreeg {type_name(self.value)}")
        return self.value

    def integer(self) -> int:
        value = self.value
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(f"verwacht een geheel getal, maar kreeg {type_name(value)}")
        return value

    def decimal(self) -> Decimal:
        """An exact number: a JSON integer, a Decimal, or a decimal string such as "84.70338"."""
        value = self.value
        if isinstance(value, bool):
            raise self.error("verwacht een getal, maar kreeg waar/onwaar")
        if isinstance(value, int):
            return Decimal(value)
        if isinstance(value, Decimal):
            if not value.is_finite():
                raise self.error(f"verwacht een eindig getal, maar kreeg '{value}'")
            return value
        if isinstance(value, float):
            raise self.error(
                'verwacht een exact getal; geef een decimaal getal als tekst (zoals "84.70338")'
            )
        if isinstance(value, str) and _DECIMAL.match(value.strip()):
            return Decimal(value.strip())
        shown = f"'{value}'" if isinstance(value, str) else type_name(value)
        raise self.error(
            f"verwacht een getal (geheel getal of decimaal getal met punt als tekst), "
            f"maar kreeg {shown}"
        )

    def positive(self) -> Decimal:
        number = self.decimal()
        if number <= 0:
            raise self.error(f"verwacht een getal groter dan 0, maar kreeg {number}")
        return number

    def share(self) -> Fraction:
        """An exact share: "2/3", "0.4862", "48.62%", 1."""
        value = self.value
        if isinstance(value, str):
            raw = value.strip()
            match = _FRACTION.match(raw)
            if match:
                if int(match.group(2)) == 0:
                    raise self.error(f"deling door nul in '{value}'")
                return Fraction(int(match.group(1)), int(match.group(2)))
            if raw.endswith("%") and _DECIMAL.match(raw[:-1].strip()):
                return Fraction(Decimal(raw[:-1].strip())) / 100
            if not _DECIMAL.match(raw):
                raise self.error(
                    f'verwacht een aandeel zoals "2/3", "0.25" of "48.62%", maar kreeg \'{value}\''
                )
        return Fraction(self.decimal())


def optional_text(node: Node, key: str) -> str:
    """The text of an optional field, or "" when it is absent."""
    child = node.get(key)
    return child.text() if child else ""


def optional_items(node: Node, key: str) -> list[Node]:
    """The items of an optional list field, or [] when it is absent."""
    child = node.get(key)
    return child.items() if child else []
