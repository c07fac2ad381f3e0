"""The import pages: choose a kind, download its template, upload, see the preview (new,
changed, unchanged, every error by row and column), confirm or cancel, see the result. The
uploaded file waits in storage under a random token kept in the session, so confirming
applies exactly the file that was previewed, and only in the session that uploaded it."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from collaborations import selectors as collab_selectors
from collaborations.permissions import can_read_drafts
from core.locking import StaleVersionError

from . import files
from .forms import UploadForm
from .kinds import KINDS, ImportKind
from .services import StaleImport, apply_upload, preview_upload, reason_for
from .workbook import municipality_workbook, template_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN_ROWS = 500  # rows of the preview's table; the counts cover all
SHOWN_ERRORS = 200


def _kind(request: HttpRequest, slug: str) -> ImportKind:
    kind = KINDS.get(slug)
    if kind is None:
        raise Http404("Dit soort import bestaat niet.")
    if not kind.allowed(request.user):
        raise PermissionDenied(f"{kind.label} importeren is voor {kind.who}.")
    return kind


def _trail(kind: ImportKind | None = None, current: str | None = None) -> list:
    trail = [("Home", reverse("collaborations:home")), ("Importeren", reverse("reports:import"))]
    if kind is not None:
        trail.append((kind.label, reverse("reports:import-upload", args=[kind.slug])))
    if current is not None:
        trail.append((current, None))
    trail[-1] = (trail[-1][0], None)
    return trail


def _pending(request: HttpRequest) -> dict:
    return request.session.setdefault("imports", {})


def _forget_expired(request: HttpRequest) -> None:
    """Files older than IMPORT_KEEP_SECONDS are removed with their session entry."""
    pending = _pending(request)
    now = time.time()
    for token, entry in list(pending.items()):
        if now - entry["created"] > settings.IMPORT_KEEP_SECONDS:
            files.discard(token, entry["ext"])
            del pending[token]
    request.session.modified = True


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """The kinds this user may import, each with its template and upload page."""
    kinds = [kind for kind in KINDS.values() if kind.allowed(request.user)]
    if not kinds:
        raise PermissionDenied("U mag geen gegevens importeren.")
    return render(
        request,
        "reports/imports/start.html",
        {
            "kinds": kinds,
            "crumbs": _trail(),
            "max_bytes": files.size_text(settings.IMPORT_MAX_BYTES),
        },
    )


@login_required
def template(request: HttpRequest, kind: str) -> HttpResponse:
    found = _kind(request, kind)
    response = HttpResponse(template_xlsx(found), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="sjabloon-{found.slug}.xlsx"'
    return response


@login_required
def upload(request: HttpRequest, kind: str) -> HttpResponse:
    found = _kind(request, kind)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        _forget_expired(request)
        ext = form.upload.name.rsplit(".", 1)[-1].lower()
        ext = "csv" if ext == "txt" else ext
        token = files.store(form.content, ext)
        _pending(request)[token] = {
            "kind": found.slug,
            "name": form.upload.name,
            "ext": ext,
            "created": time.time(),
        }
        request.session.modified = True
        return redirect("reports:import-preview", token=token)
    return render(
        request,
        "reports/imports/upload.html",
        {"kind": found, "form": form, "crumbs": _trail(found, "Bestand kiezen")},
        status=400 if form.errors else 200,
    )


def _entry(request: HttpRequest, token: str) -> tuple[dict, ImportKind, files.Upload]:
    _forget_expired(request)
    entry = _pending(request).get(token)
    if entry is None:
        raise Http404("Deze controle bestaat niet (meer). Lees het bestand opnieuw in.")
    kind = _kind(request, entry["kind"])
    content = files.load(token, entry["ext"])
    if content is None:
        del _pending(request)[token]
        request.session.modified = True
        raise Http404("Het bestand is niet meer bewaard. Lees het opnieuw in.")
    return entry, kind, files.read_upload(entry["name"], content)


@login_required
def preview(request: HttpRequest, token: str) -> HttpResponse:
    """GET: what the file would do. POST: confirm (apply) or cancel."""
    entry, kind, upload_ = _entry(request, token)
    problem, status = None, 200
    if request.method == "POST":
        if "annuleren" in request.POST:
            files.discard(token, entry["ext"])
            del _pending(request)[token]
            request.session.modified = True
            messages.info(request, f"Het inlezen van '{entry['name']}' is geannuleerd.")
            return redirect("reports:import-upload", kind=kind.slug)
        try:
            done = apply_upload(
                user=request.user,
                kind=kind,
                upload=upload_,
                fingerprint=request.POST.get("controle", ""),
            )
        except StaleImport as exc:
            problem, status = exc.messages[0], 409
        except StaleVersionError as exc:
            problem, status = str(exc), 409
        except ValidationError as exc:
            problem, status = " ".join(exc.messages[:1]), 400
        else:
            files.discard(token, entry["ext"])
            del _pending(request)[token]
            results = request.session.setdefault("import_results", {})
            results[token] = {
                "kind": kind.slug,
                "name": entry["name"],
                "summary": done.summary(),
                "counts": [done.count("nieuw"), done.count("gewijzigd"), done.count("ongewijzigd")],
                "links": done.links,
            }
            request.session["import_results"] = dict(list(results.items())[-5:])
            return redirect("reports:import-result", token=token)
    shown = preview_upload(user=request.user, kind=kind, upload=upload_)
    changed = shown.changed_rows
    return render(
        request,
        "reports/imports/preview.html",
        {
            "kind": kind,
            "preview": shown,
            "token": token,
            "problem": problem,
            "changed": changed[:SHOWN_ROWS],
            "counts": {s: shown.count(s) for s in ("nieuw", "gewijzigd", "ongewijzigd")},
            "errors": shown.errors[:SHOWN_ERRORS],
            "more_errors": max(0, len(shown.errors) - SHOWN_ERRORS),
            "hidden": max(0, len(changed) - SHOWN_ROWS),
            "form": UploadForm(),
            "crumbs": _trail(kind, "Controle"),
        },
        status=status,
    )


@login_required
def result(request: HttpRequest, token: str) -> HttpResponse:
    done = request.session.get("import_results", {}).get(token)
    if done is None:
        raise Http404("Dit resultaat is niet (meer) bekend.")
    kind = _kind(request, done["kind"])
    return render(
        request,
        "reports/imports/result.html",
        {
            "kind": kind,
            "done": done,
            "reason": reason_for(kind, done["name"]),
            "crumbs": _trail(kind, "Ingelezen"),
        },
    )


def workbook(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """All of the municipality's data as one workbook, for its signed-in people (it holds the
    working copy, concepts included)."""
    municipality = collab_selectors.get_municipality(municipality_slug)
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?next={request.path}")
    if not can_read_drafts(request.user, municipality):
        raise PermissionDenied(f"De werkmap is voor de gebruikers van {municipality}.")
    response = HttpResponse(municipality_workbook(municipality), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="gegevens-{municipality.slug}.xlsx"'
    return response
