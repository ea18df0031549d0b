"""The ``pyfax`` command line.

Each command lives in its own module under :mod:`pyfax.cli` and exposes
``register(subparsers)``, which adds its sub-parser and sets ``func`` (taking
the parsed ``argparse.Namespace`` and returning the process exit code).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
from collections.abc import Sequence

__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "main"]

EXIT_OK = 0
EXIT_FAILED = 1  # the job ran and did not succeed (e.g. fax not delivered)
EXIT_USAGE = 2  # bad arguments or unusable input

# Command modules, in the order ``pyfax --help`` lists them.
_COMMAND_MODULES = ("demo", "send", "status", "worker", "receive", "decode_call",
                    "preview", "credit", "rates", "t4")


def _build_parser() -> argparse.ArgumentParser:
    from pyfax import __version__

    parser = argparse.ArgumentParser(prog="pyfax", description="Send and receive faxes.")
    parser.add_argument("--version", action="version", version=f"pyfax {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _COMMAND_MODULES:
        modname = f"pyfax.cli.{name}"
        if importlib.util.find_spec(modname) is None:
            continue
        importlib.import_module(modname).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return EXIT_USAGE
    from pyfax.errors import FaxError, UnknownAccount

    try:
        code: int = func(args)
    except BrokenPipeError:  # e.g. `pyfax credit history | head`: the reader has enough
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # no second error when Python flushes stdout
        return EXIT_FAILED
    except FaxError as exc:
        print(f"pyfax: error: {exc}", file=sys.stderr)
        if isinstance(exc, UnknownAccount):  # the CLI opens an account at its first top-up
            print(f"pyfax: an account is opened by its first top-up: pyfax credit topup "
                  f"--account {exc.account} --amount 20 --card NUMBER --exp MM/YY --cvc CVC",
                  file=sys.stderr)
        return EXIT_USAGE
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
