"""The persistent print queue and the device states (KI3), on a real SQLite file."""
from datetime import timedelta

import pytest

from appliance.domain.print_document import Text, document
from appliance.services import device_states, print_queue, printers
from appliance.services.errors import Conflict, InvalidInput, NotFound
from appliance.storage.models.base import AuditLog, utc_now
from appliance.storage.models.printing import DeviceState, PrintJob

SETTINGS = {"name": "Kassa", "role": "receipt", "connection": "network", "address": "10.0.0.5",
            "profile": "TM-T88V", "paper_width_mm": 80, "code_page": "auto"}
DOC = document(Text("Chek"), copy_mark="NUSXA")


@pytest.fixture
def kassa(salon, system):
    return printers.create_printer(system, SETTINGS)


def test_bad_settings_are_refused_field_by_field(salon, system):
    with pytest.raises(InvalidInput) as refused:
        printers.create_printer(system, {**SETTINGS, "name": "", "address": "10.0.0.5:http", "paper_width_mm": 76})
    assert {f for f, _ in refused.value.fields} == {"name", "address", "paper_width_mm"}


def test_jobs_go_to_the_role_s_printer_in_order_and_are_claimed_once(system, kassa):
    first = print_queue.enqueue(system, "receipt", DOC, "receipt", "A-1")
    second = print_queue.enqueue(system, kassa.id, DOC, "receipt", "A-2")
    with pytest.raises(NotFound):
        print_queue.enqueue(system, "label", DOC, "label", "L-1")
    claimed = print_queue.claim_next(kassa)
    assert claimed.id == first.id and claimed.state == "printing" and claimed.attempts == 1
    assert print_queue.claim_next(kassa) is None  # the head is printing: order is kept
    print_queue.mark_done(claimed)
    assert print_queue.claim_next(kassa).id == second.id


def test_a_failed_job_waits_longer_each_time_until_the_printer_answers(system, kassa):
    job = print_queue.enqueue(system, "receipt", DOC, "receipt", "A-1")
    now = utc_now()
    for attempt, pause in ((1, 2), (2, 4), (3, 8)):
        claimed = print_queue.claim_next(kassa, now)
        assert claimed.attempts == attempt
        print_queue.mark_failed(claimed, "Connection refused", now)
        stored = PrintJob.get_by_id(job.id)
        assert stored.state == "failed-retrying" and stored.next_attempt_at == now + timedelta(seconds=pause)
        assert print_queue.claim_next(kassa, now) is None
        now = stored.next_attempt_at
    assert print_queue.retry_delay(20) == timedelta(seconds=60)
    assert print_queue.has_failed(kassa) and print_queue.retry_now(kassa) == 1
    assert print_queue.claim_next(kassa).id == job.id


def test_cancel_reprint_and_recovery_are_audited_and_never_print_twice_by_themselves(system, kassa):
    job = print_queue.enqueue(system, "receipt", DOC, "receipt", "A-1")
    with pytest.raises(Conflict):
        print_queue.reprint(system, job.id)  # still queued: the queue prints it
    print_queue.mark_done(print_queue.claim_next(kassa))
    with pytest.raises(Conflict):
        print_queue.cancel(system, job.id)
    copy = print_queue.reprint(system, job.id)
    assert copy.reprint_of_id == job.id and copy.state == "queued"
    assert [b["text"] for b in copy.document["blocks"]] == ["*** NUSXA ***", "Chek", "*** NUSXA ***"]
    print_queue.claim_next(kassa)  # a worker takes the copy, then dies
    assert print_queue.recover_interrupted() == 1
    assert PrintJob.get_by_id(copy.id).state == "interrupted"
    print_queue.cancel(system, copy.id)
    actions = [a.action for a in AuditLog.select().where(AuditLog.entity == "print_job").order_by(AuditLog.id)]
    assert actions == ["print_job.reprinted", "print_job.cancelled"]
    listed = print_queue.recent_jobs()
    assert [j.id for j in listed] == [copy.id, job.id] and listed[0].printer.name == "Kassa"


def test_an_inactive_printer_takes_no_new_jobs(system, kassa):
    printers.deactivate_printer(system, kassa.id)
    with pytest.raises(NotFound):
        print_queue.enqueue(system, "receipt", DOC, "receipt", "A-1")
    with pytest.raises(InvalidInput):
        print_queue.enqueue(system, printers.get_printer(kassa.id), DOC, "receipt", "A-1")


def test_device_states_keep_one_row_per_device(salon):
    device_states.report("reader", "ACR122U", "ready")
    device_states.report("reader", "ACR122U", "card_present", "04:A2:19")
    device_states.report("printer", "p-1", "offline", "refused")
    assert DeviceState.select().count() == 2
    reader = device_states.states_by_name("reader")["ACR122U"]
    assert (reader.state, reader.detail) == ("card_present", "04:A2:19")
    with pytest.raises(ValueError):
        device_states.report("scale", "x", "on")
