"""``pyfax credit``: top up by card, show the balance and the history of an account.

``topup`` charges a card through the built-in test gateway (see
:mod:`pyfax.billing.gateway` for its test card numbers) and credits the
account exactly once per idempotency key; it prints the key so that an
interrupted top-up can be retried safely with ``--idempotency-key``.
The database is ``--db``, else ``$PYFAX_DB``, else ``$PYFAX_HOME/credit.db``,
else ``~/.pyfax/credit.db`` (the ledger ``pyfax send`` and ``pyfax worker`` use).
"""

from __future__ import annotations

import argparse
import sys
import uuid
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pyfax.billing import Card, Entry, Ledger, TestGateway, ensure_db_path, topup
from pyfax.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from pyfax.errors import PaymentError, UnknownAccount

_SHOWN_ENTRIES = 10


def register(subparsers: Any) -> None:
    """Add the ``credit`` sub-command and its ``topup``, ``balance``, ``history``."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "credit", help="prepaid credit: top up, balance, history",
        description="Prepaid fax credit. Nothing is sent below 10 EUR available.")
    sub = p.add_subparsers(dest="credit_command", metavar="ACTION", required=True)
    top = sub.add_parser("topup", help="add credit by card")
    _common(top)
    top.add_argument("--amount", required=True, help="amount in the account's currency")
    top.add_argument("--card", required=True, help="card number")
    top.add_argument("--exp", required=True, help="expiry, MM/YY")
    top.add_argument("--cvc", required=True, help="card security code")
    top.add_argument("--currency", default="EUR", help="currency of a new account (EUR)")
    top.add_argument("--idempotency-key", help="repeat the key printed by an interrupted try")
    top.set_defaults(func=run_topup)
    bal = sub.add_parser("balance", help="available credit, open holds, last entries")
    _common(bal)
    bal.set_defaults(func=run_balance)
    hist = sub.add_parser("history", help="every entry of the account")
    _common(hist)
    hist.add_argument("--limit", type=int, default=None, help="only the last N entries")
    hist.set_defaults(func=run_history)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--account", required=True, help="account name")
    p.add_argument("--db", type=Path, default=None, help="database file")


def _ledger(args: argparse.Namespace) -> Ledger:
    return Ledger(ensure_db_path(args.db))


def run_topup(args: argparse.Namespace) -> int:
    """Charge the card and credit the account; returns the exit code."""
    try:
        amount = Decimal(args.amount)
    except InvalidOperation:
        print(f"pyfax credit: amount {args.amount!r} is not a number", file=sys.stderr)
        return EXIT_USAGE
    card = Card.parse(args.card, args.exp, args.cvc)
    key = args.idempotency_key or f"topup-{uuid.uuid4().hex}"
    with _ledger(args) as ledger:
        try:
            ledger.account(args.account)
        except UnknownAccount:
            ledger.open_account(args.account, currency=args.currency)
        gateway = TestGateway(ledger.path)
        try:
            entry = topup(ledger, args.account, amount, card, gateway, key)
        except PaymentError as exc:
            print(f"pyfax credit: payment failed: {exc}", file=sys.stderr)
            return EXIT_FAILED
        except BaseException:
            print(f"pyfax credit: interrupted; retry with --idempotency-key {key}",
                  file=sys.stderr)
            raise
        bal = ledger.balance(args.account)
    print(f"credited {entry.amount} {entry.currency} to {args.account} ({entry.note})")
    print(f"available: {bal.available} {bal.currency}   idempotency key: {key}")
    return EXIT_OK


def _line(e: Entry) -> str:
    when = e.created_at.strftime("%Y-%m-%d %H:%M:%S")
    sign = "-" if e.total_delta < 0 else "+" if e.total_delta > 0 else " "
    return (f"{e.id:>6}  {when}  {e.kind.value:<10} {sign}{e.amount:>10} {e.currency}  "
            f"{e.reference}  {e.note}").rstrip()


def run_balance(args: argparse.Namespace) -> int:
    """Print the balance, open holds and the last entries."""
    with _ledger(args) as ledger:
        bal = ledger.balance(args.account)
        minimum = ledger.minimum_to_send(args.account)
        holds = ledger.open_holds(args.account)
        last = ledger.entries(args.account, limit=_SHOWN_ENTRIES)
    print(f"account {args.account}: available {bal.available} {bal.currency} "
          f"(total {bal.total}, held {bal.held})")
    if bal.available < minimum.amount:
        print(f"sending needs at least {minimum} available: add "
              f"{minimum.amount - bal.available} {bal.currency}")
    print(f"open holds: {len(holds)}")
    for h in holds:
        print(f"  {h.reference}  {h.amount} {h.currency}  since {h.created_at:%Y-%m-%d %H:%M}")
    print(f"last {len(last)} entries:")
    for e in last:
        print("  " + _line(e))
    return EXIT_OK


def run_history(args: argparse.Namespace) -> int:
    """Print the account's entries, oldest first."""
    with _ledger(args) as ledger:
        entries = ledger.entries(args.account, limit=args.limit)
    for e in entries:
        print(_line(e))
    return EXIT_OK
