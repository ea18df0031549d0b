"""Which Unicode code points a TrueType/OpenType font has glyphs for.

Reads the font's ``cmap`` table (OpenType spec, "cmap - Character to Glyph
Index Mapping Table"): subtable formats 4 (BMP segments) and 12 (segmented
coverage, full Unicode), preferring Unicode or Windows-Unicode encodings. A
collection (``ttcf``) is read at its first font. A code point is covered when
it maps to a glyph other than 0 (``.notdef``). Fonts that cannot be parsed
report no coverage rather than raising: the caller then treats the font as
covering only printable ASCII.
"""

from __future__ import annotations

import struct

import numpy as np

_UNICODE_SUBTABLES = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))


def _table_offset(data: bytes, base: int, tag: bytes) -> int | None:
    n_tables = struct.unpack_from(">H", data, base + 4)[0]
    for i in range(n_tables):
        rec = base + 12 + 16 * i
        if data[rec:rec + 4] == tag:
            return int(struct.unpack_from(">I", data, rec + 8)[0])
    return None


def _format4(data: bytes, off: int) -> set[int]:
    seg_x2 = struct.unpack_from(">H", data, off + 6)[0]
    n = seg_x2 // 2
    ends = np.frombuffer(data, ">u2", n, off + 14)
    starts = np.frombuffer(data, ">u2", n, off + 16 + seg_x2)
    deltas = np.frombuffer(data, ">i2", n, off + 16 + 2 * seg_x2)
    ro_base = off + 16 + 3 * seg_x2
    ranges = np.frombuffer(data, ">u2", n, ro_base)
    out: set[int] = set()
    for i in range(n):
        start, end = int(starts[i]), int(ends[i])
        if start == 0xFFFF:
            continue
        if ranges[i] == 0:
            cps = np.arange(start, end + 1)
            gids = (cps + int(deltas[i])) & 0xFFFF
            out.update(cps[gids != 0].tolist())
            continue
        for cp in range(start, end + 1):
            pos = ro_base + 2 * i + int(ranges[i]) + 2 * (cp - start)
            if pos + 2 <= len(data) and struct.unpack_from(">H", data, pos)[0] != 0:
                out.add(cp)
    return out


def _format12(data: bytes, off: int) -> set[int]:
    n_groups = struct.unpack_from(">I", data, off + 12)[0]
    groups = np.frombuffer(data, ">u4", 3 * n_groups, off + 16).reshape(-1, 3)
    out: set[int] = set()
    for start, end, gid in groups.tolist():
        lo = start if gid != 0 else start + 1
        out.update(range(lo, min(end, 0x10FFFF) + 1))
    return out


def codepoints(font_bytes: bytes) -> frozenset[int]:
    """Code points with a real glyph in the font (empty when it cannot be read)."""
    try:
        base = 0
        if font_bytes[:4] == b"ttcf":
            base = struct.unpack_from(">I", font_bytes, 12)[0]
        cmap = _table_offset(font_bytes, base, b"cmap")
        if cmap is None:
            return frozenset()
        n_sub = struct.unpack_from(">H", font_bytes, cmap + 2)[0]
        subs: dict[tuple[int, int], int] = {}
        for i in range(n_sub):
            pid, eid, sub_off = struct.unpack_from(">HHI", font_bytes, cmap + 4 + 8 * i)
            subs[(pid, eid)] = cmap + sub_off
        for key in _UNICODE_SUBTABLES:
            if key not in subs:
                continue
            off = subs[key]
            fmt = struct.unpack_from(">H", font_bytes, off)[0]
            if fmt == 12:
                return frozenset(_format12(font_bytes, off))
            if fmt == 4:
                return frozenset(_format4(font_bytes, off))
        return frozenset()
    except (struct.error, ValueError, IndexError):
        return frozenset()
