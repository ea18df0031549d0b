"""Every region phonenumbers knows: example numbers round-trip; a trunk prefix is caught."""

from __future__ import annotations

import phonenumbers as pn
import pytest

from pyfax.addressing import FaxAddress, InvalidFaxAddress

TYPES = (pn.PhoneNumberType.FIXED_LINE, pn.PhoneNumberType.MOBILE)


def _examples() -> list[tuple[str, pn.PhoneNumber]]:
    out = []
    for region in sorted(pn.SUPPORTED_REGIONS):
        for kind in TYPES:
            num = pn.example_number_for_type(region, kind)
            if num is not None:
                out.append((region, num))
    return out


def test_examples_of_every_region_round_trip() -> None:
    examples = _examples()
    assert len({r for r, _ in examples}) == len(pn.SUPPORTED_REGIONS)
    for region, num in examples:
        e164 = pn.format_number(num, pn.PhoneNumberFormat.E164)
        address = FaxAddress.parse(f"{e164[1:]}@fax")
        assert address.e164 == e164, region
        assert FaxAddress.parse(address.fax_form()) == address


def _with_trunk_prefix() -> list[tuple[str, str, str]]:
    """(region, typed address with the trunk prefix after the country code, prefix)."""
    out = []
    for region in sorted(pn.SUPPORTED_REGIONS):
        meta = pn.PhoneMetadata.metadata_for_region(region)
        num = pn.example_number_for_type(region, pn.PhoneNumberType.FIXED_LINE)
        if meta is None or not meta.national_prefix or num is None:
            continue  # no trunk prefix in this numbering plan
        nsn = pn.national_significant_number(num)
        if nsn.startswith(meta.national_prefix):
            continue  # the prefix digits are part of the number, as Italy's 0
        out.append((region, f"{num.country_code}{meta.national_prefix}{nsn}@fax",
                    meta.national_prefix))
    return out


CASES = _with_trunk_prefix()


def test_enough_regions_have_a_trunk_prefix() -> None:
    assert len(CASES) > 100


@pytest.mark.parametrize(("region", "typed", "prefix"), CASES)
def test_trunk_prefix_after_country_code_is_caught(region: str, typed: str, prefix: str) -> None:
    with pytest.raises(InvalidFaxAddress) as exc:
        FaxAddress.parse(typed)
    assert exc.value.reason.startswith(f"remove the {prefix} before the area code")
    assert exc.value.suggestion is not None
