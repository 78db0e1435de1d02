"""The stream rules: nothing lost, nothing applied twice, order kept, whatever the network does (SY3)."""
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.stream import Receiver, Sender


def test_window_limits_what_is_in_flight_and_acks_open_it():
    sender = Sender(window=10, timeout=5)
    assert sender.next_from(0) == 1
    sender.on_sent(10, now=0)
    assert sender.next_from(1) is None and sender.room() == 0
    assert sender.on_ack(4, now=1) is True and sender.on_ack(3, now=1) is False
    assert sender.next_from(1) == 11 and sender.room() == 4


def test_silence_past_the_timeout_sends_again_after_the_last_ack():
    sender = Sender(window=100, timeout=5)
    sender.on_sent(20, now=0)
    sender.on_ack(8, now=1)
    assert sender.next_from(3) == 21
    assert sender.next_from(7) == 9  # nothing heard for 6 s: from what is known applied


def test_resend_rewinds_to_the_first_missing():
    sender = Sender()
    sender.on_sent(30, now=0)
    sender.on_resend(12, upto=11, now=1)
    assert (sender.acked, sender.next_from(1)) == (11, 12)


def test_receiver_applies_only_what_continues_its_history():
    receiver = Receiver(applied=10)
    assert receiver.judge(5, 10).action == "duplicate"
    verdict = receiver.judge(8, 14)
    assert (verdict.action, verdict.skip) == ("apply", 3)
    gap = receiver.judge(13, 15)
    assert (gap.action, gap.missing_from) == ("gap", 11)


@settings(max_examples=300, deadline=None)
@given(total=st.integers(1, 60), batch=st.integers(1, 9), script=st.lists(
    st.sampled_from(["deliver", "drop", "duplicate", "swap", "lose_ack", "tick"]), min_size=1, max_size=200))
def test_any_loss_duplication_and_reordering_ends_with_each_change_applied_once_in_order(total, batch, script):
    sender, receiver = Sender(window=20, timeout=3), Receiver()
    applied, in_flight, now = [], [], 0.0

    def send():
        start = sender.next_from(now)
        while start is not None and start <= total and sender.room():
            last = min(total, start + batch - 1, start + sender.room() - 1)
            in_flight.append((start, last))
            sender.on_sent(last, now)
            start = sender.next_from(now)

    def deliver(first, last):
        verdict = receiver.judge(first, last)
        if verdict.action == "apply":
            applied.extend(range(first + verdict.skip, last + 1))
            receiver.applied = last
            return ("ack", receiver.applied)
        if verdict.action == "gap":
            return ("resend", verdict.missing_from)
        return ("ack", receiver.applied)

    def answer(reply):
        if reply[0] == "ack":
            sender.on_ack(reply[1], now)
        else:
            sender.on_resend(reply[1], receiver.applied, now)

    for step in script + ["tick"] * 400:
        send()
        if step == "tick" or not in_flight:
            now += 1
            if in_flight:
                answer(deliver(*in_flight.pop(0)))
            continue
        if step == "drop":
            in_flight.pop(0)
        elif step == "duplicate":
            in_flight.insert(1, in_flight[0])
        elif step == "swap" and len(in_flight) > 1:
            in_flight[0], in_flight[1] = in_flight[1], in_flight[0]
        elif step == "lose_ack":
            deliver(*in_flight.pop(0))
        else:
            answer(deliver(*in_flight.pop(0)))
        if receiver.applied == total and sender.acked == total:
            break
    assert applied == list(range(1, total + 1))
    assert receiver.applied == total
