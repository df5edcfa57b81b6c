"""Writing files so that a reader never sees half of one: into a temporary file, then renamed."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

FILE_MODE = 0o644  # exports are meant to be read by others (open data, shared folders)


def write_atomic(path: str | Path, write: Callable[[Path], None], mode: int = FILE_MODE) -> None:
    """Call *write* with a temporary path beside *path*, then put the result in place.

    The temporary file is private until it is whole (mkstemp makes it 0600), then gets *mode*
    and reaches the disk before the rename, so a crash leaves the old file or the new one.
    """
    target = Path(path)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        tmp.chmod(mode)
        with tmp.open("rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
