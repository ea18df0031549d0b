"""Table-driven: addresses as real users type them, in several countries, good and bad."""

from __future__ import annotations

import pytest

from pyfax.addressing import AddressPolicy, FaxAddress, InvalidFaxAddress

# (as typed, E.164, region, display form)
GOOD = [
    ("<3222345678@fax>", "+3222345678", "BE", "+32 2 234 56 78"),
    ("3222345678@fax", "+3222345678", "BE", "+32 2 234 56 78"),
    ('"Acme Legal" <3222345678@fax>', "+3222345678", "BE", "+32 2 234 56 78"),
    ("Acme Legal <32 2 234 56 78@fax>", "+3222345678", "BE", "+32 2 234 56 78"),
    ("32.2.234.56.78@FAX", "+3222345678", "BE", "+32 2 234 56 78"),
    ("32-2-234-56-78@Fax", "+3222345678", "BE", "+32 2 234 56 78"),
    ("<33 1 23 45 67 89@fax>", "+33123456789", "FR", "+33 1 23 45 67 89"),
    ("Kanzlei Müller <49 30 123456@fax>", "+4930123456", "DE", "+49 30 123456"),
    ("44 121 234 5678@fax", "+441212345678", "GB", "+44 121 234 5678"),
    ("39 02 1234 5678@fax", "+390212345678", "IT", "+39 02 1234 5678"),   # Italy keeps its 0
    ("31 10 123 4567@fax", "+31101234567", "NL", "+31 10 123 4567"),
    ("41 21 234 56 78@fax", "+41212345678", "CH", "+41 21 234 56 78"),
    ("1 (201) 555-0123@fax", "+12015550123", "US", "+1 201-555-0123"),
    ("1-506-234-5678@fax", "+15062345678", "CA", "+1 506-234-5678"),
    ("81 3-1234-5678@fax", "+81312345678", "JP", "+81 3-1234-5678"),
    ("61 2 1234 5678@fax", "+61212345678", "AU", "+61 2 1234 5678"),
    ("55 11 2345-6789@fax", "+551123456789", "BR", "+55 11 2345-6789"),
    ("36 1 234 5678@fax", "+3612345678", "HU", "+36 1 234 5678"),
    ("65 6123 4567@fax", "+6561234567", "SG", "+65 6123 4567"),
]


@pytest.mark.parametrize(("typed", "e164", "region", "display"), GOOD)
def test_good_addresses(typed: str, e164: str, region: str, display: str) -> None:
    address = FaxAddress.parse(typed)
    assert (address.e164, address.region) == (e164, region)
    assert address.international() == display
    assert address.fax_form() == f"<{e164[1:]}@fax>"
    assert FaxAddress.parse(address.fax_form()) == address      # round trip
    assert FaxAddress.from_e164(e164) == address


# (as typed, words the reason must contain, suggestion or None)
BAD = [
    ("32022345678@fax", "remove the 0 before the area code: <3222345678@fax>",
     "<3222345678@fax>"),
    ("<33 01 23 45 67 89@fax>", "remove the 0 before the area code", "<33123456789@fax>"),
    ("44 0121 234 5678@fax", "remove the 0 before the area code", "<441212345678@fax>"),
    ("49 030 123456@fax", "remove the 0 before the area code", "<4930123456@fax>"),
    ("36 06 1 234 5678@fax", "remove the 06 before the area code", "<3612345678@fax>"),
    ("022345678@fax", "the country code is missing", None),
    ("0121 234 5678@fax", "the country code is missing", None),
    ("<322123456@fax>", "too short for Belgium", None),
    ("32 2 234@fax", "too short for Belgium", None),
    ("33 1 23 45 67 89 12@fax", "too long for France", None),
    ("32ABC12345@fax", "letters are not allowed", None),
    ("1-800-FLOWERS@fax", "letters are not allowed", None),
    ("+32 2 234 56 78@fax", "leave out the +", "<3222345678@fax>"),
    ("0032 2 234 56 78@fax", "leave out the 00 international prefix", "<3222345678@fax>"),
    ("@fax", "the number is missing", None),
    ("32_2_234_56_78@fax", "only digits", None),
    ("3222345678", "a fax address ends in @fax: <3222345678@fax>", "<3222345678@fax>"),
    ("+32 2 234 56 78", "ends in @fax", "<3222345678@fax>"),
    ("Acme Legal", "ends in @fax", None),
    ("441632960123@fax", "not a valid number in United Kingdom", None),  # unassigned range
    ("9991234567@fax", "the country code is missing", None),
]


@pytest.mark.parametrize(("typed", "reason", "suggestion"), BAD)
def test_bad_addresses(typed: str, reason: str, suggestion: str | None) -> None:
    with pytest.raises(InvalidFaxAddress) as exc:
        FaxAddress.parse(typed)
    assert reason in exc.value.reason
    assert exc.value.suggestion == suggestion
    assert exc.value.entry == typed.strip()
    if suggestion is not None:                        # every suggestion is itself good
        FaxAddress.parse(suggestion)


def test_default_region_guesses_the_missing_country_code() -> None:
    policy = AddressPolicy(default_region="BE")
    with pytest.raises(InvalidFaxAddress) as exc:
        FaxAddress.parse("02 234 56 78@fax", policy)
    assert exc.value.reason == "the country code is missing: <3222345678@fax>"
    assert exc.value.suggestion == "<3222345678@fax>"
    policy_fr = AddressPolicy(default_region="FR")
    with pytest.raises(InvalidFaxAddress) as exc:
        FaxAddress.parse("01 23 45 67 89@fax", policy_fr)
    assert exc.value.suggestion == "<33123456789@fax>"


def test_operator_setting_relaxes_only_validity() -> None:
    relaxed = AddressPolicy(allow_unknown_ranges=True)
    assert FaxAddress.parse("441632960123@fax", relaxed).e164 == "+441632960123"
    with pytest.raises(InvalidFaxAddress, match="too short for Belgium"):
        FaxAddress.parse("322123456@fax", relaxed)       # length still enforced
    with pytest.raises(InvalidFaxAddress, match="too long"):
        FaxAddress.parse("3222345678999@fax", relaxed)


def test_unbounded_input_is_refused_quickly() -> None:
    with pytest.raises(InvalidFaxAddress, match="too long"):
        FaxAddress.parse("3" * 10_000 + "@fax")
    with pytest.raises(InvalidFaxAddress, match="too long"):
        FaxAddress.parse("3" * 40 + "@fax")
