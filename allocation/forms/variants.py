"""The variant editor's forms: the variant's name and final rounding, and one form per step with
the fields of its kind (`allocation.editor` translates to and from the definition)."""

from __future__ import annotations

import copy
import json
from typing import Any

from django import forms

from allocation import editor
from core.forms import ErrorSummaryMixin

NO_CHOICE = [("", "— kies —")]
VERSCHIL = [
    ("grootste_rest", "Grootste rest"),
    ("centrum", "De centrumgemeente van elke regio"),
]


class VariantForm(ErrorSummaryMixin, forms.Form):
    """The variant as a whole: code, name, description and the final rounding."""

    code = forms.RegexField(
        label="Code",
        max_length=20,
        regex=r"^[A-Za-z0-9_-]+$",
        error_messages={"invalid": "Alleen letters, cijfers, - en _."},
        help_text="Kort, zo staat de variant in de kolomkop, bijvoorbeeld D.",
    )
    name = forms.CharField(label="Naam", max_length=200)
    omschrijving = forms.CharField(
        label="Omschrijving",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    afronding_eenheid = forms.CharField(
        label="Eindafronding op",
        required=False,
        max_length=20,
        help_text="Bijvoorbeeld 1 of 100 (euro); leeg: op de cent.",
    )
    afronding_verschil = forms.ChoiceField(
        label="Afrondingsverschil naar", choices=VERSCHIL, required=False
    )
    afronding_per_groep = forms.BooleanField(label="Per regio afronden", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class StepForm(forms.Form):
    """One step; which fields it has depends on its kind (`soort`)."""

    def __init__(self, *args, kind: str, step: dict, choices: dict, **kwargs):
        self.kind, self.step = kind, step
        super().__init__(*args, initial=self._initial(step), **kwargs)
        measures = NO_CHOICE + choices["measures"]
        participants = NO_CHOICE + choices["participants"]
        steps = NO_CHOICE + choices["steps"]
        text = {"required": False, "max_length": 300}
        f = self.fields
        f["id"] = forms.SlugField(label="Naam van de stap (id)", max_length=60)
        f["origineel"] = forms.CharField(widget=forms.HiddenInput, required=False)
        f["omschrijving"] = forms.CharField(label="Omschrijving", **text)
        f["verwijderen"] = forms.BooleanField(label="Deze stap verwijderen", required=False)
        if kind != "bodem":
            f["component"] = forms.CharField(
                label="Onderdeel (component)", help_text="Leeg: de naam van de stap.", **text
            )
        if kind in ("verdeling", "verrekening"):
            self._amount("bedrag", "Bedrag", choices)
        if kind in ("productie", "tarief"):
            self._amount("tarief", "Tarief", choices)
        if kind in ("verdeling", "verrekening"):
            f["sleutel_soort"] = forms.ChoiceField(
                label="Sleutel", choices=NO_CHOICE + list(editor.KEY_KINDS.items()), required=False
            )
            f["sleutel_maat"] = forms.ChoiceField(label="Maat", choices=measures, required=False)
            f["sleutel_perioden"] = forms.CharField(
                label="Perioden", help_text="Leeg: de ene waarde; of 2016, 2017.", **text
            )
            for row in range(editor.MIX_ROWS):
                f[f"mix_{row}_gewicht"] = forms.CharField(
                    label=f"Mix {row + 1}: gewicht", help_text="50% of 0,5", **text
                )
                f[f"mix_{row}_maat"] = forms.ChoiceField(
                    label=f"Mix {row + 1}: maat", choices=measures, required=False
                )
            f["sleutel_vast"] = forms.CharField(
                label="Vaste aandelen", help_text="Bijvoorbeeld CG: 2/3; VV: 1/3", **text
            )
            f["sleutel_stap"] = forms.ChoiceField(label="Stap", choices=steps, required=False)
            f["sleutel_json"] = forms.CharField(
                label="Sleutel (JSON)", widget=forms.HiddenInput, required=False
            )
        if kind == "verdeling":
            f["over"] = forms.ChoiceField(
                label="Verdelen over",
                choices=[("deelnemers", "De gemeenten"), ("groepen", "De regio's (eerste fase)")],
            )
            f["per_groep"] = forms.BooleanField(
                label="Binnen elke regio apart verdelen (tweede fase)", required=False
            )
            f["basisbedrag"] = forms.CharField(label="Vast basisbedrag per deelnemer", **text)
            for row in range(len(step.get("vooraf", [])) + 1):
                f[f"vooraf_{row}_deelnemer"] = forms.ChoiceField(
                    label=f"Vooraf {row + 1}: deelnemer", choices=participants, required=False
                )
                f[f"vooraf_{row}_bron"] = forms.ChoiceField(
                    label=f"Vooraf {row + 1}: bedrag uit",
                    choices=NO_CHOICE + list(editor.AMOUNT_SOURCES.items()),
                    required=False,
                )
                f[f"vooraf_{row}_waarde"] = forms.CharField(
                    label=f"Vooraf {row + 1}: waarde", **text
                )
                f[f"vooraf_{row}_component"] = forms.CharField(
                    label=f"Vooraf {row + 1}: onderdeel", **text
                )
        if kind in ("verdeling", "tarief", "verrekening"):
            f["binnen"] = forms.CharField(
                label="Alleen binnen", help_text="Een regio, of namen met komma's.", **text
            )
            f["behalve"] = forms.CharField(label="Behalve", help_text="Namen met komma's.", **text)
        if kind in ("verdeling", "tarief"):
            f["afronding_eenheid"] = forms.CharField(
                label="Stap afronden op", help_text="Leeg: niet afronden.", **text
            )
            f["afronding_verschil"] = forms.ChoiceField(
                label="Afrondingsverschil naar", choices=VERSCHIL, required=False
            )
        if kind == "tarief":
            f["per_maat"] = forms.ChoiceField(label="Per eenheid van", choices=measures)
            f["basisbedrag"] = forms.CharField(label="Vast basisbedrag per deelnemer", **text)
        if kind == "productie":
            service_choices = NO_CHOICE + choices["services"]
            for row in range(len(step.get("regels", [])) + 1):
                f[f"regel_{row}_dienst"] = forms.ChoiceField(
                    label=f"Dienst {row + 1}", choices=service_choices, required=False
                )
                f[f"regel_{row}_maat"] = forms.ChoiceField(
                    label=f"Dienst {row + 1}: naar maat", choices=measures, required=False
                )
        if kind == "vast":
            for row in range(len(step.get("bedragen", {})) + 2):
                f[f"vast_{row}_deelnemer"] = forms.ChoiceField(
                    label=f"Bedrag {row + 1}: deelnemer", choices=participants, required=False
                )
                f[f"vast_{row}_bedrag"] = forms.CharField(label=f"Bedrag {row + 1}", **text)
        if kind == "verrekening":
            f["ontvanger"] = forms.ChoiceField(label="Ontvanger", choices=participants)
        if kind == "bodem":
            f["minimum"] = forms.CharField(label="Minimum", help_text="Leeg: 0.", **text)
            f["opvanger"] = forms.CharField(
                label="Wie het verschil draagt", help_text="Een gemeente, of centrum.", **text
            )
            f["component"] = forms.CharField(label="Onderdeel (component)", **text)
        self._disclose()

    def _amount(self, name: str, label: str, choices: dict) -> None:
        self.fields[f"{name}_bron"] = forms.ChoiceField(
            label=f"{label}: uit",
            choices=NO_CHOICE + list(editor.AMOUNT_SOURCES.items()),
            required=False,
        )
        self.fields[f"{name}_waarde"] = forms.CharField(
            label=f"{label}: welke",
            required=False,
            max_length=2000,
            help_text="De code van de parameter of stap, het bedrag (3934300), of de diensten "
            "met komma's.",
        )
        self.fields[f"{name}_tarief"] = forms.CharField(
            label=f"{label}: uurtarief (parameter)", required=False, max_length=60
        )

    def _disclose(self) -> None:
        """Mark the fields that only matter for one choice of a select in the same step (the
        key's kind, the amount's source): `static/js/disclose.js` hides them until that choice
        is made, so the officer sees the fields of the chosen kind only. Without JavaScript
        every field shows."""
        shown_for = {
            "sleutel_maat": ("sleutel_soort", "maat"),
            "sleutel_perioden": ("sleutel_soort", "maat"),
            "sleutel_vast": ("sleutel_soort", "vast"),
            "sleutel_stap": ("sleutel_soort", "stap"),
            **{
                f"mix_{row}_{part}": ("sleutel_soort", "mix")
                for row in range(editor.MIX_ROWS)
                for part in ("gewicht", "maat")
            },
            **{
                f"{name}_{part}": (f"{name}_bron", sources)
                for name in ("bedrag", "tarief")
                for part, sources in (
                    ("waarde", "parameter stap bedrag diensten"),
                    ("tarief", "diensten"),
                )
            },
        }
        for field, (controller, values) in shown_for.items():
            if field in self.fields and controller in self.fields:
                self.fields[field].widget.attrs.update(
                    {"data-toon-bij": self.add_prefix(controller), "data-toon-waarden": values}
                )

    @staticmethod
    def _initial(step: dict) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "id": step.get("id", ""),
            "origineel": json.dumps(step, ensure_ascii=False),
            "omschrijving": step.get("omschrijving", ""),
            "component": step.get("component", ""),
            "over": step.get("over", "deelnemers"),
            "per_groep": bool(step.get("per_groep")),
            "basisbedrag": str(step.get("basisbedrag", "")),
            "binnen": editor.names_text(step.get("binnen")),
            "behalve": editor.names_text(step.get("behalve")),
            "ontvanger": step.get("ontvanger", ""),
            "minimum": str(step.get("minimum", "")),
            "opvanger": step.get("opvanger", ""),
        }
        for name in ("bedrag", "tarief"):
            if name in step:
                for part, value in editor.amount_fields(step[name]).items():
                    initial[f"{name}_{part}"] = value
        if "sleutel" in step:
            key = editor.key_fields(step["sleutel"])
            initial["sleutel_soort"] = key["soort"]
            initial["sleutel_maat"] = key.get("maat", "")
            initial["sleutel_perioden"] = key.get("perioden", "")
            initial["sleutel_vast"] = key.get("vast", "")
            initial["sleutel_stap"] = key.get("stap", "")
            initial["sleutel_json"] = key.get("json", "")
            for row, (weight, measure) in enumerate(key.get("mix", [])):
                initial[f"mix_{row}_gewicht"] = weight
                initial[f"mix_{row}_maat"] = measure
        if "per" in step:
            initial["per_maat"] = step["per"].get("maat", "")
        rounding = step.get("afronding") or {}
        initial["afronding_eenheid"] = str(rounding.get("eenheid", ""))
        initial["afronding_verschil"] = (
            rounding.get("verschil")
            if isinstance(rounding.get("verschil"), str)
            else "grootste_rest"
        )
        for row, upfront in enumerate(step.get("vooraf", [])):
            initial[f"vooraf_{row}_deelnemer"] = upfront.get("deelnemer", "")
            amount = editor.amount_fields(upfront.get("bedrag"))
            initial[f"vooraf_{row}_bron"] = amount["bron"]
            initial[f"vooraf_{row}_waarde"] = amount["waarde"]
            initial[f"vooraf_{row}_component"] = upfront.get("component", "")
        for row, line in enumerate(step.get("regels", [])):
            initial[f"regel_{row}_dienst"] = line.get("dienst", "")
            initial[f"regel_{row}_maat"] = (line.get("sleutel") or {}).get("maat", "")
        for row, (name, amount) in enumerate((step.get("bedragen") or {}).items()):
            initial[f"vast_{row}_deelnemer"] = name
            initial[f"vast_{row}_bedrag"] = str(amount)
        return initial

    def key_is_json_only(self) -> bool:
        return self.initial.get("sleutel_soort") == "json"

    @property
    def kind_label(self) -> str:
        return editor.KINDS.get(self.kind, self.kind)

    @property
    def groups(self) -> list[tuple[str, list]]:
        return step_groups(self)

    def to_step(self) -> dict:
        """The step as the definition holds it: the original with the form's fields applied.
        Raises `editor.EditorError` naming the field that cannot be read."""
        d = self.cleaned_data
        step = copy.deepcopy(self.step)
        step["id"] = d["id"]
        step["soort"] = self.kind
        editor.set_or_drop(step, "omschrijving", d.get("omschrijving", "").strip())
        if "component" in d:
            editor.set_or_drop(step, "component", d.get("component", "").strip())
        for name in ("bedrag", "tarief"):
            if f"{name}_bron" in d:
                try:
                    node = editor.amount_node(
                        d[f"{name}_bron"], d[f"{name}_waarde"], d.get(f"{name}_tarief", "")
                    )
                except ValueError as exc:
                    raise editor.EditorError(f"{name}: geen geldig JSON-bedrag") from exc
                if node is None:
                    raise editor.EditorError(f"vul het {name} in")
                step[name] = node
        if "sleutel_soort" in d:
            fields = {
                "soort": d["sleutel_soort"],
                "maat": d.get("sleutel_maat"),
                "perioden": d.get("sleutel_perioden"),
                "vast": d.get("sleutel_vast"),
                "stap": d.get("sleutel_stap"),
                "json": d.get("sleutel_json"),
                "mix": [
                    (editor.weight_text(d.get(f"mix_{r}_gewicht", "")), d.get(f"mix_{r}_maat"))
                    for r in range(editor.MIX_ROWS)
                ],
            }
            try:
                key = editor.key_node(fields)
            except json.JSONDecodeError as exc:
                raise editor.EditorError("sleutel: geen geldig JSON") from exc
            if key is None:
                raise editor.EditorError("kies een sleutel")
            step["sleutel"] = key
        if self.kind == "verdeling":
            editor.set_or_drop(step, "over", "groepen" if d.get("over") == "groepen" else None)
            editor.set_or_drop(step, "per_groep", True if d.get("per_groep") else None)
            upfront = []
            row = 0
            while f"vooraf_{row}_deelnemer" in d:
                who = d[f"vooraf_{row}_deelnemer"]
                if who:
                    amount = editor.amount_node(d[f"vooraf_{row}_bron"], d[f"vooraf_{row}_waarde"])
                    if amount is None:
                        raise editor.EditorError(f"vooraf {row + 1}: vul het bedrag in")
                    entry = {"deelnemer": who, "bedrag": amount}
                    if d.get(f"vooraf_{row}_component"):
                        entry["component"] = d[f"vooraf_{row}_component"].strip()
                    upfront.append(entry)
                row += 1
            editor.set_or_drop(step, "vooraf", upfront)
        if "basisbedrag" in d:
            editor.set_or_drop(step, "basisbedrag", d["basisbedrag"].strip().replace(",", "."))
        for name in ("binnen", "behalve"):
            if name in d:
                names = editor.names_node(d[name])
                # `behalve` is always a list; `binnen` a group code or a list of names
                as_list = name == "behalve" or isinstance(self.step.get(name), list)
                if isinstance(names, str) and as_list:
                    names = [names]
                editor.set_or_drop(step, name, names)
        if "afronding_eenheid" in d:
            unit = d["afronding_eenheid"].strip().replace(",", ".")
            if unit:
                rounding = dict(step.get("afronding") or {})
                rounding["eenheid"] = unit
                rounding["verschil"] = d.get("afronding_verschil") or "grootste_rest"
                step["afronding"] = rounding
            else:
                step.pop("afronding", None)
        if self.kind == "tarief":
            per = dict(step.get("per") or {})
            per["maat"] = d["per_maat"]
            step["per"] = per
        if self.kind == "productie":
            lines, row = [], 0
            old = step.get("regels", [])
            while f"regel_{row}_dienst" in d:
                service, measure = d[f"regel_{row}_dienst"], d[f"regel_{row}_maat"]
                if service:
                    if not measure:
                        raise editor.EditorError(f"dienst {row + 1}: kies de maat")
                    line = dict(old[row]) if row < len(old) else {}
                    line["dienst"] = service
                    key = dict(line.get("sleutel") or {})
                    key["maat"] = measure
                    line["sleutel"] = key
                    lines.append(line)
                row += 1
            step["regels"] = lines
        if self.kind == "vast":
            amounts, row = {}, 0
            while f"vast_{row}_deelnemer" in d:
                who, amount = d[f"vast_{row}_deelnemer"], d[f"vast_{row}_bedrag"].strip()
                if who and amount:
                    amounts[who] = amount.replace(".", "").replace(",", ".")
                row += 1
            step["bedragen"] = amounts
        if self.kind == "verrekening":
            step["ontvanger"] = d["ontvanger"]
        if self.kind == "bodem":
            editor.set_or_drop(step, "minimum", d.get("minimum", "").strip().replace(",", "."))
            editor.set_or_drop(step, "opvanger", d.get("opvanger", "").strip())
        return step


def final_rounding(cleaned: dict, original: dict | None) -> dict | None:
    """The variant's final rounding from the form (None: to the cent, largest remainder)."""
    unit = (cleaned.get("afronding_eenheid") or "").strip().replace(",", ".")
    if not unit:
        return None
    rounding = dict(original or {})
    rounding.pop("eenheden", None)
    rounding["eenheid"] = unit
    rounding["verschil"] = cleaned.get("afronding_verschil") or "grootste_rest"
    if cleaned.get("afronding_per_groep"):
        rounding["per_groep"] = True
    else:
        rounding.pop("per_groep", None)
    return rounding


class CopyVariantForm(ErrorSummaryMixin, forms.Form):
    """A new variant as a copy of an existing one (or empty), with its own code and name."""

    van = forms.ChoiceField(label="Beginnen met")
    code = VariantForm.base_fields["code"]
    name = VariantForm.base_fields["name"]

    def __init__(self, *args, variants: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["van"].choices = [*variants, ("", "Een lege variant (één verdeelstap)")]
        self.fields["van"].required = False


class UploadVariantForm(ErrorSummaryMixin, forms.Form):
    """A variant as a JSON document (format verdeelmodel/1), e.g. one downloaded and edited."""

    bestand = forms.FileField(label="JSON-document (verdeelmodel/1)")

    def clean_bestand(self):
        upload = self.cleaned_data["bestand"]
        if upload.size > 256 * 1024:
            raise forms.ValidationError("Het document is te groot: hoogstens 256 kB.")
        try:
            document = json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise forms.ValidationError(f"Dit is geen leesbaar JSON-document: {exc}") from exc
        if not isinstance(document, dict):
            raise forms.ValidationError("Een variant is een JSON-object met stappen.")
        return document


GROUPS = (
    ("Stap", ("id", "omschrijving", "component")),
    ("Bedrag", ("bedrag_", "tarief_")),
    ("Sleutel", ("sleutel_",)),
    ("Mix van maten", ("mix_",)),
    ("Bedragen vooraf", ("vooraf_",)),
    ("Diensten", ("regel_",)),
    ("Vaste bedragen", ("vast_",)),
    (
        "Opties",
        (
            "over",
            "per_groep",
            "basisbedrag",
            "binnen",
            "behalve",
            "per_maat",
            "ontvanger",
            "minimum",
            "opvanger",
            "afronding_",
        ),
    ),
    ("", ("verwijderen",)),
)


def step_groups(form: StepForm) -> list[tuple[str, list]]:
    """The step's visible fields in groups with a heading, in a fixed order, for the page."""
    groups, seen = [], set()
    for heading, prefixes in GROUPS:
        fields = [
            form[name]
            for name in form.fields
            if name not in seen
            and not form[name].is_hidden
            and any(name == p or (p.endswith("_") and name.startswith(p)) for p in prefixes)
        ]
        seen.update(f.name for f in fields)
        if fields:
            groups.append((heading, fields))
    return groups
