"""Loaded once by the fork server of `core.pdf` (never imported by the web process): Django and
WeasyPrint are set up here, so every PDF's child process, a fork of this one, starts warm
instead of spending a second on imports."""

import logging

try:
    import django

    django.setup()
    import weasyprint  # noqa: F401 — preloading it is the point of this module
except Exception:  # the fork server must live on: a child then sets Django up itself
    logging.getLogger(__name__).exception("PDF fork server: preloading failed")
