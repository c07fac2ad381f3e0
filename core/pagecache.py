"""Published pages served from the cache to the public (issue 15).

Why: a published version never changes, and the public sees nothing else, so the work of a
public page (its queries, thawing a version, rendering some 50 KB of fragments) can be done
once and served to every visitor after that. The mechanism, in one place:

* ``published_page`` decorates a view. An anonymous GET reads, in **one** cache round trip
  (``get_many``), the *published generation* and the page stored for this address; when the
  page was stored under the current generation on the same day it is served as it is — no
  database query, no template. Otherwise the view runs and a plain 200 without cookies, CSRF
  token, CSP nonce or messages is stored with the generation read *before* the view read the
  database. Logged-in users never read or fill the cache: their pages show drafts, buttons and
  a CSRF token, and the check would cost a session read anyway.
* The generation is a random token, not a counter: a cache that loses it (eviction, a Redis
  restart) makes a new one, and no page stored under an earlier token can match it again.
* ``bump`` draws a new token. It runs after the commit of every write to a table the public
  pages read (``PUBLIC_MODELS``, the audit in docs/architecture.md): a page rendered from the
  data before the commit was stored under the old token and is never served again. The writes
  are seen where every write passes — the database cursor (``_WriteWatcher``) — and not through
  ``post_save`` signals, which ``bulk_create_with_history``, ``bulk_update_with_history`` and
  ``QuerySet.update`` skip (the board seats, the process steps and the reference measures are
  written in bulk). A year record is the one table read for a few columns only: its working-copy
  texts are saved all day long, so an update bumps only when ``year``, ``status`` or
  ``nagekeken`` change (``_year_record_saved``).
* Within a transaction that wrote such a table and has not committed yet, the connection's own
  requests skip the cache (``_bump_pending``): they would otherwise read a page
  stored before the write. That only happens inside tests, which never commit.
* A cache that does not answer fails no page here: the view renders it (a warning is logged);
  a bump that fails is logged, and the stored pages then live until ``PAGE_CACHE_SECONDS``.

Off unless ``settings.PAGE_CACHE`` (env ``PAGE_CACHE``; on by default when the cache is shared,
i.e. Redis): with local memory every process would hold its own pages and its own generation,
and a write through one app server would not reach the pages of another.
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models.signals import post_save, pre_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
PAGE_KEY_PREFIX = "pagecache:page:"
HEADER = "X-Page-Cache"  # "hit" or "stored": for operations and the benchmark

# What the cached public pages read (year, version, partnership, totaaloverzicht, comparison,
# paragraph). Every write to one of these tables — and to their many-to-many tables — changes
# the generation. Working copies (section C's answers, the money tables, BBV figures, risks,
# the split key, the verdeelmodel's variants) reach the public only through a frozen
# YearVersion, which is in the list; roles, bundles, meeting-sheet versions, logins and
# history rows are not shown to the public.
PUBLIC_MODELS = (
    "collaborations.Term",  # labels: vorm, onderwerpen, motives of a thawed version
    "collaborations.Municipality",
    "collaborations.Organisation",
    "collaborations.Partnership",  # base data, with its onderwerpen, aard, organisations
    "collaborations.Participation",  # the perspective, with belang_waarom and belang_wie
    "collaborations.BoardSeat",
    "collaborations.ProcessEntry",  # process steps (partnership page, P&C calendar)
    "collaborations.BoardMeeting",  # the P&C calendar
    "collaborations.YearRecord",  # which years exist; see YEAR_RECORD_COLUMNS
    "collaborations.YearVersion",  # every published page
    "allocation.Measure",  # inhabitants in the comparison
    "allocation.AllocationModel",  # "varianten vergelijken" years on the partnership page
    "allocation.AllocationPublication",
    "allocation.Settlement",  # kept settlements on the year page
    "allocation.SettlementLine",
    "reports.ParagraphPolicy",  # the published vision and policy text of the paragraph
)
YEAR_RECORD = "collaborations.YearRecord"
# The columns of a year record the public pages show (the years' list with its badges): an
# update that leaves these alone — a clerk saving a text — does not change a public page.
YEAR_RECORD_COLUMNS = ("participation_id", "year", "status", "nagekeken")


def enabled() -> bool:
    return bool(getattr(settings, "PAGE_CACHE", False))


def bump() -> None:
    """A new published generation: every stored page is out of date."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def _current_generation(found: dict[str, Any]) -> str:
    generation = found.get(GENERATION_KEY)
    if generation is None:  # first request, or the cache lost it: any new token is safe
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def _bump_pending(conn: BaseDatabaseWrapper) -> bool:
    """Whether the open transaction of `conn` wrote a public table (a bump waits for its
    commit)."""
    return conn.in_atomic_block and any(entry[1] is bump for entry in conn.run_on_commit)


def _after_commit(alias: str) -> None:
    """Bump once the current transaction of `alias` commits (at once outside a transaction);
    once per transaction, however many statements it has. A failing cache is logged, never
    the writer's error (the stored pages then live until PAGE_CACHE_SECONDS)."""
    if not _bump_pending(connections[alias]):
        transaction.on_commit(bump, using=alias, robust=True)


# --- The view decorator ----------------------------------------------------------------------


def _page_key(request: HttpRequest) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    language = getattr(request, "LANGUAGE_CODE", "")
    digest = hashlib.sha256(f"{language}|{address}".encode()).hexdigest()
    return PAGE_KEY_PREFIX + digest


def _may_use_cache(request: HttpRequest) -> bool:
    """Anonymous GETs without messages waiting for them (they would be shown, or stored)."""
    return (
        enabled()
        and request.method == "GET"
        and not request.user.is_authenticated
        and CookieStorage.cookie_name not in request.COOKIES
        and not _bump_pending(connection)
    )


def _may_store(request: HttpRequest, response: HttpResponse) -> bool:
    """Only what is the same for every anonymous visitor: a plain 200 that sets no cookie and
    carries no CSRF token, CSP nonce or message (all made per visitor)."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if "no-store" in response.get("Cache-Control", "") or "private" in response.get(
        "Cache-Control", ""
    ):
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # the CSRF token was asked for: a form with it was rendered
    if getattr(request, "_csp_nonce", None):  # LazyNonce: true once a nonce was made
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    storage = getattr(request, "_messages", None)
    return not (storage is not None and (storage.used or storage.added_new))


def published_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve `view` from the cache to anonymous visitors while nothing they see has changed
    (the published generation and the day are the same as when it was stored)."""

    @wraps(view)
    def cached_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _may_use_cache(request):
            return view(request, *args, **kwargs)
        key = _page_key(request)
        today = timezone.localdate().isoformat()  # the P&C calendar's "past" moves daily
        try:
            found = cache.get_many([GENERATION_KEY, key])
            entry = found.get(key)
            if entry is not None and entry[0] == found.get(GENERATION_KEY) and entry[1] == today:
                _, _, status, headers, content = entry
                response = HttpResponse(content, status=status, headers=headers)
                response[HEADER] = "hit"
                return response
            generation = _current_generation(found)  # read before the view reads the database
        except Exception:  # the cache is down: the page is rendered, as without the cache
            logger.warning("page cache unavailable, rendering %s", request.path, exc_info=True)
            return view(request, *args, **kwargs)
        response = view(request, *args, **kwargs)
        if _may_store(request, response):
            headers = dict(response.items())
            entry = (generation, today, response.status_code, headers, response.content)
            try:
                cache.set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)
            except Exception:
                logger.warning("page cache unavailable, %s not stored", request.path, exc_info=True)
            else:
                response[HEADER] = "stored"
        return response

    return cached_view


# --- Seeing the writes -----------------------------------------------------------------------

_WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|MERGE|TRUNCATE)\b", re.IGNORECASE)


def _table_pattern(tables: set[str]) -> re.Pattern[str]:
    names = "|".join(re.escape(name) for name in sorted(tables, key=len, reverse=True))
    return re.compile(rf"\b(?:{names})\b")


class _WriteWatcher:
    """A database execute wrapper: after a write statement that names a public table, the
    generation is bumped when the transaction commits. Reads cost one regular-expression match
    on the statement's first word."""

    def __init__(self, tables: set[str], updated_by_signal: set[str]) -> None:
        self.any_write = _table_pattern(tables)
        self.update = _table_pattern(tables - updated_by_signal)

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        verb = _WRITE.match(sql)
        if verb is not None:
            pattern = self.update if verb.group(1).upper() == "UPDATE" else self.any_write
            if pattern.search(sql):
                _after_commit(context["connection"].alias)
        return result


def public_tables() -> tuple[set[str], set[str]]:
    """The tables of PUBLIC_MODELS with their many-to-many tables, and those whose updates are
    judged by a signal instead (the year record)."""
    tables: set[str] = set()
    for label in PUBLIC_MODELS:
        model = apps.get_model(label)
        tables.add(model._meta.db_table)
        if label == YEAR_RECORD:
            continue  # its motives are working copy, published through the version
        for field in model._meta.local_many_to_many:
            tables.add(field.remote_field.through._meta.db_table)
    return tables, {apps.get_model(YEAR_RECORD)._meta.db_table}


_watcher: _WriteWatcher | None = None


def _install(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if _watcher is not None and _watcher not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watcher)


def _year_record_checked(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """Before a year record is updated: does the update change a column the public sees?"""
    instance._pagecache_public_change = False
    if instance.pk is None or raw:
        return  # an insert: the watcher sees it
    stored = sender._base_manager.filter(pk=instance.pk).values(*YEAR_RECORD_COLUMNS).first()
    instance._pagecache_public_change = stored is not None and any(
        stored[column] != getattr(instance, column) for column in YEAR_RECORD_COLUMNS
    )


def _year_record_saved(sender: Any, instance: Any, using: str, **kwargs: Any) -> None:
    if getattr(instance, "_pagecache_public_change", False):
        _after_commit(using)


def connect() -> None:
    """Watch every database connection (the web, the worker, management commands alike), and
    the year records' updates; called once from CoreConfig.ready."""
    global _watcher
    tables, updated_by_signal = public_tables()
    _watcher = _WriteWatcher(tables, updated_by_signal)
    connection_created.connect(_install, dispatch_uid="pagecache-install")
    for conn in connections.all(initialized_only=True):
        _install(None, conn)
    year_record = apps.get_model(YEAR_RECORD)
    pre_save.connect(_year_record_checked, sender=year_record, dispatch_uid="pagecache-yr-pre")
    post_save.connect(_year_record_saved, sender=year_record, dispatch_uid="pagecache-yr-post")
