"""The one exception hierarchy of pyfax, rooted at :class:`FaxError`.

An exception means a bug, a misuse, or input that cannot be used. A fax call
that fails is a *result* (``pyfax.t30.CallResult``), never an exception.

Each layer has its own branch so that callers can catch exactly what they can
act on; every exception carries the facts a person needs to act on it.
Layers may add subclasses here, under their own branch.
"""

from __future__ import annotations

from decimal import Decimal


class FaxError(Exception):
    """Root of every exception raised by pyfax."""


# --- t4: the page codec -----------------------------------------------------


class T4Error(FaxError):
    """A problem in T.4/T.6 image coding."""


class T4EncodeError(T4Error):
    """A page that cannot be encoded (wrong shape, width or type)."""


class T4DecodeError(T4Error):
    """A coded page stream that cannot be decoded.

    Attributes:
        line: the 0-based row at which decoding failed.
        bit_offset: the bit position in the stream where the fault was found.
    """

    def __init__(self, message: str, *, line: int, bit_offset: int) -> None:
        super().__init__(f"{message} (line {line}, bit offset {bit_offset})")
        self.line = line
        self.bit_offset = bit_offset


class TiffError(T4Error):
    """A TIFF file that cannot be read or written as fax pages."""


# --- modem: the physical layer ---------------------------------------------


class ModemError(FaxError):
    """A misuse of a modem (unknown modem or rate, bad parameters)."""


# --- t30: the session -------------------------------------------------------


class T30Error(FaxError):
    """A misuse of the T.30 engine, or a frame that cannot be used."""


class FrameDecodeError(T30Error):
    """A T.30 frame whose octets do not form a valid frame."""


# --- compose: message to pages ----------------------------------------------


class ComposeError(FaxError):
    """A message that cannot be turned into fax pages."""


class AttachmentError(ComposeError):
    """An attachment that cannot be used.

    Attributes:
        attachment: the attachment's name as the user gave it.
        reason: why it cannot be used, in words a person can act on.
    """

    def __init__(self, attachment: str, reason: str) -> None:
        super().__init__(f"attachment {attachment!r}: {reason}")
        self.attachment = attachment
        self.reason = reason


class EmptyAttachment(AttachmentError):
    """An attachment with no content (zero bytes, or only blank text)."""


class UnreadableAttachment(AttachmentError):
    """An attachment file that cannot be read (missing, no permission, too large)."""


class CorruptAttachment(AttachmentError):
    """A truncated or damaged PDF or image."""


class EncryptedAttachment(AttachmentError):
    """A password-protected PDF given without its (correct) password."""


class DecompressionBomb(AttachmentError):
    """An image whose declared pixel count is beyond the limit (checked before decoding)."""


class UnsupportedAttachment(AttachmentError):
    """Content of a type that cannot be faxed (or needs a converter that is not installed)."""


class PageLimitExceeded(AttachmentError):
    """The message would have more pages than the configured limit.

    Attributes:
        n_pages: the page count reached when the limit was crossed.
        page_limit: the configured limit.
    """

    def __init__(self, attachment: str, *, n_pages: int, page_limit: int) -> None:
        super().__init__(attachment, f"message reaches {n_pages} pages, over the limit of "
                                     f"{page_limit}")
        self.n_pages = n_pages
        self.page_limit = page_limit


class EmptyMessage(ComposeError):
    """A message with neither body text nor attachments: there is nothing to fax."""


# --- addressing and contacts -------------------------------------------------


class AddressError(FaxError):
    """A fax address that cannot be used."""


class InvalidFaxAddress(AddressError):
    """A fax address or number that cannot be used.

    Attributes:
        entry: the text as the user typed it.
        reason: why it cannot be used, in words a person can act on.
        suggestion: the corrected ``<...@fax>`` form when one can be guessed,
            else ``None``.
    """

    def __init__(self, entry: str, reason: str, suggestion: str | None = None) -> None:
        hint = f" (did you mean {suggestion}?)" if suggestion else ""
        super().__init__(f"{entry!r}: {reason}{hint}")
        self.entry = entry
        self.reason = reason
        self.suggestion = suggestion


class ContactError(FaxError):
    """A contact that cannot be stored, read or faxed."""


class UnknownContact(ContactError):
    """No contact of that name in the address book."""


class VCardError(ContactError):
    """A vCard that cannot be parsed."""


# --- billing -----------------------------------------------------------------


class BillingError(FaxError):
    """A problem with accounts, credit, holds or tariffs."""


class InsufficientCredit(BillingError):
    """The available balance is below what the operation needs.

    Attributes:
        shortfall: how much must be added, in the account's currency.
        currency: the ISO 4217 code of the account.
    """

    def __init__(self, message: str, *, shortfall: Decimal, currency: str) -> None:
        super().__init__(message)
        self.shortfall = shortfall
        self.currency = currency


class UnknownAccount(BillingError):
    """No ledger account of that name."""

    def __init__(self, account: str) -> None:
        super().__init__(f"no account named {account!r}; open it first")
        self.account = account


class UnknownCurrency(BillingError):
    """An ISO 4217 code that the billing layer has no exchange rate for."""

    def __init__(self, currency: str) -> None:
        super().__init__(f"unknown or unsupported currency {currency!r}")
        self.currency = currency


class CurrencyMismatch(BillingError):
    """An amount in a currency other than the account's."""

    def __init__(self, *, expected: str, got: str) -> None:
        super().__init__(f"amount is in {got} but the account is in {expected}")
        self.expected = expected
        self.got = got


class InvalidAmount(BillingError):
    """An amount that is not positive, not finite, or finer than the currency allows."""


class ReferenceConflict(BillingError):
    """A reference reused for a different operation (other account, amount or kind)."""

    def __init__(self, reference: str, detail: str) -> None:
        super().__init__(f"reference {reference!r} already used: {detail}")
        self.reference = reference


class UnknownHold(BillingError):
    """No hold with that reference or id."""


class HoldAlreadySettled(BillingError):
    """A hold that was already charged or released, asked to close differently."""

    def __init__(self, reference: str, outcome: str) -> None:
        super().__init__(f"hold {reference!r} is already closed ({outcome})")
        self.reference = reference
        self.outcome = outcome


class TariffError(BillingError):
    """A tariff table that cannot be read, or a destination it does not price."""


class PaymentError(BillingError):
    """A card payment that did not go through."""


class InvalidCard(PaymentError):
    """A card number, expiry or CVC that is malformed (fails Luhn, bad format)."""


class CardDeclined(PaymentError):
    """The card issuer declined the charge."""


class CardExpired(PaymentError):
    """The card's expiry date has passed."""


class ProcessorUnavailable(PaymentError):
    """The payment processor failed or could not be reached; retry later."""


# --- delivery and lines ------------------------------------------------------


class DeliveryError(FaxError):
    """A send request or job that cannot be processed."""


class LineError(FaxError):
    """A telephony backend that cannot be used (misconfigured, unreachable)."""
