"""One headless Debian Chromium for the whole test session, driven by Playwright (registered in tests/conftest.py).

Playwright's sync API allows one running instance per process, so the box's and the cloud's browser
tests share this one (Playwright cannot download a browser here: executable_path is Debian's).
"""
import pytest

from tests.infra.fake_camera import write_y4m

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def fake_camera(tmp_path_factory):
    """The file Chromium's fake camera shows (a blank picture until a test writes another)."""
    return write_y4m(tmp_path_factory.mktemp("camera") / "camera.y4m", None)


@pytest.fixture(scope="session")
def browser(fake_camera):
    """The shared browser; each test opens its own context and page. Its camera plays ``fake_camera``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic",
            "--use-fake-device-for-media-stream", f"--use-file-for-fake-video-capture={fake_camera}"])
        yield chromium
        chromium.close()
