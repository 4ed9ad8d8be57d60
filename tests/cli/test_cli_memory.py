"""The console script's process-wide memory rule: Arrow's buffers in the system allocator."""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = """
import sys
from isipo_geo.cli import main
sys.argv = ["isipo-geo", "estates", "قم", "--format", "csv"]
try:
    main()
except SystemExit:
    pass
import pyarrow
print("POOL", pyarrow.default_memory_pool().backend_name)
"""


def _pool(env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          env=env, check=True)
    return next(line for line in done.stdout.splitlines() if line.startswith("POOL ")).split()[1]


def test_a_command_keeps_arrow_in_the_system_allocator_unless_told_otherwise() -> None:
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    assert _pool(env) == "system"
    # a user's own choice stands
    assert _pool({**env, "ARROW_DEFAULT_MEMORY_POOL": "mimalloc"}) == "mimalloc"
