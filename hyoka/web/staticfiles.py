"""The apps' static files (hyoka's CSS and scripts, the admin's), served by WhiteNoise from the apps' folders.

There is no ``collectstatic`` step: WhiteNoise finds the files through Django's finders when its
middleware is made. Django makes the middleware once per request handler, and a process can have
many handlers (the test client makes one per client, a thousand in the permission tests), so the
files found are kept for the process: finding them again took 17 ms each time.
"""

from __future__ import annotations

from typing import Any

from whitenoise.middleware import WhiteNoiseMiddleware


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    _found: dict[str, Any] | None = None  # URL → WhiteNoise's StaticFile, once per process

    def add_files_from_finders(self) -> None:
        cls = type(self)
        if cls._found is None:
            super().add_files_from_finders()
            cls._found = dict(self.files)
        else:
            self.files.update(cls._found)
