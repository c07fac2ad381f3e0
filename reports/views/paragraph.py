"""The paragraaf verbonden partijen of a municipality for a year (web page and PDF, two
editions), and the page where its clerks write the vision and policy text that opens it."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from collaborations import selectors as collab_selectors
from collaborations.navigation import crumbs
from core.http import pdf_response, post_int, refuses_oversized_pdfs, run_and_say
from core.pagecache import published_page
from core.pdf import render_pdf
from reports import services
from reports.documents import paragraph_html
from reports.forms import PolicyForm
from reports.models import Edition
from reports.selectors import paragraph as selectors
from reports.selectors.overview import default_overview_year


def _editions(municipality, year: int) -> list[tuple[str, str, str]]:
    url = reverse("reports:paragraph", args=[municipality.slug, year])
    return [(code, label, f"{url}?editie={code}") for code, label in Edition.choices]


def paragraph_latest(request, municipality_slug):
    """The paragraph of the newest year with data."""
    municipality = collab_selectors.get_municipality(municipality_slug)
    year = default_overview_year(municipality, request.user)
    return HttpResponseRedirect(reverse("reports:paragraph", args=[municipality_slug, year]))


@published_page
def paragraph_page(request, municipality_slug, year):
    """The same paragraph for every reader: published versions only. Its editors also see
    whether the vision and policy text has changes the public does not see yet."""
    municipality = collab_selectors.get_municipality(municipality_slug)
    edition = selectors.requested_edition(request.GET.get("editie"))
    rights = selectors.paragraph_rights(request.user, municipality)
    may_see_concept = rights["can_edit_policy"] or rights["can_publish_policy"]
    policy = selectors.policy_for_editing(municipality, year) if may_see_concept else None
    return render(
        request,
        "reports/paragraph.html",
        {
            "municipality": municipality,
            "year": year,
            "paragraph": selectors.paragraph_for(municipality, year, edition),
            "editions": _editions(municipality, year),
            "policy": policy,
            **rights,
            "pdf_url": reverse("reports:paragraph-pdf", args=[municipality_slug, year])
            + f"?editie={edition}",
            "crumbs": crumbs(municipality, current=f"Paragraaf verbonden partijen {year}"),
        },
    )


@refuses_oversized_pdfs
def paragraph_pdf(request, municipality_slug, year):
    municipality = collab_selectors.get_municipality(municipality_slug)
    edition = selectors.requested_edition(request.GET.get("editie"))
    html = paragraph_html(municipality, year, edition)
    name = f"paragraaf-verbonden-partijen-{municipality_slug}-{year}-{edition}.pdf"
    return pdf_response(render_pdf(html), name)


class PolicyEditView(LoginRequiredMixin, View):
    """Write the vision and policy text (saved as a concept), publish it (the vaststeller), or
    take an earlier text back; every state is kept."""

    template_name = "reports/paragraph_policy.html"

    def _municipality(self, request, municipality_slug):
        municipality = collab_selectors.get_municipality(municipality_slug)
        rights = selectors.paragraph_rights(request.user, municipality)
        if not (rights["can_edit_policy"] or rights["can_publish_policy"]):
            raise PermissionDenied(
                "De visie en het beleid schrijven de invoerders en vaststellers van de gemeente."
            )
        return municipality

    def _render(self, request, municipality, year, form, status=200):
        policy = selectors.policy_for_editing(municipality, year)
        return render(
            request,
            self.template_name,
            {
                "municipality": municipality,
                "year": year,
                "policy": policy,
                "form": form,
                "history": selectors.policy_history(policy),
                **selectors.paragraph_rights(request.user, municipality),
                "paragraph_url": reverse("reports:paragraph", args=[municipality.slug, year]),
                "crumbs": crumbs(municipality, current=f"Visie en beleid {year}"),
            },
            status=status,
        )

    def get(self, request, municipality_slug, year):
        municipality = self._municipality(request, municipality_slug)
        policy = selectors.policy_for_editing(municipality, year)
        form = PolicyForm(initial={"text": policy.text, "version": policy.pk and policy.version})
        return self._render(request, municipality, year, form)

    def post(self, request, municipality_slug, year):
        municipality = self._municipality(request, municipality_slug)
        here = reverse("reports:paragraph-policy", args=[municipality_slug, year])
        action = request.POST.get("actie", "opslaan")
        if action in ("publiceren", "terugzetten"):
            common = {
                "user": request.user,
                "municipality": municipality,
                "year": year,
                "expected_version": post_int(request, "version"),
            }
            if action == "publiceren":
                write = partial(services.publish_policy, **common)
                done = "Gepubliceerd: de paragraaf toont nu deze tekst."
            else:
                history_id = post_int(request, "wijziging")
                write = partial(services.restore_policy, history_id=history_id, **common)
                done = "Teruggezet als concept. Ook dit staat in de geschiedenis."
            run_and_say(request, write, done=lambda _policy: done)
            return HttpResponseRedirect(here)
        form = PolicyForm(request.POST)
        if form.is_valid():
            try:
                services.save_policy(
                    user=request.user,
                    municipality=municipality,
                    year=year,
                    text=form.cleaned_data["text"],
                    expected_version=form.cleaned_data["version"],
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, " ".join(getattr(exc, "messages", [str(exc)])))
            else:
                messages.success(
                    request,
                    "Opgeslagen als concept. Het publiek ziet de tekst pas na publiceren.",
                )
                return HttpResponseRedirect(here)
        return self._render(request, municipality, year, form, status=400)
