"""The print worker against a real TCP printer endpoint: every job on paper exactly once (KI3)."""
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from appliance.domain.receipt_layout import Payment, SaleLine, SaleReceipt, SalonHeader, sale_receipt
from appliance.print_worker import PrintWorker
from appliance.services import device_states, print_queue, printers
from appliance.storage.models.printing import PrintJob
from tests.infra.escpos_printer import TcpPrinter, decode

SALON = SalonHeader("Salon Gʻuncha", "Asia/Tashkent", "UZS", "uz")


def a_receipt(number: str):
    sale = SaleReceipt(number, datetime(2026, 3, 8, 7, 30, tzinfo=timezone.utc),
                       (SaleLine("Soch olish", Decimal(1), Decimal(150000)),),
                       (Payment("cash", Decimal(150000), tendered=Decimal(200000)),))
    return sale_receipt(SALON, sale)


def complete(job: bytes, number: str) -> bool:
    shown = decode(job, "TM-T88V")
    return f"Chek № {number}" in shown.text and "Qaytim" in shown.text and shown.cuts == 1


@pytest.fixture
def endpoint():
    printer = TcpPrinter()
    yield printer
    printer.close()


@pytest.fixture
def receipt_printer(salon, system, endpoint):
    return printers.create_printer(system, {"name": "Kassa", "role": "receipt", "connection": "network",
                                            "address": endpoint.address, "profile": "TM-T88V",
                                            "paper_width_mm": 80, "code_page": "auto"})


@pytest.fixture
def worker():
    running = []

    def start():
        running.append(PrintWorker(poll_s=0.05, probe_s=0.2).start())
        return running[-1]

    yield start
    for one in running:
        one.stop()


def state_of(job) -> str:
    return PrintJob.get_by_id(job.id).state


def wait_state(job, state, timeout=15.0) -> bool:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if state_of(job) == state:
            return True
        time.sleep(0.05)
    return False


def test_a_queued_receipt_is_printed_once_and_the_printer_reported_online(
        system, endpoint, receipt_printer, worker):
    endpoint.start()
    job = print_queue.enqueue(system, "receipt", a_receipt("A-1"), "receipt", "Receipt A-1")
    worker()
    assert wait_state(job, "done")
    assert [complete(j, "A-1") for j in endpoint.jobs()] == [True]
    assert device_states.states_by_name("printer")[receipt_printer.id].state == "online"
    assert PrintJob.get_by_id(job.id).printed_at is not None


def test_a_printer_that_goes_off_mid_job_prints_the_receipt_exactly_once_when_back(
        system, endpoint, receipt_printer, worker):
    endpoint.start()
    endpoint.fail_after(200)
    job = print_queue.enqueue(system, "receipt", a_receipt("A-2"), "receipt", "Receipt A-2")
    worker()
    assert endpoint.wait_for(lambda e: len(e.jobs()) == 1)
    assert wait_state(job, "failed-retrying")
    torn = PrintJob.get_by_id(job.id)
    assert torn.attempts == 1 and torn.last_error
    assert not complete(endpoint.jobs()[0], "A-2") and len(endpoint.jobs()[0]) == 200
    endpoint.start()  # power back on, same port
    assert wait_state(job, "done")
    jobs = endpoint.jobs()
    assert [complete(j, "A-2") for j in jobs] == [False, True]


def test_a_printer_off_when_the_job_is_queued_prints_it_when_it_comes_up(
        system, endpoint, receipt_printer, worker):
    job = print_queue.enqueue(system, "receipt", a_receipt("A-3"), "receipt", "Receipt A-3")
    worker()
    assert wait_state(job, "failed-retrying")
    assert device_states.states_by_name("printer")[receipt_printer.id].state == "offline"
    endpoint.start()
    assert wait_state(job, "done")
    assert [complete(j, "A-3") for j in endpoint.jobs()] == [True]
    second = print_queue.enqueue(system, "receipt", a_receipt("A-4"), "receipt", "Receipt A-4")
    assert wait_state(second, "done")
    assert [complete(j, n) for j, n in zip(endpoint.jobs(), ("A-3", "A-4"))] == [True, True]


def test_a_job_left_printing_by_a_dead_worker_is_not_printed_again_by_itself(
        system, endpoint, receipt_printer, worker):
    endpoint.start()
    job = print_queue.enqueue(system, "receipt", a_receipt("A-5"), "receipt", "Receipt A-5")
    claimed = print_queue.claim_next(receipt_printer)  # the worker that claimed it died here
    assert claimed.id == job.id
    later = print_queue.enqueue(system, "receipt", a_receipt("A-6"), "receipt", "Receipt A-6")
    worker()
    assert wait_state(later, "done")
    assert state_of(job) == "interrupted"
    assert [complete(j, "A-6") for j in endpoint.jobs()] == [True]
    print_queue.reprint(system, job.id)  # the administrator saw no paper and prints it
    assert wait_state(job, "done")
    assert complete(endpoint.jobs()[-1], "A-5") and len(endpoint.jobs()) == 2
