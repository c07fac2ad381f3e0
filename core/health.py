"""`/gezond/`: is this app server able to serve? For a load balancer, a monitor or an operator.

JSON with the state of the database, the cache and the storage of generated files, each
`{"ok": true|false, "ms": …}` (and `"fout"`, the kind of error, when not ok); 200 when all
three work, 503 when one does not, so a load balancer takes this server out of rotation.
No login, never cached, no rate limit, no session: every call is three small round trips
(`SELECT 1`, a cache write and read, a storage write, read and delete of a few bytes).
Errors are logged, but the answer names only their kind: it is public.
"""

import logging
import time
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 did not answer 1")


def _cache() -> None:
    key, value = f"gezond:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the cache did not keep a value")
    finally:
        cache.delete(key)


def _storage() -> None:
    content = uuid.uuid4().hex.encode()
    name = default_storage.save(f"gezond/{uuid.uuid4().hex}.txt", ContentFile(content))
    try:
        with default_storage.open(name, "rb") as handle:
            if handle.read() != content:
                raise RuntimeError("the storage did not keep a file")
    finally:
        default_storage.delete(name)


CHECKS: dict[str, Callable[[], None]] = {
    "database": _database,
    "cache": _cache,
    "storage": _storage,
}


def _run(name: str, check: Callable[[], None]) -> dict:
    started = time.perf_counter()
    try:
        check()
    except Exception as error:  # any failure of a dependency makes this server unhealthy
        logger.error("health check %s failed: %s", name, error, exc_info=True)
        state = {"ok": False, "fout": type(error).__name__}
    else:
        state = {"ok": True}
    state["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return state


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    states = {name: _run(name, check) for name, check in CHECKS.items()}
    healthy = all(state["ok"] for state in states.values())
    return JsonResponse(
        {"status": "gezond" if healthy else "ongezond", **states},
        status=200 if healthy else 503,
        json_dumps_params={"ensure_ascii": False},
    )
