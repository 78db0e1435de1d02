"""The box works with no internet: no page or stylesheet refers to anything outside it (KI4, issue 3)."""
import re
from pathlib import Path

WEB = Path(__file__).parents[3] / "appliance" / "web"
EXTERNAL_IN_HTML = re.compile(r"""(?:src|href|action)\s*=\s*["'](?:https?:)?//""", re.I)
EXTERNAL_IN_CSS = re.compile(r"""(?:url\(\s*["']?(?:https?:)?//|@import\s+["']?(?:https?:)?//)""", re.I)


def test_templates_load_nothing_from_outside():
    offenders = [str(p) for p in WEB.rglob("*.html") if EXTERNAL_IN_HTML.search(p.read_text())]
    assert offenders == []


def test_stylesheets_load_nothing_from_outside():
    offenders = [str(p) for p in WEB.rglob("*.css") if EXTERNAL_IN_CSS.search(p.read_text())]
    assert offenders == []


def test_vendored_assets_are_recorded_with_version_and_licence():
    listing = (WEB / "static" / "vendor" / "README.md").read_text()
    for asset in (WEB / "static" / "vendor").rglob("*.js"):
        assert asset.name in listing
    assert "MIT" in listing and "5.10.1" in listing
