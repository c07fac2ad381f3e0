"""The variant editor's translation between a definition (format verdeelmodel/1) and flat form
fields, per step kind. Pure: no database, no Django.

The form edits what finance officers change (amounts, keys, rounding, the scalar options of
each kind, amounts up front, service lines, fixed amounts); everything else in a step is kept
as it was, so a definition made elsewhere never loses a part the form does not show. A part the
form cannot show (a composed amount or key) is marked "alleen via JSON" and kept unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

KINDS = {
    "verdeling": "Verdelen met een sleutel (ook in twee fasen)",
    "productie": "Productie per dienst",
    "tarief": "Tarief per eenheid",
    "vast": "Vaste bedragen",
    "verrekening": "Verrekening tussen deelnemers",
    "bodem": "Bodem (niemand onder een minimum)",
}
AMOUNT_SOURCES = {
    "parameter": "Parameter",
    "stap": "Bedrag van een andere stap",
    "bedrag": "Vast bedrag",
    "diensten": "Diensten × uurtarief",
    "json": "Samengesteld (alleen via JSON)",
}
KEY_KINDS = {
    "maat": "Naar een maat",
    "mix": "Mix van maten",
    "vast": "Vaste aandelen",
    "gelijk": "Gelijke delen",
    "stap": "Naar rato van een andere stap",
    "json": "Samengesteld (alleen via JSON)",
}
MIX_ROWS = 4


def amount_fields(node: Any) -> dict[str, str]:
    """An amount as (bron, waarde, tarief): `{"parameter": "begroting"}` → parameter, begroting."""
    if isinstance(node, dict):
        if set(node) == {"parameter"}:
            return {"bron": "parameter", "waarde": str(node["parameter"])}
        if set(node) == {"stap"}:
            return {"bron": "stap", "waarde": str(node["stap"])}
        if set(node) == {"diensten", "tarief"} and isinstance(node["tarief"], dict):
            tariff = node["tarief"].get("parameter")
            if tariff is not None and set(node["tarief"]) == {"parameter"}:
                return {
                    "bron": "diensten",
                    "waarde": ", ".join(node["diensten"]),
                    "tarief": str(tariff),
                }
        return {"bron": "json", "waarde": json.dumps(node, ensure_ascii=False)}
    if node is None:
        return {"bron": "", "waarde": ""}
    return {"bron": "bedrag", "waarde": str(node)}


def amount_node(bron: str, waarde: str, tarief: str = "") -> Any:
    """The inverse of `amount_fields`; None for an empty amount."""
    waarde = (waarde or "").strip()
    if not bron or not waarde:
        return None
    if bron == "parameter":
        return {"parameter": waarde}
    if bron == "stap":
        return {"stap": waarde}
    if bron == "diensten":
        services = [s.strip() for s in waarde.split(",") if s.strip()]
        return {"diensten": services, "tarief": {"parameter": (tarief or "uurtarief").strip()}}
    if bron == "json":
        return json.loads(waarde)
    return waarde  # a literal: the engine reads "3934300" or "84.70338"


def key_fields(node: Any) -> dict[str, Any]:
    """A key as flat fields: soort, maat, perioden, mix rows, vaste aandelen, stap."""
    if not isinstance(node, dict):
        return {"soort": ""}
    if "maat" in node and set(node) <= {"maat", "perioden", "bewerking"}:
        return {
            "soort": "maat",
            "maat": node["maat"],
            "perioden": ", ".join(node.get("perioden", [])),
            "bewerking": node.get("bewerking", ""),
        }
    if (
        set(node) == {"mix"}
        and all(
            isinstance(part.get("sleutel"), dict) and set(part["sleutel"]) == {"maat"}
            for part in node["mix"]
        )
        and len(node["mix"]) <= MIX_ROWS
    ):
        return {
            "soort": "mix",
            "mix": [(str(part["gewicht"]), part["sleutel"]["maat"]) for part in node["mix"]],
        }
    if set(node) == {"vast"}:
        return {
            "soort": "vast",
            "vast": "; ".join(f"{target}: {share}" for target, share in node["vast"].items()),
        }
    if set(node) == {"gelijk"}:
        return {"soort": "gelijk"}
    if set(node) == {"stap"}:
        return {"soort": "stap", "stap": node["stap"]}
    return {"soort": "json", "json": json.dumps(node, ensure_ascii=False)}


class EditorError(ValueError):
    """A field of the editor that cannot become part of a definition; says which, in Dutch."""


def key_node(fields: Mapping[str, Any]) -> dict | None:
    kind = fields.get("soort") or ""
    if kind == "maat":
        if not fields.get("maat"):
            raise EditorError("kies een maat voor de sleutel")
        node: dict[str, Any] = {"maat": fields["maat"]}
        periods = [p.strip() for p in (fields.get("perioden") or "").split(",") if p.strip()]
        if periods:
            node["perioden"] = periods
        if fields.get("bewerking"):
            node["bewerking"] = fields["bewerking"]
        return node
    if kind == "mix":
        parts = [(w, m) for w, m in fields.get("mix", []) if (w or "").strip() and m]
        if len(parts) < 2:
            raise EditorError("een mix heeft ten minste twee maten met elk een gewicht")
        return {"mix": [{"gewicht": w.strip(), "sleutel": {"maat": m}} for w, m in parts]}
    if kind == "vast":
        shares = {}
        for part in (fields.get("vast") or "").split(";"):
            if not part.strip():
                continue
            target, sep, share = part.partition(":")
            if not sep or not share.strip():
                raise EditorError(f"“{part.strip()}” is geen aandeel; schrijf bijvoorbeeld CG: 2/3")
            shares[target.strip()] = share.strip()
        if not shares:
            raise EditorError("vul de vaste aandelen in, bijvoorbeeld CG: 2/3; VV: 1/3")
        return {"vast": shares}
    if kind == "gelijk":
        return {"gelijk": True}
    if kind == "stap":
        if not fields.get("stap"):
            raise EditorError("kies de stap naar wier bedragen verdeeld wordt")
        return {"stap": fields["stap"]}
    if kind == "json":
        return json.loads(fields.get("json") or "null")
    return None


def weight_text(value: str) -> str:
    """A Dutch typed weight ("50%", "0,5", "1/2") as the engine reads it ("50%", "0.5", "1/2")."""
    return (value or "").strip().replace(",", ".")


def names_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(value)
    return str(value or "")


def names_node(text: str) -> str | list[str] | None:
    """`binnen`/`behalve`: a group code, or a list of names separated by commas."""
    names = [n.strip() for n in (text or "").split(",") if n.strip()]
    if not names:
        return None
    return names if len(names) > 1 or "," in text else names[0]


def new_step(kind: str, existing_ids: set[str]) -> dict:
    """An empty step of a kind, with a free id: the form fills it in."""
    base = {"verdeling": "verdeling", "productie": "productie", "tarief": "tarief"}.get(kind, kind)
    number, step_id = 1, base
    while step_id in existing_ids:
        number += 1
        step_id = f"{base}_{number}"
    step: dict[str, Any] = {"id": step_id, "soort": kind}
    if kind == "verdeling":
        step.update({"bedrag": {"parameter": "begroting"}, "sleutel": {"maat": "inwoners"}})
    elif kind == "productie":
        step.update({"tarief": {"parameter": "uurtarief"}, "regels": []})
    elif kind == "tarief":
        step.update({"tarief": "0", "per": {"maat": "inwoners"}})
    elif kind == "vast":
        step["bedragen"] = {}
    elif kind == "verrekening":
        step.update({"bedrag": "0", "ontvanger": "", "sleutel": {"maat": "inwoners"}})
    return step


def set_or_drop(step: dict, name: str, value: Any) -> None:
    """An empty optional field is left out of the definition, not written as empty."""
    if value in (None, "", [], {}):
        step.pop(name, None)
    else:
        step[name] = value
