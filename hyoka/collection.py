"""Python's cycle collector paused around work that makes many objects which all live until it ends.

The collector walks every object it tracks each time enough new ones have survived; work that
builds a large structure and keeps it to the end (WeasyPrint's boxes of a report, a site's pages
and contracts) makes it walk that growing structure again and again and free nothing. Measured:
a fifth of the Kanagawa PDF's CPU (about 1.7 s of 8 s, 9 MB more at the peak), a tenth of a
publication's (2,000 indicators 2.97 → 2.68 s). In a process forked inside the block, a walk would
also write into every object it passes, copying the memory the process shares with its parent.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The collector off inside the block and as it was after it (processes forked inside inherit the pause)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
