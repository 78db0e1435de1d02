"""Who may connect to the broker and what each may touch: Mosquitto's dynamic-security plugin.

A salon box is a dynamic-security *client* whose username **and** client id are its box id, with a
role of its own that grants exactly its topics::

    publish    salons/<box_id>/up, salons/<box_id>/down-ack, salons/<box_id>/status
    subscribe  salons/<box_id>/ack, salons/<box_id>/down   (those exact filters, no wildcards)

The cloud's ingest workers share the ``cloud-ingest`` user; it subscribes to
``$share/ingest/salons/+/up``, ``salons/+/down-ack`` and ``salons/+/status`` and publishes to
``salons/+/ack`` and ``salons/+/down``. Everything else is denied by default.

Boxes are provisioned and revoked at run time by :class:`BrokerAdmin`, which speaks the plugin's
JSON API on ``$CONTROL/dynamic-security/v1`` as the ``broker-admin`` user. Revoking disables the
client: the plugin drops its live connection at once and refuses it from then on. The plugin saves
its state to its JSON file, so all of this survives a broker restart. :func:`initial_config` makes
that file's first content (the admin user and the roles, nothing else).
"""
import base64
import hashlib
import json
import secrets
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

ADMIN_USER = "broker-admin"
INGEST_USER = "cloud-ingest"
CONTROL_TOPIC = "$CONTROL/dynamic-security/v1"
RESPONSE_TOPIC = CONTROL_TOPIC + "/response"
_ITERATIONS = 101  # what mosquitto_passwd and mosquitto_ctrl use; passwords are random, not guessable


class BrokerAdminError(RuntimeError):
    """The admin connection failed, or the broker did not answer in time."""


class BrokerCommandError(BrokerAdminError):
    """The plugin refused a command; ``command`` and ``error`` are what it answered."""

    def __init__(self, command: str, error: str):
        super().__init__(f"{command}: {error}")
        self.command, self.error = command, error


class BoxAlreadyProvisioned(BrokerCommandError):
    """A client with this box id exists already (use ``rotate_box_password`` to give it a new password)."""


@dataclass(frozen=True)
class Credentials:
    """What a client signs in with: the box id (or service name) as username and client id, and a password."""

    username: str
    password: str


def box_username(box_id: str) -> str:
    """The broker username of a box: its id, which must be a UUID in canonical lower-case form."""
    try:
        canonical = str(uuid.UUID(box_id)) if isinstance(box_id, str) else None
    except ValueError:
        canonical = None
    if canonical is None or canonical != box_id:
        raise ValueError(f"a box id must be a lower-case UUID string, not {box_id!r}")
    return box_id


def new_password() -> str:
    """A random password (256 bits, URL-safe text)."""
    return secrets.token_urlsafe(32)


def hash_password(password: str, salt: bytes | None = None) -> dict:
    """The plugin's stored form of a password: PBKDF2-SHA512 ``password``, ``salt`` and ``iterations``."""
    salt = salt if salt is not None else secrets.token_bytes(12)
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, _ITERATIONS, 64)
    return {"password": base64.b64encode(digest).decode(), "salt": base64.b64encode(salt).decode(),
            "iterations": _ITERATIONS}


def _acl(acltype: str, topic: str) -> dict:
    return {"acltype": acltype, "topic": topic, "allow": True}


def box_role(box_id: str) -> dict:
    """The dynamic-security role of one box: its own topics, nothing else."""
    base = f"salons/{box_username(box_id)}"
    return {"rolename": f"salon-box-{box_id}", "acls": [
        *(_acl("publishClientSend", f"{base}/{leaf}") for leaf in ("up", "down-ack", "status")),
        *(_acl(kind, f"{base}/{leaf}") for leaf in ("ack", "down")
          for kind in ("subscribeLiteral", "publishClientReceive")),
    ]}


def ingest_role() -> dict:
    """The role of the cloud's ingest workers."""
    return {"rolename": INGEST_USER, "acls": [
        _acl("subscribeLiteral", "$share/ingest/salons/+/up"),
        *(_acl("subscribeLiteral", f"salons/+/{leaf}") for leaf in ("down-ack", "status")),
        *(_acl("publishClientReceive", f"salons/+/{leaf}") for leaf in ("up", "down-ack", "status")),
        *(_acl("publishClientSend", f"salons/+/{leaf}") for leaf in ("ack", "down")),
    ]}


def admin_role() -> dict:
    """The admin's role: the dynamic-security API and nothing else (it cannot read the salons' data)."""
    return {"rolename": ADMIN_USER, "acls": [
        _acl(kind, CONTROL_TOPIC + "/#") for kind in ("publishClientSend", "publishClientReceive", "subscribePattern")
    ]}


def initial_config(admin_password: str) -> dict:
    """The first content of the plugin's JSON file: deny by default, the admin user, the admin and ingest roles."""
    return {
        "defaultACLAccess": {"publishClientSend": False, "publishClientReceive": False,
                             "subscribe": False, "unsubscribe": True},
        "clients": [{"username": ADMIN_USER, "textName": "Salon cloud broker administrator",
                     **hash_password(admin_password), "roles": [{"rolename": ADMIN_USER}]}],
        "groups": [],
        "roles": [admin_role(), ingest_role()],
    }


class BrokerAdmin:
    """An admin connection to the broker's dynamic-security API; use as a context manager."""

    def __init__(self, host: str, port: int, password: str, *, username: str = ADMIN_USER,
                 ca_cert: str | Path | None = None, timeout: float = 10.0):
        """Over TLS, trusting ``ca_cert`` (or the system's CAs when None)."""
        self.timeout = timeout
        self._host, self._port = host, port
        self._client = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5,
                                   client_id=f"{ADMIN_USER}-{secrets.token_hex(6)}", reconnect_on_failure=False)
        self._client.username_pw_set(username, password)
        self._client.tls_set(ca_certs=str(ca_cert) if ca_cert else None)
        self._answers: dict[str, dict] = {}
        self._events: list = []
        self._changed = threading.Condition()
        self._client.on_connect = lambda _c, _u, _f, reason, _p: self._note(("connack", reason))
        self._client.on_subscribe = lambda _c, _u, _m, reasons, _p: self._note(("suback", reasons[0]))
        self._client.on_message = self._on_message

    def __enter__(self) -> "BrokerAdmin":
        self.connect()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def connect(self) -> None:
        """Sign in and subscribe to the API's responses; raises BrokerAdminError if refused."""
        try:
            self._client.connect(self._host, self._port, keepalive=30)
        except OSError as error:
            raise BrokerAdminError(f"cannot reach the broker at {self._host}:{self._port}: {error}") from error
        self._client.loop_start()
        reason = self._wait_event("connack")
        if reason.is_failure:
            self.close()
            raise BrokerAdminError(f"the broker refused the admin sign-in: {reason}")
        self._client.subscribe(RESPONSE_TOPIC, qos=1)
        if self._wait_event("suback").is_failure:
            self.close()
            raise BrokerAdminError("the admin may not read the dynamic-security responses")

    def close(self) -> None:
        """Disconnect and stop the network thread."""
        self._client.disconnect()
        self._client.loop_stop()

    def execute(self, *commands: dict) -> list[dict]:
        """Send commands in one request; return their responses in order, raising on the first error."""
        tagged = [{**command, "correlationData": uuid.uuid4().hex} for command in commands]
        self._client.publish(CONTROL_TOPIC, json.dumps({"commands": tagged}), qos=1)
        with self._changed:
            if not self._changed.wait_for(lambda: all(c["correlationData"] in self._answers for c in tagged),
                                          self.timeout):
                raise BrokerAdminError(f"no answer to {[c['command'] for c in tagged]} within {self.timeout} s")
            answers = [self._answers.pop(c["correlationData"]) for c in tagged]
        for answer in answers:
            if "error" in answer:
                raise BrokerCommandError(answer.get("command", "?"), answer["error"])
        return answers

    # -- provisioning ----------------------------------------------------------------------------

    def provision_box(self, box_id: str, name: str | None = None) -> Credentials:
        """Create the box's role and client; return its credentials (the only time the password is seen)."""
        password = new_password()
        try:
            self.execute({"command": "createRole", **box_role(box_id)})
        except BrokerCommandError as error:
            if "exists" not in error.error:
                raise
        client = {"command": "createClient", "username": box_id, "clientid": box_id, "password": password,
                  "roles": [{"rolename": box_role(box_id)["rolename"]}], **({"textname": name} if name else {})}
        try:
            self.execute(client)
        except BrokerCommandError as error:
            if "exists" in error.error:
                raise BoxAlreadyProvisioned(error.command, error.error) from None
            raise
        return Credentials(box_id, password)

    def revoke_box(self, box_id: str) -> None:
        """Disable the box: its live connection is dropped at once and it cannot sign in again."""
        self.execute({"command": "disableClient", "username": box_username(box_id)})

    def rotate_box_password(self, box_id: str) -> Credentials:
        """Give a box (revoked or not) a new password and enable it; connections on the old one are dropped."""
        password = new_password()
        username = box_username(box_id)
        self.execute({"command": "disableClient", "username": username},
                     {"command": "setClientPassword", "username": username, "password": password},
                     {"command": "enableClient", "username": username})
        return Credentials(username, password)

    def box_status(self, box_id: str) -> dict:
        """What the plugin holds about a box: ``username``, ``clientid``, ``disabled``, ``roles``."""
        answer = self.execute({"command": "getClient", "username": box_username(box_id)})
        client = answer[0]["data"]["client"]
        return {**client, "disabled": bool(client.get("disabled", False))}  # omitted when enabled

    def provision_ingest(self) -> Credentials:
        """Create the ``cloud-ingest`` user, or give it a new password if it exists (old sessions dropped)."""
        password = new_password()
        try:
            self.execute({"command": "createClient", "username": INGEST_USER, "password": password,
                          "roles": [{"rolename": INGEST_USER}]})
        except BrokerCommandError as error:
            if "exists" not in error.error:
                raise
            self.execute({"command": "disableClient", "username": INGEST_USER},
                         {"command": "setClientPassword", "username": INGEST_USER, "password": password},
                         {"command": "enableClient", "username": INGEST_USER})
        return Credentials(INGEST_USER, password)

    # -- internals -------------------------------------------------------------------------------

    def _note(self, event) -> None:
        with self._changed:
            self._events.append(event)
            self._changed.notify_all()

    def _wait_event(self, kind: str):
        with self._changed:
            if not self._changed.wait_for(lambda: any(e[0] == kind for e in self._events), self.timeout):
                raise BrokerAdminError(f"no {kind.upper()} from the broker within {self.timeout} s")
            event = next(e for e in self._events if e[0] == kind)
            self._events.remove(event)
            return event[1]

    def _on_message(self, _client, _userdata, message) -> None:
        try:
            responses = json.loads(message.payload)["responses"]
        except (ValueError, KeyError, TypeError):
            return
        with self._changed:
            for response in responses:
                if isinstance(response, dict) and "correlationData" in response:
                    self._answers[response["correlationData"]] = response
            self._changed.notify_all()
