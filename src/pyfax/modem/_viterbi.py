"""A streaming Viterbi decoder for trellis-coded modulation (used by V.17).

How it works: the trellis (:class:`~pyfax.modem._v17_trellis.TrellisSpec`)
has four branches into each of its states, each branch labelled with a subset
of the constellation. For every received symbol the caller supplies, per
subset, the squared distance to the nearest point of that subset and that
point's code (computed for a whole block at once with numpy). Each step adds
these branch metrics to the path metrics of the four predecessors of every
state and keeps the best: add-compare-select over all 8 states, in plain
Python floats, unrolled into straight-line code generated from the trellis
table (for 32 candidates that is several times faster than numpy calls per
symbol). Each step records, per state, which predecessor won.

Decisions come from trace-backs along the best path, made every ``TRACE_EVERY``
symbols *of the whole stream* (never at the caller's block edges): each
releases the symbols that are at least ``depth`` old. So a symbol is decided
``depth`` to ``depth + TRACE_EVERY - 1`` symbols after it arrived, and the
output never depends on how the input was cut into blocks. The path metrics
and the recent steps persist between calls, as in komm's
``ViterbiStreamDecoder``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from pyfax.errors import ModemError
from pyfax.modem._v17_trellis import TrellisSpec

__all__ = ["TRACE_EVERY", "ViterbiStreamDecoder"]

TRACE_EVERY = 32
"""Symbols between trace-backs, counted from the start of the stream."""

_UNREACHABLE = 1e9

AcsRun = Callable[[list[float], list[tuple[list[float], list[int]]],
                   list[tuple[tuple[int, ...], list[int]]]], list[float]]


def _build_acs(spec: TrellisSpec) -> AcsRun:
    """Compile the add-compare-select loop of ``spec``, unrolled over its states.

    The generated function takes the path metrics, a run of ``(metrics,
    codes)`` rows and the list of steps; for each row it appends ``(winners,
    codes)``, where ``winners[s]`` is the index (0-3) of the predecessor that
    won state ``s``, and it returns the new path metrics. Unrolling the 8
    states into straight-line code on local variables, generated from the
    trellis table, is what makes the loop fast in plain Python.
    """
    n = spec.n_states
    p = ", ".join(f"p{i}" for i in range(n))
    lines = ["def acs(pm, rows, steps):", f"    {p} = pm", "    app = steps.append",
             "    for m, c in rows:", "        " + ", ".join(f"m{i}" for i in range(8))
             + " = m"]
    for s, (prev, lab) in enumerate(zip(spec.prev_state, spec.label, strict=True)):
        cands = [f"p{prev[j]} + m{lab[j]}" for j in range(4)]
        lines += [
            f"        a = {cands[0]}; b = {cands[1]}; c2 = {cands[2]}; d = {cands[3]}",
            f"        j{s} = 0",
            f"        if b < a: a = b; j{s} = 1",
            "        if d < c2: c2 = d; jc = 3",
            "        else: jc = 2",
            f"        if c2 < a: a = c2; j{s} = jc",
            f"        n{s} = a",
        ]
    lines += ["        app(((" + ", ".join(f"j{i}" for i in range(n)) + "), c))",
              f"        {p} = " + ", ".join(f"n{i}" for i in range(n)),
              f"    return [{p}]"]
    namespace: dict[str, AcsRun] = {}
    exec("\n".join(lines), namespace)  # the source is generated from our own table
    return namespace["acs"]


class ViterbiStreamDecoder:
    """Viterbi decoding of a trellis code, one block at a time.

    Args:
        spec: the trellis.
        depth: minimum decision delay in symbols.

    Raises:
        ModemError: if ``depth`` is not positive.
    """

    def __init__(self, spec: TrellisSpec, depth: int = 24) -> None:
        if depth < 1:
            raise ModemError(f"Viterbi depth must be at least 1, got {depth}")
        self.depth = depth
        self._acs = _build_acs(spec)
        self._prev = spec.prev_state
        self._label = spec.label
        self.path_metric: list[float] = [0.0] * spec.n_states
        self._steps: list[tuple[tuple[int, ...], list[int]]] = []  # (winners, codes)
        self._first_step = 0  # stream index of self._steps[0]
        self.n_symbols = 0
        self._n_out = 0

    def reset(self, start_state: int | None = None) -> None:
        """Forget every path; optionally, the encoder is known to start in ``start_state``."""
        n = len(self.path_metric)
        self.path_metric = [0.0] * n
        if start_state is not None:
            self.path_metric = [_UNREACHABLE] * n
            self.path_metric[start_state] = 0.0
        self._steps = []
        self._first_step = 0
        self.n_symbols = 0
        self._n_out = 0

    def decode(self, distances: NDArray[np.float64], codes: NDArray[np.int64]) -> NDArray[np.int64]:
        """Advance over a block of symbols; return the codes decided meanwhile.

        Args:
            distances: ``(n, n_subsets)`` squared distance from each received
                symbol to the nearest point of every subset.
            codes: ``(n, n_subsets)`` code of that nearest point.

        Returns:
            The decided codes, oldest first, continuing where the last call
            stopped.
        """
        pm = self.path_metric
        steps = self._steps
        out: list[int] = []
        rows = list(zip(distances.tolist(), codes.tolist(), strict=True))
        pos = 0
        while pos < len(rows):
            # run up to the next trace-back point of the stream
            take = TRACE_EVERY - self.n_symbols % TRACE_EVERY
            run = rows[pos:pos + take]
            pm = self._acs(pm, run, steps)
            pos += len(run)
            self.n_symbols += len(run)
            if self.n_symbols % TRACE_EVERY == 0:
                self._trace_back(pm, out)
                low = min(pm)
                pm = [v - low for v in pm]
        self.path_metric = pm
        return np.asarray(out, dtype=np.int64)

    def flush(self) -> NDArray[np.int64]:
        """Release every symbol still held, along the best path (end of the stream)."""
        out: list[int] = []
        self._trace_back(self.path_metric, out, release_to=self.n_symbols)
        return np.asarray(out, dtype=np.int64)

    def _trace_back(self, pm: list[float], out: list[int], release_to: int | None = None
                    ) -> None:
        """Release, oldest first, the symbols at least ``depth`` old (or up to
        ``release_to``)."""
        if release_to is None:
            release_to = self.n_symbols - self.depth
        if release_to <= self._n_out:
            return
        state = pm.index(min(pm))
        prev, label = self._prev, self._label
        decided: list[int] = []
        for idx in range(self.n_symbols - 1, self._n_out - 1, -1):
            won, c = self._steps[idx - self._first_step]
            j = won[state]
            if idx < release_to:
                decided.append(c[label[state][j]])
            state = prev[state][j]
        out.extend(reversed(decided))
        self._n_out = release_to
        drop = release_to - self._first_step
        del self._steps[:drop]
        self._first_step = release_to
