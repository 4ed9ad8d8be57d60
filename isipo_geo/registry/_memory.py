"""Which allocator holds a registry's text while it is read and checked.

pandas keeps a registry read as text in Arrow strings, allocated by pyarrow's default memory pool
(mimalloc on Linux wheels). That pool keeps for itself much of what parsing and checking free:
at 84,400 estates, ``build --registry`` kept ~30 MB of it, which the later stages' Python
objects (the funding rows, the map table) could not reuse, and the build peaked 14 MB higher
(534 MB with the system allocator, 548 without; benchmarks/RESULTS.md). The registry's
reading and checking therefore allocate from the system allocator (malloc), whose freed memory
the rest of the process reuses; the caller's default pool is restored afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def system_arrow_pool() -> Iterator[None]:
    """pyarrow's default memory pool set to the system allocator for the block (nothing without
    pyarrow: pandas then keeps text as Python strings)."""
    try:
        import pyarrow as pa
    except ImportError:  # pandas without pyarrow: no Arrow memory to place
        yield
        return
    previous = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(previous)
