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


def years_field(label: str, *, high: int, **kwargs) -> forms.IntegerField:
    """A number of years, typed in a text box (a number box is too small and spins)."""
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=high,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        **kwargs,
    )


def grouped_summary(form: forms.Form, groups: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """The error summary with the group of a field before its label ("Module 2 – Naam"), so
    each message names its field also where labels repeat across fieldsets."""
    by_anchor = {form[name].auto_id: group for name, group in groups.items()}
    items = []
    for anchor, label, text in error_items(form):
        group = by_anchor.get(anchor.removesuffix("_0"))
        items.append((anchor, f"{group} – {label}" if group else label, text))
    return items


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


def share_field(label: str, default: int, help_text: str = "") -> DutchDecimalField:
    """A share of 0 to 100%, with its default."""
    return percent_field(label, low=0, high=100, initial=Decimal(default), help_text=help_text)


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
    loongewicht = share_field("Gewicht lonen (%)", WAGE_WEIGHT)
    prijsindex = percent_field("Prijsindex (%)", low=-50, high=100)
    prijsgewicht = share_field("Gewicht prijzen (%)", PRICE_WEIGHT)
    jaren = years_field(
        "Aantal jaren (optioneel)",
        high=10,
        required=False,
        help_text="Leeg: één jaar. Meer jaren: elk jaar op het budget van het jaar ervoor.",
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
        label="Deelnemers",
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "municipality-list"}),
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
        return grouped_summary(self, dict.fromkeys(self.fields, self.legend))


class ExitForm(ScenarioForm):
    """Which municipality leaves under which variant, and the parameters of the two
    indications of its exit sum (defaults stated in the help texts)."""

    # the fieldset of each parameter of the two methods
    METHODS = {
        "jaren": "Methode a",
        "afbouw": "Methode a",
        "aandeel_vaste_kosten": "Methode b",
        "overbruggingsjaren": "Methode b",
        "directe_kosten": "Methode b",
    }
    # the engine's names of its parameters (a DefinitionError's path) that are fields here
    ENGINE_FIELDS = frozenset({"uittreder", *METHODS})

    variant = forms.ChoiceField(label="Variant")
    uittreder = forms.ChoiceField(label="Uittredende gemeente")
    jaren = years_field(
        "Aantal jaren", high=20, initial=EXIT_YEARS, help_text=f"Standaard {EXIT_YEARS} jaar."
    )
    afbouw = share_field(
        "Afbouw per jaar (%)",
        EXIT_DECLINE,
        f"Standaard {EXIT_DECLINE}% per jaar: 100%, 80%, 60%, 40%, 20%.",
    )
    aandeel_vaste_kosten = share_field(
        "Aandeel vaste kosten (%)",
        EXIT_FIXED_SHARE,
        f"Standaard {EXIT_FIXED_SHARE}%: de hele bijdrage blijft als kosten achter.",
    )
    overbruggingsjaren = years_field(
        "Overbruggingsperiode (jaren)",
        high=20,
        initial=EXIT_BRIDGING_YEARS,
        help_text=f"Standaard {EXIT_BRIDGING_YEARS} jaar.",
    )
    directe_kosten = DutchDecimalField(
        label="Directe kosten per jaar (€, optioneel)",
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

    def error_summary(self) -> list[tuple[str, str, str]]:
        """The method's name before a parameter's label: "Methode a – Afbouw per jaar (%)"."""
        return grouped_summary(self, self.METHODS)
