"""A PostgreSQL server of the test's own, which the test may stop and start: the shared one on 5432 is never touched.

Other checkouts run their tests on the shared server at the same time, so a test that
restarts its database makes a private cluster with ``initdb`` in a temporary folder and
drives it with ``pg_ctl``. PostgreSQL refuses to run as root; as root the tools are run
as the ``postgres`` user. Durability is left at PostgreSQL's defaults, stated explicitly
(``fsync`` and ``synchronous_commit`` on), because what the test proves rests on them.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from live import free_port

SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "on",
    "synchronous_commit": "on",
    "full_page_writes": "on",
    "max_connections": "40",
    "shared_buffers": "16MB",
}


def postgres_bin() -> Path | None:
    """The folder of the newest installed PostgreSQL's server tools (Debian keeps them out of PATH)."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    return versions[-1].parent if versions else None


def missing_tools() -> str:
    """Why a private cluster cannot be made here ("" when it can)."""
    if postgres_bin() is None:
        return "PostgreSQL's server tools (initdb, pg_ctl) are not installed"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no postgres user to run the server as"
        if shutil.which("runuser") is None:
            return "running as root and runuser is missing"
    return ""


class Cluster:
    """initdb, start, stop (in any shutdown mode) and removal of one private PostgreSQL cluster on a free port."""

    def __init__(self) -> None:
        self.bin = postgres_bin()
        assert self.bin is not None, missing_tools()
        self.port = free_port()
        # Under /tmp rather than pytest's tmp_path: the postgres user must be able to reach it.
        self.folder = Path(tempfile.mkdtemp(prefix="hyoka_cluster_"))
        self.data = self.folder / "data"
        self.log = self.folder / "postgres.log"
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.folder, user.pw_uid, user.pw_gid)

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, tool: str, *args: str, timeout: float = 60) -> None:
        command = [str(self.bin / tool), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False, cwd=self.folder)
        if result.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise AssertionError(f"{tool} {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}\n{log}")

    def create(self) -> Cluster:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        settings = {**SETTINGS, "port": str(self.port), "unix_socket_directories": str(self.folder)}
        with (self.data / "postgresql.auto.conf").open("a", encoding="utf-8") as conf:
            conf.writelines(f"{name} = '{value}'\n" for name, value in settings.items())
        return self

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        """``immediate`` ends every server process at once without a checkpoint, as a crash would; ``fast`` shuts down cleanly."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


@contextmanager
def private_cluster() -> Iterator[Cluster]:
    cluster = Cluster().create()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.remove()
