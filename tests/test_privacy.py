"""CPR numbers are recognised in every form people write them, and nothing else is."""

from __future__ import annotations

import pytest

from sparbot.privacy import CprNumberRefused, contains_cpr, ensure_no_cpr, payload_contains_cpr


@pytest.mark.parametrize("text", [
    "010190-1234", "0101901234", "010190 1234", "borger 311299-0000 i LFI",
    "CPR:2902001234", "ZA (120385‐4321)",  # a Unicode hyphen, as a word processor writes it
    "010190-1235",  # an invalid modulus-11 check digit is still a CPR number
])
def test_cpr_numbers_are_recognised(text: str) -> None:
    assert contains_cpr(text)
    with pytest.raises(CprNumberRefused) as caught:
        ensure_no_cpr("ok", text)
    assert "1234" not in str(caught.value) and text not in str(caught.value)


@pytest.mark.parametrize("text", [
    "12345678", "+45 21 43 65 87", "3x3", "2026-11-24", "uge 12 af 26", "3213001234",
    "0113901234",  # month 13
    "01019012345",  # eleven digits: an account number, not a CPR number
])
def test_other_numbers_are_not_mistaken_for_cpr(text: str) -> None:
    assert not contains_cpr(text)


def test_whole_payloads_are_scanned() -> None:
    assert payload_contains_cpr({"a": [{"b": "x"}, {"c": {"value": "ZA 010190-1234"}}]})
    assert not payload_contains_cpr({"a": [1, None, {"value": "ZA"}]})
