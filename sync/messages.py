"""The sync messages: a versioned JSON envelope, its topics, and batching within the packet limit (SY3, SY6).

Both directions carry the same shape: a batch of changes with contiguous
sequence numbers from one sender's outbox. The receiver answers with an ack
of the highest sequence it has durably applied, or asks for a resend from
the first sequence it is missing.
"""
import json

PROTOCOL_VERSION = 1  # version of the envelope; each change carries its own payload schema version
OLDEST_SUPPORTED = 1
ENVELOPE_OVERHEAD = 512  # bytes kept free for the envelope, topic and MQTT headers


class MessageError(ValueError):
    """A message that cannot be accepted, with the reason it is put aside for."""


def topic(box_id: str, channel: str) -> str:
    """The topic of one box's channel: up, ack, down, down-ack, status."""
    if channel not in ("up", "ack", "down", "down-ack", "status"):
        raise ValueError(f"unknown channel {channel}")
    return f"salons/{box_id}/{channel}"


def box_of(topic_name: str) -> tuple[str, str]:
    """(box id, channel) of a sync topic; MessageError for anything else."""
    parts = topic_name.split("/")
    if len(parts) != 3 or parts[0] != "salons" or not parts[1]:
        raise MessageError(f"not a sync topic: {topic_name[:100]}")
    return parts[1], parts[2]


def encode(message: dict) -> bytes:
    """Compact UTF-8 JSON."""
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def changes_message(sender: str, salon: str | None, changes: list[dict], software: str = "") -> dict:
    """A batch of changes; ``changes`` are in sequence order without gaps."""
    return {"v": PROTOCOL_VERSION, "kind": "changes", "sender": sender, "salon": salon, "software": software,
            "first": changes[0]["seq"], "last": changes[-1]["seq"], "changes": changes}


def ack_message(upto: int) -> dict:
    """Everything up to and including ``upto`` is durably applied."""
    return {"v": PROTOCOL_VERSION, "kind": "ack", "upto": upto}


def resend_message(start: int, upto: int) -> dict:
    """Send again from ``start``; ``upto`` is what is applied so far."""
    return {"v": PROTOCOL_VERSION, "kind": "resend", "from": start, "upto": upto}


def _need(message: dict, name: str, kind):
    value = message.get(name)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise MessageError(f"field {name} missing or not {getattr(kind, '__name__', kind)}")
    return value


_OPS = ("upsert", "oversized")
_NONE, _CHANGED_TYPES = None, (list, type(None))
_CHANGE_FIELDS = {"seq": int, "entity": str, "id": str, "op": str, "payload": dict, "schema": int}


def _check_change(change, expected_seq: int) -> None:
    if not isinstance(change, dict):
        raise MessageError("a change is not an object")
    for name, kind in _CHANGE_FIELDS.items():
        _need(change, name, kind)
    if change["seq"] != expected_seq:
        raise MessageError(f"changes are not contiguous at seq {expected_seq}")
    if change["op"] not in ("upsert", "oversized"):
        raise MessageError(f"unknown op {change['op'][:20]}")
    if not isinstance(change.get("changed", []), (list, type(None))):
        raise MessageError("changed is not a list")


def decode(raw: bytes, max_bytes: int, loads=json.loads) -> dict:
    """Parse and check a message; MessageError names what is wrong.

    ``loads`` may be a faster parser of the same JSON (the cloud's worker passes orjson's); it must
    raise ``json.JSONDecodeError`` or ``UnicodeDecodeError`` for what it cannot parse.
    """
    if len(raw) > max_bytes:
        raise MessageError(f"oversized: {len(raw)} bytes > {max_bytes}")
    try:
        message = loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MessageError(f"not JSON: {exc}") from None
    if not isinstance(message, dict):
        raise MessageError("not a JSON object")
    version = _need(message, "v", int)
    if not OLDEST_SUPPORTED <= version <= PROTOCOL_VERSION:
        raise MessageError(f"unsupported protocol version {version}")
    kind = _need(message, "kind", str)
    if kind == "ack":
        _need(message, "upto", int)
    elif kind == "resend":
        _need(message, "from", int)
        _need(message, "upto", int)
    elif kind == "changes":
        _check_changes(message)
    elif kind != "status":
        raise MessageError(f"unknown kind {kind[:20]}")
    return message


def _check_changes(message: dict) -> None:
    _need(message, "sender", str)
    changes = _need(message, "changes", list)
    if not changes:
        raise MessageError("an empty batch")
    first, last = _need(message, "first", int), _need(message, "last", int)
    if first < 1 or last - first + 1 != len(changes):
        raise MessageError("first/last do not match the changes")
    expected = first
    for change in changes:
        # The common case in one expression (decoded JSON has exactly these types); anything else is
        # checked again field by field for the reason.
        if not (type(change) is dict and type(change.get("seq")) is int and change["seq"] == expected
                and type(change.get("entity")) is str and type(change.get("id")) is str
                and change.get("op") in _OPS and type(change.get("payload")) is dict
                and type(change.get("schema")) is int and type(change.get("changed", _NONE)) in _CHANGED_TYPES):
            _check_change(change, expected)
        expected += 1


def batches(changes: list[dict], limit_bytes: int, max_count: int = 500):
    """Split contiguous changes into runs whose encoded size stays under ``limit_bytes``.

    A single change larger than the limit on its own is replaced by an
    ``oversized`` marker (same seq, no payload) so the stream is not stuck
    behind it; the receiver records it as a dead letter.
    """
    room = limit_bytes - ENVELOPE_OVERHEAD
    run, size = [], 0
    for change in changes:
        length = len(encode(change)) + 1
        if length > room:
            change = oversized_marker(change, length)
            length = len(encode(change)) + 1
        if run and (size + length > room or len(run) >= max_count):
            yield run
            run, size = [], 0
        run.append(change)
        size += length
    if run:
        yield run


def change_text(seq: int, entity: str, entity_id: str, op: str, changed_json: str, payload_json: str,
                schema: int, at: str) -> str:
    """One change as JSON text, from parts already encoded (the outbox stores payloads as JSON).

    Decoding a stored payload only to encode it again was most of the box's
    cost of sending; the result is the same object ``encode`` would write.
    """
    return (f'{{"at":{json.dumps(at)},"changed":{changed_json},"entity":{json.dumps(entity)},'
            f'"id":{json.dumps(entity_id)},"op":{json.dumps(op)},"payload":{payload_json},'
            f'"schema":{schema},"seq":{seq}}}')


def text_batches(texts: list[tuple[int, str]], limit_bytes: int, max_count: int = 500):
    """Split contiguous (seq, change text) pairs into runs that fit the limit, as ``batches`` does."""
    room = limit_bytes - ENVELOPE_OVERHEAD
    run, size = [], 0
    for seq, text in texts:
        length = len(text.encode()) + 1
        if length > room:
            text = encode(oversized_marker(json.loads(text), length)).decode()
            length = len(text.encode()) + 1
        if run and (size + length > room or len(run) >= max_count):
            yield run
            run, size = [], 0
        run.append((seq, text))
        size += length
    if run:
        yield run


def changes_envelope(sender: str, salon: str | None, run: list[tuple[int, str]], software: str = "") -> bytes:
    """The bytes of ``changes_message`` for a run of change texts."""
    head = {"v": PROTOCOL_VERSION, "kind": "changes", "sender": sender, "salon": salon, "software": software,
            "first": run[0][0], "last": run[-1][0]}
    return (encode(head)[:-1] + b',"changes":[' + ",".join(text for _, text in run).encode() + b"]}")


def oversized_marker(change: dict, length: int) -> dict:
    """What travels instead of a change too large for any packet."""
    return {"seq": change["seq"], "entity": change["entity"], "id": change["id"], "op": "oversized",
            "changed": [], "payload": {"bytes": length}, "schema": change.get("schema", 1),
            "at": change.get("at")}
