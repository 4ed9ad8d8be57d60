"""Which allocator holds a registry's text while it is read and checked.

pandas keeps a registry read as text in Arrow strings, allocated by pyarrow's default memory pool
(mimalloc on Linux wheels). That pool keeps for itself much of what parsing and checking free:
reading 84,400 estates (a 21.7 MB CSV) left the process 27 MB larger with mimalloc than with
the system allocator (233 MB against 206), memory the later stages' Python objects (the funding
rows, the map table) could not reuse; ``build --registry`` at 84,400 peaked at 548,476 KB with
mimalloc and 534,532 KB with the registry read and checked in the system allocator's memory
(measured side by side, December 2026). The registry's reading and checking therefore allocate
from the system allocator (malloc), whose freed memory the rest of the process reuses; the
caller's default pool is restored afterwards.
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
