"""A streaming Viterbi decoder for trellis-coded modulation (used by V.17).

How it works: the trellis (:class:`~pyfax.modem._v17_trellis.TrellisSpec`)
has four branches into each of its states, each branch labelled with a subset
of the constellation. For every received symbol the caller supplies, per
subset, the squared distance to the nearest point of that subset and that
point's code. Each step adds these branch metrics to the path metrics of the
four predecessors of every state and keeps the best (add-compare-select on all
states at once, with numpy). Survivor paths are kept by register exchange: an
``(n_states, depth)`` array of point codes, re-gathered by the winning
predecessors each step. The decision for a symbol is read from the best path
exactly ``depth`` symbols later, so the output never depends on how the input
was cut into blocks. The path metrics and survivors persist between calls, as
komm's ``ViterbiStreamDecoder`` does.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from pyfax.errors import ModemError
from pyfax.modem._v17_trellis import TrellisSpec

__all__ = ["ViterbiStreamDecoder"]


class ViterbiStreamDecoder:
    """Fixed-delay Viterbi decoding of a trellis code, one block at a time.

    Args:
        spec: the trellis.
        depth: decision delay in symbols (the survivor length).

    Raises:
        ModemError: if ``depth`` is not positive.
    """

    def __init__(self, spec: TrellisSpec, depth: int = 24) -> None:
        if depth < 1:
            raise ModemError(f"Viterbi depth must be at least 1, got {depth}")
        n = spec.n_states
        self.depth = depth
        self._prev = np.asarray(spec.prev_state, dtype=np.intp)
        self._label = np.asarray(spec.label, dtype=np.intp)
        self._rows = np.arange(n)
        self.path_metric = np.zeros(n)
        self.survivors = np.zeros((n, depth), dtype=np.int64)
        self.ptr = 0
        self.n_symbols = 0

    def reset(self) -> None:
        """Forget every path (start of a new trellis-coded section)."""
        self.path_metric[:] = 0.0
        self.survivors[:] = 0
        self.ptr = 0
        self.n_symbols = 0

    def decode(self, distances: NDArray[np.float64], codes: NDArray[np.int64]) -> NDArray[np.int64]:
        """Advance over a block of symbols; return the codes decided meanwhile.

        Args:
            distances: ``(n, n_subsets)`` squared distance from each received
                symbol to the nearest point of every subset.
            codes: ``(n, n_subsets)`` code of that nearest point.

        Returns:
            The decided codes of the symbols that became ``depth`` old during
            this block, oldest first (none for the first ``depth`` symbols).
        """
        prev, label, rows = self._prev, self._label, self._rows
        pm = self.path_metric
        surv = self.survivors
        ptr, depth = self.ptr, self.depth
        matured = self.n_symbols - depth
        out: list[int] = []
        for m, c in zip(distances, codes, strict=True):
            cand = pm[prev] + m[label]
            j = cand.argmin(axis=1)
            pm = cand[rows, j]
            pm -= pm.min()
            surv = surv[prev[rows, j]]
            if matured >= 0:
                out.append(int(surv[int(pm.argmin()), ptr]))
            matured += 1
            surv[:, ptr] = c[label[rows, j]]
            ptr += 1
            if ptr == depth:
                ptr = 0
        self.path_metric, self.survivors, self.ptr = pm, surv, ptr
        self.n_symbols = matured + depth
        return np.asarray(out, dtype=np.int64)
