"""Contacts: fax_address / why_not_faxable, storage beside the ledger, vCard round trip."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from pyfax.addressing import AddressPolicy
from pyfax.billing import Ledger
from pyfax.contacts import AddressBook, Contact, NumberType, TypedNumber, load_vcards
from pyfax.errors import ContactError, UnknownContact, VCardError

FAX, PHONE, MOBILE = NumberType.FAX, NumberType.PHONE, NumberType.MOBILE


def c(*numbers: tuple[NumberType, str], name: str = "Acme Legal") -> Contact:
    return Contact(name, tuple(TypedNumber(k, n) for k, n in numbers))


@pytest.mark.parametrize(("numbers", "address"), [
    (((FAX, "+32 2 234 56 78"),), "<3222345678@fax>"),
    (((FAX, "+32 (0)2 234 56 78"), (FAX, "+33 1 23 45 67 89")), "<33123456789@fax>"),
    (((PHONE, "+32 2 234 56 78"), (FAX, "0033 1 23 45 67 89")), "<33123456789@fax>"),
    (((FAX, "+1 (201) 555-0123"),), "<12015550123@fax>"),
])
def test_fax_address(numbers: tuple[tuple[NumberType, str], ...], address: str) -> None:
    contact = c(*numbers)
    assert contact.fax_address() == address
    assert contact.why_not_faxable() is None


@pytest.mark.parametrize(("numbers", "words"), [
    (((FAX, "02 234 56 78"),), "not in international format"),
    (((FAX, "+32 02 234 56 78"),), "remove the 0 before the area code: +32 2 234 56 78"),
    (((FAX, "+32 (0)2 234"),), "too short for Belgium"),
    (((PHONE, "+32 2 234 56 78"),), 'is typed "phone", not "fax": if it is a fax line, change'),
    (((MOBILE, "+32 470 12 34 56"),), 'typed "mobile", not "fax"'),
    ((), "has no fax number"),
])
def test_why_not_faxable(numbers: tuple[tuple[NumberType, str], ...], words: str) -> None:
    contact = c(*numbers)
    assert contact.fax_address() is None
    reason = contact.why_not_faxable()
    assert reason is not None and words in reason


def test_national_number_with_default_region_gets_the_fix() -> None:
    contact = c((FAX, "02 234 56 78"))
    reason = contact.why_not_faxable(AddressPolicy(default_region="BE"))
    assert reason is not None and "write it as +32 2 234 56 78" in reason


def test_contact_validation() -> None:
    with pytest.raises(ContactError):
        Contact("")
    with pytest.raises(ContactError):
        TypedNumber(FAX, "")
    with pytest.raises(ContactError):
        TypedNumber("fax", "+3222345678")  # type: ignore[arg-type]


def test_book_shares_the_ledger_database(tmp_path: Path) -> None:
    db = tmp_path / "pyfax.db"
    ledger = Ledger(db)
    ledger.open_account("alice")
    ledger.credit("alice", Decimal("25.00"), reference="pay_1")
    with AddressBook(db) as book:
        book.save(c((FAX, "+32 2 234 56 78"), (PHONE, "+32 2 234 56 00")))
        book.save(c((FAX, "+33 1 23 45 67 89"), name="Cabinet Dupont"))
        assert book.get("Acme Legal").numbers_of(PHONE) == ["+32 2 234 56 00"]
        book.save(c((FAX, "+32 2 234 56 99")))          # replaces by name
        assert book.get("Acme Legal").fax_address() == "<3222345699@fax>"
        assert [x.name for x in book.find("dupont")] == ["Cabinet Dupont"]
        book.remove("Cabinet Dupont")
        with pytest.raises(UnknownContact):
            book.get("Cabinet Dupont")
        with pytest.raises(UnknownContact):
            book.remove("Cabinet Dupont")
    assert ledger.balance("alice").total == Decimal("25.00")
    tables = {r[0] for r in sqlite3.connect(db).execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"contacts", "contact_numbers", "entries", "accounts"} <= tables
    ledger.close()


VCARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Acme Legal\\, LLP\r\nORG:Acme\r\n"
    "TEL;TYPE=WORK,FAX:+32 2 234 56 78\r\nTEL;TYPE=CELL:+32 470 12 34 56\r\n"
    "TEL;TYPE=VOICE:+32 2 234 56 00\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\nVERSION:2.1\nN:Dupont;Jean\nTEL;FAX;WORK:+33 1 23 45 67 89\nEND:VCARD\n"
    "BEGIN:VCARD\nVERSION:4.0\nFN:Long \n Folded Name\nTEL;VALUE=uri;TYPE=\"fax,work\":"
    "tel:+49-30-123456\nitem1.TEL;TYPE=pager:+49 30 999\nEND:VCARD\n"
)


def test_vcard_import() -> None:
    acme, dupont, folded = load_vcards(VCARDS)
    assert acme.name == "Acme Legal, LLP" and acme.organization == "Acme"
    assert [(n.kind, n.number) for n in acme.numbers] == [
        (FAX, "+32 2 234 56 78"), (MOBILE, "+32 470 12 34 56"), (PHONE, "+32 2 234 56 00")]
    assert dupont.name == "Jean Dupont" and dupont.fax_address() == "<33123456789@fax>"
    assert folded.name == "Long Folded Name" and folded.fax_address() == "<4930123456@fax>"
    assert folded.numbers[1].kind is NumberType.OTHER


def test_vcard_round_trip(tmp_path: Path) -> None:
    with AddressBook(tmp_path / "a.db") as book:
        book.import_vcard(VCARDS)
        text = book.export_vcard()
    assert "TEL;TYPE=FAX:+32 2 234 56 78" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    again = load_vcards(text)
    with AddressBook(tmp_path / "a.db") as book:
        assert again == book.all()
    long = Contact("x" * 150, (TypedNumber(FAX, "+32 2 234 56 78"),))
    from pyfax.contacts import dump_vcards
    assert load_vcards(dump_vcards([long])) == [long]


@pytest.mark.parametrize("bad", [
    "BEGIN:VCARD\nFN:x\n",
    "END:VCARD\n",
    "BEGIN:VCARD\nBEGIN:VCARD\nEND:VCARD\n",
    "BEGIN:VCARD\nFN x\nEND:VCARD\n",
    "BEGIN:VCARD\nTEL:+3222345678\nEND:VCARD\n",       # no name at all
    "x" * 6_000_000,
])
def test_bad_vcards(bad: str, tmp_path: Path) -> None:
    with pytest.raises(VCardError):
        load_vcards(bad)
    with AddressBook(tmp_path / "b.db") as book, pytest.raises(VCardError):
        book.import_vcard("BEGIN:VCARD\nFN:ok\nEND:VCARD\n" + bad)
    with AddressBook(tmp_path / "b.db") as book:
        assert book.all() == []


def test_book_database_problems_are_typed(tmp_path: Path) -> None:
    with pytest.raises(ContactError, match="cannot open"):
        AddressBook(tmp_path / "missing" / "a.db")
    book = AddressBook(tmp_path / "a.db", timeout_s=0.2)
    blocker = sqlite3.connect(tmp_path / "a.db", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    with pytest.raises(ContactError, match="locked"):
        book.save(c((FAX, "+32 2 234 56 78")))
    blocker.execute("ROLLBACK")
    blocker.close()
    book.save(c((FAX, "+32 2 234 56 78")))
    assert len(book.all()) == 1
    book.close()
