"""Pairing a kiosk screen with a one-time code: works once, expires, and resists guessing."""
from datetime import timedelta

import pytest

from appliance.services import auth, kiosk_pairing
from appliance.services.errors import InvalidInput, NotFound, Unauthorized
from appliance.storage.models.access import Device
from appliance.storage.models.base import AuditLog, utc_now


@pytest.fixture
def kiosk_device(salon, system):
    """An enrolled, not yet paired kiosk."""
    device, _token = auth.enrol_device(system, "Entrance")
    return device


def test_a_code_pairs_the_kiosk_once_with_a_token_of_its_own(kiosk_device, system):
    code = kiosk_pairing.start_pairing(system, kiosk_device.id)
    device, issued = kiosk_pairing.pair(code[:3] + " " + code[3:])
    assert device.id == kiosk_device.id
    assert auth.actor_for_token(issued.token).role == "kiosk"
    with pytest.raises(InvalidInput) as error:
        kiosk_pairing.pair(code)
    assert error.value.fields[0][0] == "code"
    actions = [a.action for a in AuditLog.select().where(AuditLog.entity_id == kiosk_device.id)]
    assert {"device.pairing_started", "device.paired"} <= set(actions)


def test_an_old_code_is_refused(kiosk_device, system):
    code = kiosk_pairing.start_pairing(system, kiosk_device.id)
    Device.update(pairing_expires_at=utc_now() - timedelta(seconds=1)).where(Device.id == kiosk_device.id).execute()
    with pytest.raises(InvalidInput):
        kiosk_pairing.pair(code)


def test_ten_wrong_guesses_void_every_open_code(kiosk_device, system):
    code = kiosk_pairing.start_pairing(system, kiosk_device.id)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(kiosk_pairing.MAX_FAILURES):
        with pytest.raises(InvalidInput):
            kiosk_pairing.pair(wrong)
    with pytest.raises(InvalidInput):
        kiosk_pairing.pair(code)
    assert Device.get_by_id(kiosk_device.id).pairing_hash is None


def test_a_revoked_kiosk_cannot_pair_and_its_tokens_stop(kiosk_device, system):
    code = kiosk_pairing.start_pairing(system, kiosk_device.id)
    _, issued = kiosk_pairing.pair(code)
    auth.revoke_device(system, kiosk_device.id)
    with pytest.raises(Unauthorized):
        auth.actor_for_token(issued.token)
    with pytest.raises(NotFound):
        kiosk_pairing.start_pairing(system, kiosk_device.id)
