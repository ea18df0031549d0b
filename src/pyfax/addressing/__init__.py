"""Fax addresses ``<322123456@fax>``: parsing, checking and formatting.

A fax address is the international number (ITU-T E.164) without ``+`` and
without trunk prefix, in the ``fax`` domain. :func:`parse_recipients` sorts
To/Cc/Bcc header values into fax recipients, e-mail recipients, problems
(each with a reason a person can act on and the corrected address when one
can be guessed) and warnings. :class:`FaxAddress` is the typed value passed
inward, with its E.164, display and ``<...@fax>`` forms.

Example::

    r = parse_recipients(to='"Acme Legal" <3222345678@fax>, 32022345678@fax')
    r.fax[0].e164            # '+3222345678'
    r.errors[0].reason       # 'remove the 0 before the area code: <3222345678@fax>'
"""

from pyfax.addressing._numbers import country_name
from pyfax.addressing.address import FAX_DOMAIN, AddressPolicy, FaxAddress
from pyfax.addressing.recipients import (
    AddressProblem,
    FaxRecipient,
    Field,
    Recipients,
    parse_recipients,
)
from pyfax.errors import AddressError, InvalidFaxAddress

__all__ = [
    "FAX_DOMAIN",
    "AddressError",
    "AddressPolicy",
    "AddressProblem",
    "FaxAddress",
    "FaxRecipient",
    "Field",
    "InvalidFaxAddress",
    "Recipients",
    "country_name",
    "parse_recipients",
]
