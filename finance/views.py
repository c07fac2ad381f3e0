"""Thin views for entering money: a grid per table per year, and the split key."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from collaborations import selectors as collab_selectors
from collaborations.navigation import crumbs, participation_context
from collaborations.permissions import user_can_edit
from core.forms import non_field_items
from core.locking import StaleVersionError

from . import selectors, services
from .forms import GridFormSet, SplitKeyFormSet, SplitKeyVersionForm, TableMetaForm, cell_text
from .models import Kind, Table
from .money import EMPTY
from .permissions import can_edit_table
from .presentation import FIRST_COLUMN, columns


class TableGridView(LoginRequiredMixin, View):
    """One table of one year as an editable grid: add, remove, reorder lines; copy last year."""

    template_name = "finance/grid.html"

    def _context(self, request, municipality_slug, slug, year, table):
        participation = collab_selectors.get_participation(municipality_slug, slug)
        table = selectors.get_table(table)
        if not can_edit_table(request.user, participation, table):
            collab_selectors.refuse(
                participation, year, request.user, "U mag deze tabel niet wijzigen."
            )
        collab_selectors.year_record_for_edit(participation, year)  # the year must exist
        headers = [h for *_, h in columns(year)]
        first_column = FIRST_COLUMN.get(table, "Categorie")
        return participation, table, headers, first_column

    def _initial(self, participation, table, year, copy: bool):
        table_year, previous, lines, amounts = selectors.table_year_for_edit(
            participation, table, year, copy=copy
        )
        rows = [
            {
                "label": line.label,
                "begroting": cell_text(amounts.get((line.pk, year, Kind.BEGROTING), EMPTY)),
                "realisatie": cell_text(amounts.get((line.pk, year, Kind.REALISATIE), EMPTY)),
                "begroting_volgend": cell_text(
                    amounts.get((line.pk, year + 1, Kind.BEGROTING), EMPTY)
                ),
                "ORDER": i + 1,
            }
            for i, line in enumerate(lines)
        ]
        neighbours = selectors.neighbour_versions(participation, table, year)
        meta = {
            "version": table_year.version if table_year else None,
            "version_previous": neighbours[year - 1],
            "version_next": neighbours[year + 1],
            "not_applicable": bool(table_year and table_year.not_applicable),
        }
        return rows, meta, previous, table_year

    def _render(self, request, participation, table, year, formset, meta_form, extra, status=200):
        context = {
            **participation_context(participation),
            "year": year,
            "table": table,
            "table_title": Table(table).label,
            "formset": formset,
            "meta_form": meta_form,
            "error_items": [*non_field_items(meta_form), *formset.error_summary()]
            if formset.is_bound
            else [],
            "crumbs": crumbs(participation.municipality, participation, year, Table(table).label),
            **extra,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, municipality_slug, slug, year, table):
        participation, table, headers, first_column = self._context(
            request, municipality_slug, slug, year, table
        )
        rows, meta, previous, table_year = self._initial(
            participation, table, year, copy=request.GET.get("kopieer") == "1"
        )
        formset = GridFormSet(
            initial=rows, prefix="regel", headers=headers, first_column=first_column
        )
        extra = {
            "can_copy": table_year is None and previous is not None,
            "headers": headers,
            "first_column": first_column,
        }
        return self._render(
            request, participation, table, year, formset, TableMetaForm(initial=meta), extra
        )

    def post(self, request, municipality_slug, slug, year, table):
        participation, table, headers, first_column = self._context(
            request, municipality_slug, slug, year, table
        )
        formset = GridFormSet(
            request.POST, prefix="regel", headers=headers, first_column=first_column
        )
        meta_form = TableMetaForm(request.POST)
        extra = {"can_copy": False, "headers": headers, "first_column": first_column}
        if formset.is_valid() and meta_form.is_valid():
            data = meta_form.cleaned_data
            rows = formset.grid_rows()
            lost = selectors.figures_lost(
                participation,
                table,
                year,
                None if data["not_applicable"] else {row.label for row in rows},
            )
            current = selectors.table_version(participation, table, year)
            if lost and not data["confirm_loss"] and current == data["version"]:
                # Nothing is destroyed by one click: say what would go, keep the input.
                extra["confirm_lost"] = lost
                return self._render(
                    request, participation, table, year, formset, meta_form, extra, 409
                )
            sent = {
                other: data[field]
                for other, field in ((year - 1, "version_previous"), (year + 1, "version_next"))
                if field in request.POST
            }
            try:
                services.save_table_year(
                    user=request.user,
                    participation=participation,
                    table=table,
                    year=year,
                    rows=rows,
                    not_applicable=data["not_applicable"],
                    expected_version=data["version"],
                    expected_neighbour_versions=sent,
                )
            except StaleVersionError as exc:
                # the conflict screen: what is saved now beside the user's input, which is kept
                meta_form.add_error(None, exc)
                saved_rows, saved_meta, _previous, _table_year = self._initial(
                    participation, table, year, copy=False
                )
                extra["saved_rows"] = saved_rows
                meta_form.data = meta_form.data.copy()
                for field in ("version", "version_previous", "version_next"):
                    value = saved_meta[field]
                    meta_form.data[field] = "" if value is None else str(value)
            except ValidationError as exc:
                meta_form.add_error(None, exc)
            else:
                messages.success(request, f"{Table(table).label} {year} opgeslagen.")
                url = reverse("reports:year", args=[municipality_slug, slug, year])
                return HttpResponseRedirect(f"{url}#tabel-{table}")
        return self._render(request, participation, table, year, formset, meta_form, extra, 400)


class SplitKeyView(LoginRequiredMixin, View):
    template_name = "finance/split_key.html"

    def _load(self, request, municipality_slug, slug, year):
        participation = collab_selectors.get_participation(municipality_slug, slug)
        if not user_can_edit(request.user, participation.municipality):
            collab_selectors.refuse(
                participation,
                year,
                request.user,
                "U mag de gegevens van deze gemeente niet wijzigen.",
            )
        record = collab_selectors.year_record_for_edit(participation, year)
        labels = [line.label for line in selectors.perspective_lines(participation, Table.KOSTEN)]
        return participation, record, labels

    def _render(self, request, participation, record, formset, version_form, status=200):
        return render(
            request,
            self.template_name,
            {
                **participation_context(participation),
                "record": record,
                "formset": formset,
                "version_form": version_form,
                "error_items": [*non_field_items(version_form), *formset.error_summary()]
                if formset.is_bound
                else [],
                "crumbs": crumbs(
                    participation.municipality, participation, record.year, "Verdeelsleutel"
                ),
            },
            status=status,
        )

    def get(self, request, municipality_slug, slug, year):
        participation, record, labels = self._load(request, municipality_slug, slug, year)
        initial = [
            {
                "kind": c.kind,
                "omschrijving": c.omschrijving,
                "basis": c.basis,
                "base_amount": c.base_amount,
                "share_percent": c.share_percent,
                "fixed_amount": c.fixed_amount,
                "applies_to_year": c.applies_to_year,
                "kosten_line_label": c.kosten_line.label if c.kosten_line else "",
            }
            for c in record.split_key_components.select_related("kosten_line")
        ]
        formset = SplitKeyFormSet(initial=initial, prefix="sleutel", line_choices=labels)
        version_form = SplitKeyVersionForm(initial={"version": record.version})
        return self._render(request, participation, record, formset, version_form)

    def post(self, request, municipality_slug, slug, year):
        participation, record, labels = self._load(request, municipality_slug, slug, year)
        formset = SplitKeyFormSet(request.POST, prefix="sleutel", line_choices=labels)
        version_form = SplitKeyVersionForm(request.POST)
        if formset.is_valid() and version_form.is_valid():
            components = [
                f.to_input()
                for f in formset.forms
                if f.cleaned_data and f not in formset.deleted_forms
            ]
            try:
                services.save_split_key(
                    user=request.user,
                    record=record,
                    components=components,
                    expected_version=version_form.cleaned_data["version"],
                )
            except ValidationError as exc:
                version_form.add_error(None, exc)
            else:
                messages.success(request, "Verdeelsleutel opgeslagen.")
                url = reverse("reports:year", args=[municipality_slug, slug, year])
                return HttpResponseRedirect(f"{url}#aandeel")
        return self._render(request, participation, record, formset, version_form, 400)
