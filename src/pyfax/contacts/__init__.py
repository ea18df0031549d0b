"""Address book: contacts with typed numbers (fax, phone, mobile, other), vCard.

Contacts live in the same SQLite file as the credit ledger, in their own
tables (:class:`AddressBook`). ``contact.fax_address()`` gives the
``<...@fax>`` address of the contact's fax number; when there is none,
``contact.why_not_faxable()`` says why and how to fix it.
"""

from pyfax.contacts.book import AddressBook
from pyfax.contacts.contact import Contact, NumberType, TypedNumber
from pyfax.contacts.vcard import dump_vcards, load_vcards

__all__ = ["AddressBook", "Contact", "NumberType", "TypedNumber", "dump_vcards", "load_vcards"]
