"""The hardware service end to end on real parts: a virtual card on a private pcscd clocks a master in,
the reader shows on the Devices page's table, and a visit card goes through the queue to a TCP printer."""
import time
from datetime import timedelta

import pytest

from appliance.domain.card_ids import card_uid_hash
from appliance.hardware_service import HardwareService
from appliance.services import cards, device_states, printers, visit_cards
from appliance.services.bookings import create_booking
from appliance.services.errors import Conflict
from appliance.storage.models.base import utc_now
from appliance.storage.models.printing import PrintJob
from appliance.storage.models.time_clock import CardTap, TimePunch
from appliance.storage.secrets import card_key
from tests.infra.escpos_printer import TcpPrinter, decode

OLGA_UID = bytes.fromhex("04a1b2c3d4e5f6")
STRANGER_UID = bytes.fromhex("0bad0bad")


def wait_until(check, timeout=10.0):
    """The check's value once it is truthy; fails after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"not within {timeout} s: {check.__doc__ or check}")


@pytest.fixture
def key(app):
    """The box's card key, from its data folder."""
    return card_key(app.config["DATA_DIR"])


@pytest.fixture
def endpoint():
    printer = TcpPrinter().start()
    yield printer
    printer.close()


@pytest.fixture
def service(pcscd, key, small_salon):
    """The hardware service on the private pcscd, polling fast."""
    running = HardwareService(key, poll_interval=0.1)
    running.printers.poll_s, running.printers.probe_s = 0.05, 0.2
    running.start()
    yield running
    running.stop()


def test_a_masters_card_clocks_them_in_and_a_stranger_is_refused(service, pcscd, virtual_card, key, small_salon,
                                                                  system):
    olga = small_salon["masters"][1]
    cards.enrol_card(system, cards.Holder("staff", olga.id), card_uid_hash(OLGA_UID, key), "Olga's badge")
    reader = pcscd.reader_names[0]
    card = virtual_card(pcscd.ports[0], OLGA_UID).present()
    punch = wait_until(lambda: TimePunch.get_or_none(TimePunch.staff == olga.id))
    assert (punch.kind, punch.source, punch.reader) == ("in", "card", reader)
    card.remove()
    virtual_card(pcscd.ports[1], STRANGER_UID).present()
    refused = wait_until(lambda: CardTap.get_or_none(CardTap.outcome == "unknown"))
    assert refused.reader == pcscd.reader_names[1]
    # Only the keyed hash of a UID is ever stored.
    assert refused.uid_hash == card_uid_hash(STRANGER_UID, key) and STRANGER_UID.hex() not in refused.uid_hash
    states = wait_until(lambda: device_states.states_by_name("reader").get(reader))
    assert states.state == "ready"


def test_a_visit_card_prints_with_its_code_and_qr(service, endpoint, small_salon, system):
    booking = create_booking(system, {
        "client_id": small_salon["client"].id, "starts_at": (utc_now() + timedelta(days=1)).replace(
            hour=6, minute=0, second=0, microsecond=0),
        "items": [{"service_id": small_salon["cut"].id, "master_id": small_salon["masters"][0].id}]})
    with pytest.raises(Conflict):
        visit_cards.print_visit_card(system, booking.id, "ru")
    printers.create_printer(system, {"name": "Kassa", "role": "receipt", "connection": "network",
                                     "address": endpoint.address, "profile": "TM-T88V", "paper_width_mm": 80,
                                     "code_page": "auto"})
    job = visit_cards.print_visit_card(system, booking.id, "ru")
    wait_until(lambda: PrintJob.get_by_id(job.id).state == "done")
    shown = decode(endpoint.jobs()[-1], "TM-T88V")
    assert "Aziza" in shown.text and "Haircut" in shown.text and "Dilnoza" in shown.text
    assert booking.code in shown.text
    assert booking.code in shown.qr_codes


def test_the_salon_box_hardware_command_runs_until_told_to_stop(app, salon, pcscd):
    import os
    import signal
    import subprocess
    import sys

    data_dir = app.config["DATA_DIR"]
    process = subprocess.Popen([sys.executable, "-m", "appliance.cli", "--data-dir", data_dir, "hardware"],
                               env={**os.environ, "SALON_BOX_DATA_DIR": data_dir},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until(lambda: device_states.states_by_name("reader").get(pcscd.reader_names[0]), timeout=20)
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0]
    assert process.returncode == 0, output
