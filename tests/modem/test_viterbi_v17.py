"""The V.17 trellis encoder and the streaming Viterbi decoder (V.17 §2.3)."""

from __future__ import annotations

import numpy as np
import pytest

from pyfax.errors import ModemError
from pyfax.modem._v17_tables import BITS_PER_SYMBOL, CONSTELLATIONS, CONV_NEXT_STATE
from pyfax.modem._v17_trellis import (
    V17_TRELLIS,
    SubsetSlicer,
    TrellisEncoder,
    differential_decode,
)
from pyfax.modem._viterbi import ViterbiStreamDecoder


def _noisy(rate: int, snr_db: float, n: int, seed: int) -> tuple[np.ndarray, np.ndarray,
                                                                 np.ndarray]:
    rng = np.random.default_rng(seed)
    q = rng.integers(0, 2 ** BITS_PER_SYMBOL[rate], n)
    codes = TrellisEncoder(diff=1).encode(q)
    sig = CONSTELLATIONS[rate][codes]
    sigma = np.sqrt(np.mean(np.abs(sig) ** 2) / 10 ** (snr_db / 10) / 2)
    z = sig + sigma * (rng.standard_normal(n) + 1j * rng.standard_normal(n))
    return q, codes, z


def test_constellations_have_v17_sizes_and_energy() -> None:
    for rate, bps in BITS_PER_SYMBOL.items():
        pts = CONSTELLATIONS[rate]
        assert pts.size == 2 ** (bps + 1)
        assert len(set(pts.tolist())) == pts.size
        assert 39.0 <= np.mean(np.abs(pts) ** 2) <= 43.0


def test_trellis_is_consistent_with_encoder_table() -> None:
    for ns in range(8):
        for prev, lab in zip(V17_TRELLIS.prev_state[ns], V17_TRELLIS.label[ns], strict=True):
            assert CONV_NEXT_STATE[prev][lab >> 1] == ns
            assert lab & 1 == ns >> 2


def test_90_degree_rotation_keeps_q_flips_y0_and_steps_y2y1() -> None:
    """Rotating a point by 90 degrees keeps its uncoded bits, inverts Y0 and
    steps Y2Y1 by one: what the differential and trellis codes are built on."""
    for rate in BITS_PER_SYMBOL:
        pts = CONSTELLATIONS[rate]
        index = {complex(p): i for i, p in enumerate(pts)}
        for i, p in enumerate(pts):
            j = index[complex(p * 1j)]
            assert j >> 3 == i >> 3
            assert j & 1 == 1 - (i & 1)
            assert (j >> 1) & 3 == ((i >> 1) - 1) & 3


def test_viterbi_decodes_a_rotated_stream_up_to_the_first_symbol() -> None:
    q, _, z = _noisy(9600, 40.0, 600, seed=9)
    dec = ViterbiStreamDecoder(V17_TRELLIS, depth=16)
    out = dec.decode(*SubsetSlicer(CONSTELLATIONS[9600])(z * 1j))
    back, _ = differential_decode(out, 0)
    assert np.array_equal(back[1:], q[1: out.size])


def test_differential_decode_inverts_encode() -> None:
    q = np.random.default_rng(1).integers(0, 64, 500)
    codes = TrellisEncoder(diff=1).encode(q)
    back, _ = differential_decode(codes, 1)
    assert np.array_equal(back, q)


@pytest.mark.parametrize("rate", [14400, 7200])
def test_viterbi_corrects_what_hard_decisions_get_wrong(rate: int) -> None:
    snr = {14400: 24.0, 7200: 15.0}[rate]
    _q, codes, z = _noisy(rate, snr, 4000, seed=rate)
    hard = np.abs(z[:, None] - CONSTELLATIONS[rate][None, :]).argmin(axis=1)
    assert np.sum(hard != codes) > 20  # the channel is really noisy
    dec = ViterbiStreamDecoder(V17_TRELLIS, depth=24)
    out = dec.decode(*SubsetSlicer(CONSTELLATIONS[rate])(z))
    assert out.size == z.size - 24
    assert np.array_equal(out, codes[: out.size])


def test_viterbi_output_is_independent_of_block_size() -> None:
    _, _, z = _noisy(14400, 20.0, 1500, seed=3)
    d, c = SubsetSlicer(CONSTELLATIONS[14400])(z)
    whole = ViterbiStreamDecoder(V17_TRELLIS, 16).decode(d, c)
    for block in (1, 7, 160):
        dec = ViterbiStreamDecoder(V17_TRELLIS, 16)
        parts = [dec.decode(d[i:i + block], c[i:i + block]) for i in range(0, len(z), block)]
        assert np.array_equal(np.concatenate(parts), whole)


def test_viterbi_rejects_bad_depth() -> None:
    with pytest.raises(ModemError):
        ViterbiStreamDecoder(V17_TRELLIS, depth=0)


def _reference_viterbi(d: np.ndarray, c: np.ndarray, depth: int, every: int) -> list[int]:
    """A plain Viterbi with the streaming decoder's schedule: from state 0, a
    trace-back from the first best state every ``every`` symbols releasing the
    symbols at least ``depth`` old, path metrics lowered by their minimum after
    each, ties to the first predecessor in the trellis table; a final flush."""
    spec = V17_TRELLIS
    pm = [1e9] * 8
    pm[0] = 0.0
    history: list[list[tuple[int, int]]] = []  # per symbol, per state: (pred, code)
    out: list[int] = []

    def trace(metrics: list[float], release_to: int) -> None:
        state = metrics.index(min(metrics))
        decided = []
        for t in range(len(history) - 1, len(out) - 1, -1):
            pred, code = history[t][state]
            if t < release_to:
                decided.append(code)
            state = pred
        out.extend(reversed(decided))

    for t in range(len(d)):
        new, row = [], []
        for s in range(8):
            sums = [pm[p] + d[t][lab] for p, lab in zip(spec.prev_state[s], spec.label[s],
                                                        strict=True)]
            j = sums.index(min(sums))
            new.append(sums[j])
            row.append((spec.prev_state[s][j], int(c[t][spec.label[s][j]])))
        pm = new
        history.append(row)
        if (t + 1) % every == 0:
            if t + 1 - depth > len(out):
                trace(pm, t + 1 - depth)
            low = min(pm)
            pm = [v - low for v in pm]
    trace(pm, len(history))
    return out


@pytest.mark.parametrize("quantum", [0.0, 0.5])
def test_viterbi_matches_a_plain_reference_including_ties(quantum: float) -> None:
    """The unrolled add-compare-select and the trace-backs give exactly what a
    textbook Viterbi gives; coarse metrics (quantum 0.5) make many ties."""
    _, _, z = _noisy(14400, 17.0, 700, seed=4)
    d, c = SubsetSlicer(CONSTELLATIONS[14400])(z)
    if quantum:
        d = np.round(d / quantum) * quantum
    want = _reference_viterbi(d, c, depth=16, every=32)
    for block in (1, 32, 45, 700):
        dec = ViterbiStreamDecoder(V17_TRELLIS, 16)
        dec.reset(start_state=0)
        parts = [dec.decode(d[i:i + block], c[i:i + block]) for i in range(0, len(z), block)]
        got = np.concatenate([*parts, dec.flush()])
        assert got.tolist() == want
