"""Hypothesis: separators, case and display names never change what a number parses to."""

from __future__ import annotations

import phonenumbers as pn
from hypothesis import given, settings
from hypothesis import strategies as st

from pyfax.addressing import FaxAddress, parse_recipients

VALID = sorted({
    pn.format_number(n, pn.PhoneNumberFormat.E164)
    for r in ("BE", "FR", "DE", "GB", "US", "JP", "BR", "HU", "IT", "CH")
    for n in [pn.example_number_for_type(r, pn.PhoneNumberType.FIXED_LINE)] if n is not None
})


@st.composite
def typed_forms(draw: st.DrawFn) -> tuple[str, str]:
    e164 = draw(st.sampled_from(VALID))
    out = []
    for digit in e164[1:]:
        out.append(draw(st.sampled_from(["", "", "", " ", ".", "-"])))
        out.append(digit)
    domain = draw(st.sampled_from(["fax", "FAX", "Fax", "fAx"]))
    return e164, "".join(out).strip(" .-") + "@" + domain


names = st.text(alphabet=st.sampled_from(list("abc XYZ,;'<>@")), min_size=1, max_size=20)


@settings(max_examples=150, deadline=None)
@given(typed_forms())
def test_separators_and_case_do_not_matter(case: tuple[str, str]) -> None:
    e164, typed = case
    assert FaxAddress.parse(typed).e164 == e164


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(names, typed_forms()), min_size=1, max_size=5))
def test_quoted_names_never_split(items: list[tuple[str, tuple[str, str]]]) -> None:
    header = ", ".join(f'"{n}" <{typed}>' for n, (_, typed) in items)
    r = parse_recipients(to=header)
    assert r.errors == []
    firsts: dict[str, str] = {}
    for n, (e164, _) in items:
        firsts.setdefault(e164, n.strip())
    assert [(f.e164, f.name) for f in r.fax] == [(e, n or None) for e, n in firsts.items()]
