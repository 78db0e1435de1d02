"""Sync messages: the envelope refuses what it cannot apply, batches fit the broker's packet limit."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.messages import (
    MessageError, ack_message, batches, box_of, changes_message, decode, encode, resend_message, topic,
)

LIMIT = 4096


def change(seq, size=10):
    return {"seq": seq, "entity": "client", "id": f"id-{seq}", "op": "upsert", "changed": ["notes"],
            "payload": {"notes": "ж" * size}, "schema": 1, "at": "2026-12-01T10:00:00Z"}


def test_a_batch_round_trips_and_topics_name_the_box():
    message = changes_message("box-1", "salon-1", [change(5), change(6)])
    assert decode(encode(message), LIMIT) == message
    assert topic("box-1", "up") == "salons/box-1/up"
    assert box_of("salons/box-1/down-ack") == ("box-1", "down-ack")
    assert decode(encode(ack_message(7)), LIMIT)["upto"] == 7
    assert decode(encode(resend_message(3, 2)), LIMIT)["from"] == 3


@pytest.mark.parametrize("raw, reason", [
    (b"\xff\xfe", "not JSON"),
    (b"[1, 2]", "not a JSON object"),
    (b'{"v": 99, "kind": "ack", "upto": 1}', "unsupported protocol version 99"),
    (b'{"v": 1, "kind": "teleport"}', "unknown kind"),
    (b'{"v": 1, "kind": "ack"}', "field upto"),
    (b'{"v": 1, "kind": "ack", "upto": true}', "field upto"),
    (b'{"v": 1, "kind": "changes", "sender": "b", "first": 1, "last": 1, "changes": []}', "empty batch"),
])
def test_bad_messages_are_refused_with_a_reason(raw, reason):
    with pytest.raises(MessageError, match=reason):
        decode(raw, LIMIT)


@pytest.mark.parametrize("loads", ["json", "orjson"])
@pytest.mark.parametrize("field, value, reason", [
    ("seq", "1", "field seq"), ("entity", 5, "field entity"), ("id", None, "field id"), ("op", "drop", "unknown op"),
    ("op", ["upsert"], "field op"), ("payload", [], "field payload"), ("schema", True, "field schema"),
    ("changed", "notes", "changed is not a list"),
])
def test_each_bad_change_is_refused_with_its_reason_whichever_parser(loads, field, value, reason):
    """The quick check of the common case falls back to the field-by-field one, which names the fault."""
    parse = pytest.importorskip("orjson").loads if loads == "orjson" else __import__("json").loads
    good = changes_message("b", "s", [change(1), change(2)])
    assert decode(encode(good), LIMIT, loads=parse) == good
    bad = changes_message("b", "s", [change(1), change(2)])
    bad["changes"][1][field] = value
    with pytest.raises(MessageError, match=reason):
        decode(encode(bad), LIMIT, loads=parse)
    with pytest.raises(MessageError, match="not JSON"):
        decode(b'{"v": 1, "kind": "ack", "upto": NaN', LIMIT, loads=parse)


def test_a_batch_with_a_hole_or_a_lying_count_is_refused():
    holey = changes_message("b", "s", [change(1), change(3)])
    holey["last"] = 2
    with pytest.raises(MessageError, match="not contiguous"):
        decode(encode(holey), LIMIT)
    lying = changes_message("b", "s", [change(1)])
    lying["last"] = 4
    with pytest.raises(MessageError, match="first/last"):
        decode(encode(lying), LIMIT)
    with pytest.raises(MessageError, match="oversized"):
        decode(b" " * (LIMIT + 1), LIMIT)
    with pytest.raises(MessageError, match="not a sync topic"):
        box_of("elsewhere/x")


@given(sizes=st.lists(st.integers(0, 6000), min_size=1, max_size=40))
def test_batches_keep_order_fit_the_limit_and_mark_what_cannot_fit(sizes):
    changes = [change(i + 1, size) for i, size in enumerate(sizes)]
    runs = list(batches(changes, LIMIT, max_count=7))
    flat = [c for run in runs for c in run]
    assert [c["seq"] for c in flat] == [c["seq"] for c in changes]
    for run in runs:
        assert len(run) <= 7
        assert len(encode(changes_message("box-0123456789", "salon-0123456789", run))) <= LIMIT
    for original, sent in zip(changes, flat):
        assert sent == original or (sent["op"] == "oversized" and len(encode(original)) > LIMIT - 600)


@given(sizes=st.lists(st.integers(0, 6000), min_size=1, max_size=30))
def test_change_texts_make_the_same_messages_as_encoding_the_changes(sizes):
    from sync.messages import change_text, changes_envelope, text_batches

    changes = [change(i + 1, size) for i, size in enumerate(sizes)]
    texts = [(c["seq"], change_text(c["seq"], c["entity"], c["id"], c["op"], encode(c["changed"]).decode(),
                                    encode(c["payload"]).decode(), c["schema"], c["at"])) for c in changes]
    by_dict = [changes_message("box-1", "salon-1", run, "0.1.0") for run in batches(changes, LIMIT, 7)]
    by_text = [decode(changes_envelope("box-1", "salon-1", run, "0.1.0"), LIMIT)
               for run in text_batches(texts, LIMIT, 7)]
    assert by_text == by_dict
