"""A request body is JSON by the letter of the standard, checked once unless it could hold NaN or Infinity."""
import pytest
from flask import Flask
from hypothesis import given, strategies as st
from pydantic import BaseModel
from pydantic_core import from_json

from appliance.api.framework import BadRequest, _parse_body
from appliance.services.errors import InvalidInput


class _Body(BaseModel):
    value: float | int | str | list | dict | None = None


_tokens = st.sampled_from(['{', '}', '[', ']', ',', ':', '"value"', '"x"', '1', '-1.5e3', 'NaN', 'Infinity',
                           '-Infinity', 'true', 'null', ' ', '"NaN"', '1e999'])
_bodies = st.lists(_tokens, max_size=12).map("".join) | st.builds(
    lambda v: '{"value": %s}' % v, st.sampled_from(["NaN", "Infinity", "-Infinity", "1", '"Infinity"', "[NaN]"]))


def _strictly_json(raw: bytes) -> bool:
    try:
        from_json(raw, allow_inf_nan=False)
        return True
    except ValueError:
        return False


@given(_bodies)
def test_only_strict_json_gets_past_the_parser(text):
    raw = text.encode()
    app = Flask(__name__)
    with app.test_request_context(data=raw, content_type="application/json"):
        try:
            _parse_body(_Body)
            refused = False
        except BadRequest:
            refused = True
        except InvalidInput:
            refused = False  # valid JSON of the wrong shape: a 422, not a 400
    assert refused == (not _strictly_json(raw))


@pytest.mark.parametrize("raw", [b'{"value": NaN}', b'{"value": -Infinity}', b"[Infinity]"])
def test_nan_and_infinity_are_refused_with_the_place_named(raw):
    app = Flask(__name__)
    with app.test_request_context(data=raw, content_type="application/json"):
        with pytest.raises(BadRequest, match="not valid JSON: "):
            _parse_body(_Body)
