"""Screenshot pages of a running site with headless Chromium: for looking at what we build.

Usage: .venv/bin/python scripts/screenshot.py URL OUT.png [--width 1280] [--login user:password]
"""

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from core.chromium import CHROMIUM_ARGS, chromium_path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("out")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--login", help="user:password, logs in at /inloggen/ first")
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": 900})
        if args.login:
            user, password = args.login.split(":", 1)
            base = args.url.split("/", 3)[:3]
            page.goto("/".join(base) + "/inloggen/")
            page.fill("#id_username", user)
            page.fill("#id_password", password)
            page.click("button[type=submit]")
        page.goto(args.url)
        page.screenshot(path=args.out, full_page=True)
        browser.close()


if __name__ == "__main__":
    main()
