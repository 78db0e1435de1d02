"""The systemd units and udev rules the box installs are valid, as systemd itself reads them."""
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

SYSTEMD = Path(__file__).resolve().parents[2] / "systemd"
SERVICES = sorted(SYSTEMD.glob("*.service"))
UNITS = SERVICES + sorted(SYSTEMD.glob("*.timer"))
# Programs a box has and a test machine may not: replaced by /bin/true so the rest is still checked.
BOX_ONLY = ("/usr/bin/cage", "/usr/bin/chromium", "/usr/bin/curl")


def _as_on_this_machine(text: str) -> str:
    text = text.replace("/opt/salon-box/venv", sys.prefix).replace("/opt/salon-cloud/venv", sys.prefix)
    for program in BOX_ONLY:
        if not Path(program).exists():
            text = text.replace(program, "/bin/true")
    return text


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
@pytest.mark.parametrize("unit", UNITS, ids=[u.name for u in UNITS])
def test_the_unit_is_valid_with_no_warning(unit, tmp_path):
    copy = tmp_path / unit.name.replace("@.", "@test.")
    copy.write_text(_as_on_this_machine(unit.read_text()))
    result = subprocess.run(["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, timeout=60)
    own = [line for line in (result.stdout + result.stderr).splitlines() if copy.name in line or str(tmp_path) in line]
    assert result.returncode == 0 and own == [], result.stdout + result.stderr


@pytest.mark.parametrize("unit", SERVICES, ids=[u.name for u in SERVICES])
def test_every_unit_restarts_and_is_sandboxed(unit):
    text = unit.read_text()
    assert re.search(r"^Restart=(always|on-failure)$", text, re.M)
    assert "NoNewPrivileges=yes" in text and "ProtectSystem=" in text
    assert "User=" in text, "nothing of the box runs as root"


UDEV_PAIR = re.compile(r'^(?P<key>[A-Z_]+(?:\{[A-Za-z_]+\})?)(?P<op>==|!=|\+=|=)"(?P<value>[^"]*)"$')
UDEV_KEYS = {"SUBSYSTEM", "KERNEL", "ACTION", "ENV", "ATTR", "ATTRS", "GROUP", "MODE", "TAG", "SYMLINK"}


def test_udev_rules_parse_and_only_open_devices_to_the_printer_groups():
    rules = [line for line in (SYSTEMD / "udev" / "60-salon-box.rules").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert rules
    for rule in rules:
        pairs = [UDEV_PAIR.match(part.strip()) for part in rule.split(", ")]
        assert all(pairs), rule
        assert {p["key"].split("{")[0] for p in pairs} <= UDEV_KEYS, rule
        assigned = {p["key"]: p["value"] for p in pairs if p["op"] in ("=", "+=")}
        assert assigned.get("GROUP") in ("lp", "dialout") and assigned.get("MODE") == "0660", rule


def test_every_timer_starts_a_service_that_exists_and_is_installed_with_it():
    for timer in SYSTEMD.glob("*.timer"):
        service = SYSTEMD / timer.name.replace(".timer", ".service")
        assert service.is_file(), f"{timer.name} would start a unit that is not shipped"
        assert "Type=oneshot" in service.read_text()
        assert re.search(r"^OnCalendar=", timer.read_text(), re.M) and "Persistent=true" in timer.read_text()
        assert "WantedBy=timers.target" in timer.read_text()


def test_the_kiosk_browser_may_use_the_camera_for_the_box_alone():
    """Chromium's policy lets the kiosk page read QR codes without a prompt, and nothing else listen."""
    policy = json.loads((SYSTEMD / "chromium" / "salon-kiosk.json").read_text())
    kiosk_url = re.search(r"--app=(\S+)", (SYSTEMD / "salon-box-kiosk.service").read_text()).group(1)
    origin = urlsplit(kiosk_url)
    assert policy["VideoCaptureAllowedUrls"] == [f"{origin.scheme}://{origin.netloc}"]
    assert origin.hostname == "127.0.0.1"  # a secure context: the camera API exists there only
    assert policy["AudioCaptureAllowed"] is False
    readme = (SYSTEMD.parent / "README.md").read_text()
    assert "systemd/chromium/salon-kiosk.json /etc/chromium/policies/managed/" in readme
