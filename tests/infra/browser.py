"""One headless Debian Chromium for the whole test session, driven by Playwright (registered in tests/conftest.py).

Playwright's sync API allows one running instance per process, so the box's and the cloud's browser
tests share this one (Playwright cannot download a browser here: executable_path is Debian's).
"""
import pytest

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """The shared browser; each test opens its own context and page."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
        yield chromium
        chromium.close()
