"""Writing files so that a reader never sees half of one: into a temporary file, then renamed."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

FILE_MODE = 0o644  # exports are meant to be read by others (open data, shared folders)


def write_atomic(path: str | Path, write: Callable[[Path], None]) -> None:
    """Call *write* with a temporary path beside *path*, then put the result in place."""
    target = Path(path)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        tmp.chmod(FILE_MODE)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
