"""A process that exits while its filter columns are being built in the background exits cleanly.

The build reads Chroma from a daemon thread; at interpreter exit that thread was still inside Chroma's
bindings and the process died of a segmentation fault (a one-shot `shopguide search`, one time in three).
"""

from __future__ import annotations

import subprocess
import sys

from shopguide.settings import PROJECT_ROOT

EXIT_MID_BUILD = """
import sys
from pathlib import Path
import numpy as np
from shopguide.settings import Settings
from shopguide.store.client import make_chroma_client
from shopguide.store.garment_store import GarmentStore

settings = Settings(var_dir=Path(sys.argv[1]), chroma_url=None, redis_url=None)
store = GarmentStore(make_chroma_client(settings), "exit", {"text": 8}, "test")
if sys.argv[2] == "fill":
    metadatas = [{"item_id": f"i{i}", "category": "shirt"} for i in range(200)]
    store.upsert(metadatas, {"text": np.random.default_rng(0).standard_normal((200, 8)).astype(np.float32)})
else:
    store.columns()  # starts the build in the background; the process exits at once
"""


def test_exiting_while_the_columns_are_built_is_a_clean_exit(tmp_path):
    def run(step: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-c", EXIT_MID_BUILD, str(tmp_path), step]
        return subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)

    assert run("fill").returncode == 0
    exits = [run("exit").returncode for _ in range(3)]  # without the stop at exit: -11 every time here
    assert exits == [0, 0, 0]
