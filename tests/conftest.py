"""Settings shared by the whole suite.

Hypothesis: no per-example deadline. Timing is measured in ``benchmarks/``,
never in a test; on a loaded 2-core CI machine a slow example is not a bug,
and a deadline would only make the suite flaky.
"""

from __future__ import annotations

from hypothesis import settings

settings.register_profile("pyfax", deadline=None)
settings.load_profile("pyfax")
