"""parse_recipients: To/Cc/Bcc lists with fax and e-mail entries, errors, warnings, duplicates."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyfax.addressing import AddressError, AddressProblem, FaxRecipient, parse_recipients


def test_mixed_header() -> None:
    r = parse_recipients(
        to='"Acme Legal" <3222345678@fax>, bob@example.com, 32022345678@fax',
        cc="Carol <carol@example.org>; 33 1 23 45 67 89@FAX",
        bcc="32470123456@fax",
    )
    assert r.fax == [
        FaxRecipient("+3222345678", "BE", "to", "Acme Legal"),
        FaxRecipient("+33123456789", "FR", "cc", None),
        FaxRecipient("+32470123456", "BE", "bcc", None),
    ]
    assert r.email == ["bob@example.com", "Carol <carol@example.org>"]
    assert r.errors == [AddressProblem(
        "32022345678@fax", "to", "remove the 0 before the area code: <3222345678@fax>",
        "<3222345678@fax>")]
    assert [(w.field, w.reason) for w in r.warnings] == [
        ("bcc", "this is a mobile number and probably not a fax")]


def test_comma_inside_quoted_name_does_not_split() -> None:
    r = parse_recipients(to='"Smith, Jones & Partners" <3222345678@fax>, '
                            '"O\'Brien, \\"Legal\\"" <33123456789@fax>')
    assert [f.name for f in r.fax] == ["Smith, Jones & Partners", 'O\'Brien, "Legal"']
    assert r.errors == []


def test_duplicates_are_sent_once() -> None:
    r = parse_recipients(to="3222345678@fax, 32 2 234 56 78@FAX",
                         cc='"Again" <32.2.234.56.78@fax>', bcc="32470123456@fax, "
                         "32470123456@fax")
    assert [(f.e164, f.field) for f in r.fax] == [("+3222345678", "to"),
                                                  ("+32470123456", "bcc")]
    dupes = [w for w in r.warnings if "sent once" in w.reason]
    assert len(dupes) == 3
    assert sum("mobile" in w.reason for w in r.warnings) == 1


def test_lists_and_empty_fields() -> None:
    r = parse_recipients(to=["3222345678@fax", "a@b.c, 33123456789@fax"], cc="", bcc=None)
    assert len(r.fax) == 2 and r.email == ["a@b.c"]
    empty = parse_recipients()
    assert (empty.fax, empty.email, empty.errors, empty.warnings) == ([], [], [], [])


def test_every_bad_entry_gets_its_own_problem() -> None:
    r = parse_recipients(to="032@fax, 32ABC@fax, just text, 3222345678")
    assert [p.entry for p in r.errors] == ["032@fax", "32ABC@fax", "just text", "3222345678"]
    assert r.errors[3].suggestion == "<3222345678@fax>"
    assert all(p.field == "to" for p in r.errors)


def test_absurd_input_is_a_typed_error() -> None:
    with pytest.raises(AddressError):
        parse_recipients(to="x" * 200_000)
    with pytest.raises(AddressError):
        parse_recipients(to=",".join(["a@b.c"] * 1500))
    with pytest.raises(AddressError):
        parse_recipients(to=[3222345678])  # type: ignore[list-item]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('0123456789 .-+<>@"fax,;ABC\\()')), max_size=60))
def test_never_crashes(text: str) -> None:
    r = parse_recipients(to=text)
    for f in r.fax:
        assert f.e164.startswith("+") and f.e164[1:].isdigit()
    for p in r.errors:
        assert p.reason
