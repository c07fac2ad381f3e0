"""The forms of the verdeelmodel's computation pages (indexatie, modules, uittreding): GET
forms that save nothing, so a bookmark or a shared link shows the same computation again.
Percentages are typed the Dutch way (`3,2`, `3,2%`, `70%`); every error names its field."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django import forms

from core.formatting import format_percent
from core.forms import DutchDecimalField, ErrorSummaryMixin, error_items

HUNDRED = Decimal(100)
# the defaults of the two exit-sum methods (docs/allocation-format.md, section 16)
EXIT_YEARS, EXIT_DECLINE, EXIT_FIXED_SHARE, EXIT_BRIDGING_YEARS = 5, 20, 100, 5
WAGE_WEIGHT, PRICE_WEIGHT = 70, 30
MAX_MODULES = 3
EQUAL = "gelijk"


def percent_field(label: str, *, low: int, high: int, **kwargs) -> DutchDecimalField:
    """A percentage between `low` and `high` (`3,2`, `3,2%`), to four decimals."""
    return DutchDecimalField(
        label=label,
        allow_percent=True,
        decimal_places=4,
        min_value=low,
        max_value=high,
        **kwargs,
    )


class ScenarioForm(ErrorSummaryMixin, forms.Form):
    """A computation page's form: bound as soon as the query holds one of its fields, so the
    first visit shows the form with its defaults and no errors."""

    def __init__(self, query: Mapping | None = None, **kwargs):
        prefix = kwargs.get("prefix") or self.prefix
        names = {f"{prefix}-{name}" if prefix else name for name in self.base_fields}
        submitted = query is not None and any(name in query for name in names)
        super().__init__(query if submitted else None, **kwargs)


class IndexationForm(ScenarioForm):
    """Index the budget by a wage and a price index with their weights (adding up to 100%),
    for one year or several, and show what a variant asks with the indexed budget."""

    basis = DutchDecimalField(label="Basisbudget (€)", min_value=0)
    loonindex = percent_field("Loonindex (%)", low=-50, high=100)
    loongewicht = percent_field("Gewicht lonen (%)", low=0, high=100, initial=Decimal(WAGE_WEIGHT))
    prijsindex = percent_field("Prijsindex (%)", low=-50, high=100)
    prijsgewicht = percent_field(
        "Gewicht prijzen (%)", low=0, high=100, initial=Decimal(PRICE_WEIGHT)
    )
    jaren = forms.IntegerField(
        label="Aantal jaren (optioneel)",
        required=False,
        min_value=1,
        max_value=10,
        help_text="Leeg: één jaar. Meer jaren: elk jaar dezelfde indexcijfers op het "
        "geïndexeerde budget van het jaar ervoor.",
    )
    variant = forms.ChoiceField(label="Variant")

    def __init__(
        self,
        query: Mapping | None = None,
        *,
        variants: list[tuple[str, str]],
        offered: Mapping[str, str] | None = None,
        **kwargs,
    ):
        super().__init__(query, **kwargs)
        self.fields["variant"].choices = variants
        for name, text in (offered or {}).items():
            self.fields[name].help_text = text

    def clean(self):
        cleaned = super().clean()
        wages, prices = cleaned.get("loongewicht"), cleaned.get("prijsgewicht")
        if wages is not None and prices is not None and wages + prices != HUNDRED:
            self.add_error(
                "prijsgewicht",
                f"De gewichten tellen op tot {format_percent(wages + prices)} in plaats van "
                f"100% (lonen {format_percent(wages)}, prijzen {format_percent(prices)}).",
            )
        return cleaned


class ModulesBasisForm(ScenarioForm):
    """The basic package of the modules page: a variant of the model, all participants."""

    variant = forms.ChoiceField(label="Basispakket: variant")

    def __init__(self, query: Mapping | None = None, *, variants: list[tuple[str, str]], **kw):
        super().__init__(query, **kw)
        self.fields["variant"].choices = variants


class ModuleForm(ScenarioForm):
    """One extra module: a name, an amount, a key and its own participants. Left empty, it is
    not part of the computation; filled in part, it says what is missing."""

    naam = forms.CharField(label="Naam", max_length=100, required=False)
    bedrag = DutchDecimalField(label="Bedrag (€)", required=False, min_value=0)
    sleutel = forms.ChoiceField(label="Verdelen naar", required=False)
    deelnemers = forms.MultipleChoiceField(
        label="Deelnemers", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        query: Mapping | None = None,
        *,
        number: int,
        keys: list[tuple[str, str]],
        names: list[str],
        **kwargs,
    ):
        self.number = number
        super().__init__(query, prefix=f"m{number}", **kwargs)
        self.fields["sleutel"].choices = [(EQUAL, "gelijke delen"), *keys]
        self.fields["deelnemers"].choices = [(name, name) for name in names]

    @property
    def legend(self) -> str:
        return f"Module {self.number}"

    def is_empty(self) -> bool:
        """Nothing typed or ticked: this module is not used."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return not (data.get("naam") or data.get("bedrag") is not None or data.get("deelnemers"))

    def clean(self):
        cleaned = super().clean()
        filled = cleaned.get("naam") or cleaned.get("bedrag") is not None
        if not (filled or cleaned.get("deelnemers")) or self.errors:
            return cleaned
        if not cleaned.get("naam"):
            self.add_error("naam", "Geef de module een naam.")
        if cleaned.get("bedrag") is None:
            self.add_error("bedrag", "Vul het bedrag van de module in.")
        if not cleaned.get("sleutel"):
            self.add_error("sleutel", "Kies hoe de module wordt verdeeld.")
        if not cleaned.get("deelnemers"):
            self.add_error("deelnemers", "Kies minstens één deelnemer.")
        return cleaned

    def error_summary(self) -> list[tuple[str, str, str]]:
        """The summary names the module too: "Module 2 – Bedrag (€)"."""
        return [
            (anchor, f"{self.legend} – {label}", text) for anchor, label, text in error_items(self)
        ]


class ExitForm(ScenarioForm):
    """Which municipality leaves under which variant, and the parameters of the two
    indications of its exit sum (defaults stated in the help texts)."""

    # the engine's names of its parameters (a DefinitionError's path) that are fields here
    ENGINE_FIELDS = frozenset(
        (
            "uittreder",
            "jaren",
            "afbouw",
            "overbruggingsjaren",
            "aandeel_vaste_kosten",
            "directe_kosten",
        )
    )

    variant = forms.ChoiceField(label="Variant")
    uittreder = forms.ChoiceField(label="Uittredende gemeente")
    jaren = forms.IntegerField(
        label="Methode a: aantal jaren",
        min_value=1,
        max_value=20,
        initial=EXIT_YEARS,
        help_text=f"Standaard {EXIT_YEARS} jaar.",
    )
    afbouw = percent_field(
        "Methode a: afbouw per jaar (%)",
        low=0,
        high=100,
        initial=Decimal(EXIT_DECLINE),
        help_text=f"Standaard {EXIT_DECLINE}% per jaar: 100%, 80%, 60%, 40%, 20%.",
    )
    aandeel_vaste_kosten = percent_field(
        "Methode b: aandeel vaste kosten (%)",
        low=0,
        high=100,
        initial=Decimal(EXIT_FIXED_SHARE),
        help_text=f"Standaard {EXIT_FIXED_SHARE}%: de hele bijdrage blijft als kosten achter.",
    )
    overbruggingsjaren = forms.IntegerField(
        label="Methode b: overbruggingsperiode (jaren)",
        min_value=1,
        max_value=20,
        initial=EXIT_BRIDGING_YEARS,
        help_text=f"Standaard {EXIT_BRIDGING_YEARS} jaar.",
    )
    directe_kosten = DutchDecimalField(
        label="Methode b: directe kosten per jaar (€, optioneel)",
        required=False,
        min_value=0,
        help_text="Leeg: de bijdrage × het aandeel vaste kosten.",
    )

    def __init__(
        self,
        query: Mapping | None = None,
        *,
        variants: list[tuple[str, str]],
        participants: list[str],
        **kwargs,
    ):
        super().__init__(query, **kwargs)
        self.fields["variant"].choices = variants
        self.fields["uittreder"].choices = [(name, name) for name in participants]
