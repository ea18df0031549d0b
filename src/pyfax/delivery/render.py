"""Plain-text tables of delivery reports and jobs, for the CLI and notices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pyfax.delivery.report import AttemptRecord, SendReport

__all__ = ["attempts_table", "report_text", "table"]


def table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    """Left-aligned columns separated by two spaces.

    >>> print(table([["a", "bb"]], ["x", "y"]))
    x  y
    a  bb
    """
    cells = [list(header), *[list(r) for r in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
                     for row in cells)


def _when(time_s: float) -> str:
    return dt.datetime.fromtimestamp(time_s, tz=dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


def attempts_table(attempts: Sequence[AttemptRecord]) -> str:
    """One row per attempt: number, time (UTC), code, pages, line time, rate, cost, reason."""
    rows = [[str(a.number), _when(a.time_s), a.code, str(a.pages), f"{a.line_time_s:.1f}",
             str(a.bit_rate or "-"), str(a.cost), a.text] for a in attempts]
    return table(rows, ["#", "time (UTC)", "code", "pages", "line s", "bit/s", "cost", "reason"])


def report_text(report: SendReport) -> str:
    """The delivery report of one ``send()``, as a person reads it."""
    lines = ([f"message {report.message_id}: {report.n_pages} page(s)"] if report.message_id
             else ["no fax was sent: the message has no usable fax recipient"])
    rows = [[str(r.job_id), r.e164, str(r.status), str(len(r.attempts)), str(r.pages),
             f"{r.line_time_s:.1f}", str(r.bit_rate or "-"), "yes" if r.ecm else "no",
             r.remote_csi or "-", f"{r.cost} {r.currency}"] for r in report.recipients]
    if rows:
        lines.append(table(rows, ["job", "number", "status", "tries", "pages", "line s", "bit/s",
                                  "ECM", "remote CSI", "charged"]))
    for r in report.rejected:
        hint = f" (try {r.suggestion})" if r.suggestion else ""
        lines.append(f"not sent to {r.entry}: {r.reason}{hint}")
    for w in report.warnings:
        lines.append(f"warning: {w}")
    if report.email:
        lines.append("e-mail recipients (for the mailer): " + ", ".join(report.email))
    if report.recipients:
        currency = report.recipients[0].currency
        lines.append(f"total charged: {report.total_cost} {currency}")
    return "\n".join(lines)
