"""numba options for every kernel of the package, in one place.

``cache=True`` so that a second process loads compiled machine code instead of
recompiling. ``fastmath`` stays off: time comparisons in the engagement loop
must be exact IEEE arithmetic for results to be identical on every machine.
"""

from __future__ import annotations

import numba

#: Kernels and helpers. ``nogil`` lets the driver run one kernel call per
#: Python thread in parallel (engine/driver.py); no C-callable wrapper is
#: built, since nothing calls the kernels from C (a little less to compile).
jit = numba.njit(cache=True, nogil=True, fastmath=False, no_cfunc_wrapper=True)

#: Small helpers called in the innermost loops: inlined at numba-IR level so
#: that LLVM sees one function and keeps loop state in registers.
jit_inline = numba.njit(cache=True, nogil=True, fastmath=False, inline="always")
