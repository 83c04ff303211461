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

#: Small helpers that take arrays, called in the innermost loops: inlined at
#: numba-IR level, so that the kernel reference-counts no array per call and
#: LLVM keeps loop state in registers. Each call site costs compile time (the
#: kernel is re-analysed), so helpers of scalars only are plain ``jit``.
jit_inline = numba.njit(cache=True, nogil=True, fastmath=False, inline="always")
