"""Headless Chromium as installed from Debian (never a downloaded browser build): one place for
the flags that the browser tests and the screenshot script share. Pure Python."""

import shutil

#: Headless in this sandbox: no sandboxing as root, no GPU, no background network traffic.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")
