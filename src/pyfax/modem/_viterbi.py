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
    codes)``, where ``winners[s]`` is the predecessor state that won state
    ``s``, and it returns the new path metrics. Unrolling the 8
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
        lines += [  # ties go to the first candidate, as in a scan with strict <
            f"        a = {cands[0]}; b = {cands[1]}; c2 = {cands[2]}; d = {cands[3]}",
            f"        j{s} = {prev[0]}",
            f"        if b < a: a = b; j{s} = {prev[1]}",
            f"        if d < c2: c2 = d; jc = {prev[3]}",
            f"        else: jc = {prev[2]}",
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
        # _label_of[s][p]: the subset on the branch from state p into state s
        self._label_of = [[0] * spec.n_states for _ in range(spec.n_states)]
        for s, (prev, lab) in enumerate(zip(spec.prev_state, spec.label, strict=True)):
            for p, subset in zip(prev, lab, strict=True):
                self._label_of[s][p] = subset
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
        return np.asarray(self.decode_list(distances, codes), dtype=np.int64)

    def decode_list(self, distances: NDArray[np.float64], codes: NDArray[np.int64]
                    ) -> list[int]:
        """:meth:`decode`, with the decided codes as a list of ints."""
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
        return out

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
        first = self._first_step
        steps = self._steps
        for won, _ in reversed(steps[release_to - first:self.n_symbols - first]):
            state = won[state]
        label_of = self._label_of
        decided: list[int] = []
        for won, c in reversed(steps[self._n_out - first:release_to - first]):
            p = won[state]
            decided.append(c[label_of[state][p]])
            state = p
        out.extend(reversed(decided))
        self._n_out = release_to
        drop = release_to - self._first_step
        del self._steps[:drop]
        self._first_step = release_to
