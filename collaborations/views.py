"""Thin views of section C (edit a section, start a new year), of a municipality's perspective
and the shared record of a partnership (edit a block), and of the beheerder's page Rollen
(grant and withdraw roles, make logins).

Read through selectors, write through services, render templates."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from core.converters import year_or_none
from core.http import post_int, run_and_say
from core.locking import FieldConflict

from . import selectors, services
from .forms import SECTION_FORMS, LoginCreateForm, MotievenForm, RoleForm
from .forms.joining import EndParticipationForm, NewPartnershipForm, SearchForm
from .forms.records import PERSPECTIVE_BLOCKS, PartnershipForm
from .navigation import crumbs, participation_context
from .permissions import can_coordinate, can_manage_roles, user_can_edit
from .services import joining
from .services import roles as role_services


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "collaborations/home.html", {"municipalities": selectors.municipality_list()}
    )


class YearSectionEditView(LoginRequiredMixin, View):
    """Edit one section of section C for a year. The rest of the input survives any error."""

    template_name = "collaborations/year_edit.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if kwargs["section"] not in SECTION_FORMS:
            raise Http404("Onbekend onderdeel.")
        self.title, self.form_class = SECTION_FORMS[kwargs["section"]]

    def _load(self, request, municipality_slug, slug, year):
        participation = selectors.get_participation(municipality_slug, slug)
        if not user_can_edit(request.user, participation.municipality):
            selectors.refuse(
                participation,
                year,
                request.user,
                "U mag de gegevens van deze gemeente niet wijzigen.",
            )
        record = selectors.year_record_for_edit(participation, year)
        return participation, record

    def _form(self, record, data=None):
        if self.form_class is MotievenForm:
            return MotievenForm(data, motives=selectors.motive_catalogue(), record=record)
        if hasattr(self.form_class, "service"):  # the BBV figures and the risks (forms/bbv.py)
            return self.form_class(data, record=record)
        return self.form_class(data, instance=record)

    def _render(self, request, participation, record, form, status=200):
        return render(
            request,
            self.template_name,
            {
                **participation_context(participation),
                "record": record,
                "form": form,
                "title": self.title,
                "section": self.kwargs["section"],
                "crumbs": crumbs(
                    participation.municipality, participation, record.year, "Bewerken"
                ),
            },
            status=status,
        )

    def get(self, request, municipality_slug, slug, year, section):
        participation, record = self._load(request, municipality_slug, slug, year)
        return self._render(request, participation, record, self._form(record))

    def post(self, request, municipality_slug, slug, year, section):
        participation, record = self._load(request, municipality_slug, slug, year)
        form = self._form(record, request.POST)
        if form.is_valid():
            try:
                if hasattr(form, "service"):
                    form.service(
                        user=request.user,
                        expected_version=form.cleaned_data["version"],
                        original=form.original_values(),
                        **form.service_kwargs(),
                    )
                elif isinstance(form, MotievenForm):
                    services.update_motives(
                        user=request.user,
                        record=record,
                        expected_version=form.cleaned_data["version"],
                        original=form.original_values(),
                        **form.to_service_data(),
                    )
                else:
                    fields = {
                        k: v
                        for k, v in form.cleaned_data.items()
                        if k not in ("version", "original")
                    }
                    services.update_year_record(
                        user=request.user,
                        record=record,
                        fields=fields,
                        expected_version=form.cleaned_data["version"],
                        original=form.original_values(),
                    )
            except FieldConflict as exc:
                form.add_error(None, exc)
                saved = selectors.year_record_for_edit(participation, year)
                form.show_conflict(exc.saved, saved.version, form.current_values(saved))
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, f"{self.title} opgeslagen.")
                url = reverse("reports:year", args=[municipality_slug, slug, year])
                return HttpResponseRedirect(f"{url}#{section}")
        return self._render(request, participation, record, form, status=400)


class StartYearView(LoginRequiredMixin, View):
    """ "Nieuw jaar starten: 2018": the button names the year, so pressing it twice gives that
    one year (the second press just opens it)."""

    def post(self, request, municipality_slug, slug):
        participation = selectors.get_participation(municipality_slug, slug)
        back = reverse("reports:partnership", args=[municipality_slug, slug])
        raw = request.POST.get("year", "")
        try:
            year = int(raw) if raw else None
        except ValueError:
            messages.error(request, f"Jaar: “{raw}” is geen jaartal.")
            return HttpResponseRedirect(back)
        existed = year is not None and participation.years.filter(year=year).exists()
        try:
            record = services.start_new_year(
                user=request.user, participation=participation, year=year
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(back)
        if existed:
            messages.info(request, f"Jaar {record.year} bestond al; u ziet het hieronder.")
        elif record.copied_from is None:
            messages.success(request, f"Jaar {record.year} is aangemaakt als leeg concept.")
        else:
            messages.success(
                request,
                f"Jaar {record.year} is aangemaakt als concept, met de antwoorden van "
                f"{record.copied_from.year}. Kijk elk onderdeel na en publiceer het jaar daarna.",
            )
        return HttpResponseRedirect(
            reverse("reports:year", args=[municipality_slug, slug, record.year])
        )


class _RecordEditView(LoginRequiredMixin, View):
    """Edit one block of the partnership page: a form, perhaps with a table (formset). The
    input survives every error; a save on a replaced version shows what is saved now."""

    template_name = "collaborations/record_edit.html"
    title = ""
    form_class = None

    def load(self, request, municipality_slug, slug):
        """(participation for the page's header, the record the form edits)"""
        raise NotImplementedError

    def _render(self, request, participation, form, formset, status=200, saved=None):
        items = form.error_summary() + (formset.error_summary() if formset is not None else [])
        return render(
            request,
            self.template_name,
            {
                **participation_context(participation),
                "form": form,
                "formset": formset,
                "error_items": items,
                "saved": saved,
                "title": self.title,
                "part": self.kwargs.get("block", "samenwerking"),
                "back_url": self.back_url(participation, form.anchor),
                "crumbs": crumbs(participation.municipality, participation, None, "Bewerken"),
            },
            status=status,
        )

    def back_url(self, participation, anchor: str = "") -> str:
        url = reverse(
            "reports:partnership",
            args=[participation.municipality.slug, participation.partnership.slug],
        )
        return f"{url}#{anchor}" if anchor else url

    def get(self, request, municipality_slug, slug, **kwargs):
        participation, record = self.load(request, municipality_slug, slug)
        form = self.form_class(instance=record)
        return self._render(request, participation, form, form.make_formset())

    def post(self, request, municipality_slug, slug, **kwargs):
        participation, record = self.load(request, municipality_slug, slug)
        form = self.form_class(request.POST, instance=record)
        formset = form.make_formset(request.POST)
        saved = None
        if form.is_valid() and (formset is None or formset.is_valid()):
            try:
                form.service(
                    user=request.user,
                    expected_version=form.cleaned_data["version"],
                    original=form.original_values(),
                    **form.service_kwargs(formset),
                )
            except FieldConflict as exc:
                form.add_error(None, exc)
                _participation, saved = self.load(request, municipality_slug, slug)
                form.show_conflict(exc.saved, saved.version, form.current_values(saved))
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, f"{self.title} opgeslagen.")
                return HttpResponseRedirect(self.back_url(participation, form.anchor))
        return self._render(request, participation, form, formset, status=400, saved=saved)


def _add_errors(form, exc: ValidationError) -> None:
    """A refused save on the form: at its field where the form has one, else at the top."""
    if hasattr(exc, "error_dict") and set(exc.error_dict) <= set(form.fields):
        form.add_error(None, exc)
    else:
        form.add_error(None, ValidationError(exc.messages))


class PerspectiveEditView(_RecordEditView):
    """A block of the municipality's perspective, for its invoerder: belang, bestuur, proces."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if kwargs["block"] not in PERSPECTIVE_BLOCKS:
            raise Http404("Onbekend onderdeel.")
        self.title, self.form_class = PERSPECTIVE_BLOCKS[kwargs["block"]]

    def load(self, request, municipality_slug, slug):
        participation = selectors.perspective_for_edit(municipality_slug, slug)
        if not user_can_edit(request.user, participation.municipality):
            raise PermissionDenied(
                f"Alleen de invoerders van {participation.municipality} wijzigen haar perspectief."
            )
        return participation, participation


class PartnershipEditView(_RecordEditView):
    """The shared record of the partnership, for its coördinator (and the beheerder)."""

    title = "Gedeelde gegevens"
    form_class = PartnershipForm

    def load(self, request, municipality_slug, slug):
        participation = selectors.get_participation(municipality_slug, slug)
        if not can_coordinate(request.user, participation.partnership):
            raise PermissionDenied(
                "Alleen de coördinator van de samenwerking wijzigt de gedeelde gegevens."
            )
        return participation, selectors.partnership_for_edit(participation.partnership_id)


class BeheerderRequiredMixin(LoginRequiredMixin):
    """The pages of the beheerder: a login first, then a 403 for everyone else."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_manage_roles(request.user):
            raise PermissionDenied("Alleen de beheerder beheert rollen en logins.")
        return super().dispatch(request, *args, **kwargs)


class RolesView(BeheerderRequiredMixin, View):
    """Rollen: every login with its roles; grant a role."""

    template_name = "collaborations/roles.html"

    def _render(self, request, form, status=200, undo=None):
        return render(
            request,
            self.template_name,
            {
                "users": selectors.role_overview(),
                "locked": selectors.locked_logins(),
                "form": form,
                "undo": undo,
                "crumbs": [("Home", reverse("collaborations:home")), ("Rollen", None)],
            },
            status=status,
        )

    def get(self, request):
        initial = {}
        chosen = request.GET.get("gebruiker", "")
        if chosen.isdigit():
            initial["member"] = int(chosen)
        # right after a withdrawal: one button puts the role back
        undo = request.session.pop("ingetrokken_rol", None)
        return self._render(request, RoleForm(initial=initial), undo=undo)

    def post(self, request):
        form = RoleForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                role = role_services.grant_role(
                    user=request.user,
                    member=data["member"],
                    kind=data["kind"],
                    municipality=data["municipality"],
                    partnership=data["partnership"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    f"{role.user.username} is nu {role.get_kind_display()} van {role.scope}.",
                )
                return HttpResponseRedirect(reverse("collaborations:roles"))
        return self._render(request, form, status=400)


class WithdrawRoleView(BeheerderRequiredMixin, View):
    """Withdraw a role: a confirmation first; afterwards the role can be granted again."""

    template_name = "collaborations/role_withdraw.html"

    def get(self, request, pk):
        role = selectors.get_role(pk)
        return render(
            request,
            self.template_name,
            {
                "role": role,
                "crumbs": [
                    ("Home", reverse("collaborations:home")),
                    ("Rollen", reverse("collaborations:roles")),
                    ("Rol intrekken", None),
                ],
            },
        )

    def post(self, request, pk):
        try:
            role = role_services.withdraw_role(user=request.user, role_id=pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                f"{role.user.username} is geen {role.get_kind_display()} van {role.scope} meer. "
                "Vergist? Ken de rol hieronder opnieuw toe; de geschiedenis bewaart beide.",
            )
            request.session["ingetrokken_rol"] = {
                "member": role.user_id,
                "kind": role.kind,
                "municipality": role.municipality_id,
                "partnership": role.partnership_id,
            }
        return HttpResponseRedirect(reverse("collaborations:roles"))


class UnlockLoginView(BeheerderRequiredMixin, View):
    """Ontgrendelen: a username locked after too many failed logins may log in again."""

    def post(self, request):
        username = request.POST.get("username", "")
        run_and_say(
            request,
            lambda: role_services.unlock_login(user=request.user, username=username),
            done=lambda _count: f"{username} kan weer inloggen.",
        )
        return HttpResponseRedirect(reverse("collaborations:roles"))


class NewLoginView(BeheerderRequiredMixin, View):
    """A new login; roles are granted on the page Rollen afterwards."""

    template_name = "collaborations/login_new.html"

    def _render(self, request, form, status=200):
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "crumbs": [
                    ("Home", reverse("collaborations:home")),
                    ("Rollen", reverse("collaborations:roles")),
                    ("Nieuwe login", None),
                ],
            },
            status=status,
        )

    def get(self, request):
        return self._render(request, LoginCreateForm())

    def post(self, request):
        form = LoginCreateForm(request.POST)
        if form.is_valid():
            try:
                new = role_services.create_login(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, f"Login {new.username} is aangemaakt. Ken hieronder een rol toe."
                )
                return HttpResponseRedirect(
                    f"{reverse('collaborations:roles')}?gebruiker={new.pk}#rol-toekennen"
                )
        return self._render(request, form, status=400)


# --- A new partnership, joining one, ending a participation (the municipality's clerk) ------


def _clerk_municipality(request, municipality_slug: str):
    municipality = selectors.get_municipality(municipality_slug)
    if not user_can_edit(request.user, municipality):
        raise PermissionDenied(f"Alleen de invoerders van {municipality} kunnen dit doen.")
    return municipality


class NewPartnershipView(LoginRequiredMixin, View):
    """Nieuwe samenwerking: 1. look whether it exists (then join it), 2. the shared record
    with its participants and first year, 3. the own perspective, 4. the first year."""

    template_name = "collaborations/partnership_new.html"

    def _render(self, request, municipality, search, form, status=200):
        matches = []
        if search.is_bound and search.is_valid():
            found = joining.same_partnerships(
                search.cleaned_data["naam"], search.cleaned_data["afkorting"]
            )
            states = selectors.participation_states(municipality, found)
            matches = [(p, states.get(p.pk, "")) for p in found]
        return render(
            request,
            self.template_name,
            {
                "municipality": municipality,
                "search": search,
                "matches": matches,
                "form": form,
                "crumbs": crumbs(municipality, current="Nieuwe samenwerking"),
            },
            status=status,
        )

    def get(self, request, municipality_slug):
        municipality = _clerk_municipality(request, municipality_slug)
        search = SearchForm(request.GET if request.GET else None)
        initial = {
            "name": request.GET.get("naam", ""),
            "afkorting": request.GET.get("afkorting", ""),
        }
        form = NewPartnershipForm(initial=initial, municipality=municipality)
        return self._render(request, municipality, search, form)

    def post(self, request, municipality_slug):
        municipality = _clerk_municipality(request, municipality_slug)
        form = NewPartnershipForm(request.POST, municipality=municipality)
        if form.is_valid():
            data = dict(form.cleaned_data)
            confirmed = data.pop("other_than_found")
            try:
                own = joining.create_partnership(
                    user=request.user,
                    municipality=municipality,
                    confirmed_new=confirmed,
                    participants=list(data.pop("participants")),
                    **data,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    f"{own.partnership} is aangemaakt; u bent de coördinator. Stap 3: vul het "
                    f"perspectief van {municipality} in.",
                )
                return HttpResponseRedirect(
                    reverse(
                        "collaborations:perspective-edit",
                        args=[municipality.slug, own.partnership.slug, "belang"],
                    )
                )
        search = SearchForm(
            {"naam": request.POST.get("name", ""), "afkorting": request.POST.get("afkorting", "")}
        )
        return self._render(request, municipality, search, form, status=400)


class JoinPartnershipView(LoginRequiredMixin, View):
    """Deelnemen: the municipality takes part in a partnership that exists (no second copy)."""

    def post(self, request, municipality_slug):
        municipality = _clerk_municipality(request, municipality_slug)
        partnership = selectors.joinable_partnership(post_int(request, "samenwerking"))
        try:
            participation = joining.join_partnership(
                user=request.user,
                municipality=municipality,
                partnership=partnership,
                first_year=year_or_none(request.POST.get("jaar", "")),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(
                reverse("collaborations:partnership-new", args=[municipality.slug])
            )
        messages.success(
            request,
            f"{municipality} neemt nu deel aan {partnership}. Vul het perspectief van "
            f"{municipality} in.",
        )
        return HttpResponseRedirect(
            reverse(
                "collaborations:perspective-edit",
                args=[municipality.slug, participation.partnership.slug, "belang"],
            )
        )


class EndParticipationView(LoginRequiredMixin, View):
    """Deelname beëindigen: per a date, with a reason; everything stays, joining again undoes it."""

    template_name = "collaborations/participation_end.html"

    def _load(self, request, municipality_slug, slug):
        participation = selectors.get_participation(municipality_slug, slug)
        if not user_can_edit(request.user, participation.municipality):
            raise PermissionDenied("Alleen de invoerders van deze gemeente kunnen dit doen.")
        return participation

    def _render(self, request, participation, form, status=200):
        return render(
            request,
            self.template_name,
            {
                **participation_context(participation),
                "form": form,
                "crumbs": crumbs(
                    participation.municipality, participation, None, "Deelname beëindigen"
                ),
            },
            status=status,
        )

    def get(self, request, municipality_slug, slug):
        participation = self._load(request, municipality_slug, slug)
        return self._render(request, participation, EndParticipationForm())

    def post(self, request, municipality_slug, slug):
        participation = self._load(request, municipality_slug, slug)
        form = EndParticipationForm(request.POST)
        if form.is_valid():
            try:
                joining.end_participation(
                    user=request.user, participation=participation, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    f"De deelname van {participation.municipality} aan "
                    f"{participation.partnership.afkorting} is beëindigd. De gegevens en de "
                    "geschiedenis blijven; opnieuw deelnemen kan via Nieuwe samenwerking.",
                )
                return HttpResponseRedirect(
                    reverse("reports:partnership", args=[municipality_slug, slug])
                )
        return self._render(request, participation, form, status=400)
