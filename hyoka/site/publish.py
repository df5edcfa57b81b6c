"""``hyoka publish``: write the whole site into a folder, as plain files for any web server.

A publication keeps a manifest in the folder (``.hyoka-site``): per plan, the fingerprint
of its published copy, the files it wrote and what the pages above the plans show of it.
The next publication rebuilds only the plans whose fingerprint changed, the pages that
list plans (home, search, search index) and nothing else, and drops the plans that are
gone; a national site where one plan changed is republished in seconds. The fingerprint
also covers hyoka's own code, templates and translations, so a new hyoka rebuilds all;
``full=True`` (``hyoka publish --full``) rebuilds all regardless.

A reader never sees half a site. A full publication is written beside the target and
moved into place at the end, so files of an earlier publication (a year since withdrawn,
an indicator since removed) cannot survive into the new one. An incremental one writes
each rebuilt plan whole into a staging folder beside the target first; only when every
file is written does it move the plans' folders, the shared files and the manifest into
place, by renames. A folder that is not an earlier site is never deleted.
"""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, partial
from importlib import resources
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

from .. import __version__
from ..collection import paused
from ..core.errors import InputError
from ..core.model import Plan
from ..formats.hyoka1 import plan_from_dict
from . import paths
from .listing import Listing
from .plansite import PlanSite
from .published import published_document
from .render import Producer, Site

MARKER = ".hyoka-site"  # the manifest; an older hyoka wrote a line of text here, which means "rebuild all"
FORMAT = "hyoka-site/1"
CODE_SUFFIXES = (".py", ".j2", ".css", ".js", ".mo")
PARALLEL_FROM = 400  # files of a plan below which one process writes them all (forking costs more)
TAKE = 16  # files a process takes at a time from what is left of a plan
T = TypeVar("T")


def default_jobs() -> int:
    """The processes a publication uses: one per core this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@dataclass(frozen=True)
class Published:
    folder: Path
    files: int  # files (re)written by this publication
    bytes: int
    pages: int
    plans: int = 0  # plans rebuilt (every plan on a full publication)
    removed: int = 0  # plans of the earlier publication that are gone


@cache
def code_fingerprint() -> str:
    """A digest of hyoka's version and of every file that shapes a page: a new hyoka rebuilds every plan."""
    digest = hashlib.sha256(__version__.encode())
    root = resources.files("hyoka")
    stack = [root]
    found = []
    while stack:
        folder = stack.pop()
        for entry in folder.iterdir():
            if entry.is_dir():
                if entry.name not in ("__pycache__", "var"):
                    stack.append(entry)
            elif entry.name.endswith(CODE_SUFFIXES):
                found.append(entry)
    for entry in sorted(found, key=lambda e: str(e)):
        digest.update(str(entry).removeprefix(str(root)).encode())
        digest.update(entry.read_bytes())
    return digest.hexdigest()


def fingerprint(document: dict[str, Any]) -> str:
    """The digest of a plan's published document (and of hyoka's code): equal means the plan's files are too."""
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{code_fingerprint()}\n{text}".encode()).hexdigest()


def _check_folder(out: Path) -> None:
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise InputError.one(
            str(out),
            "出力先が空でなく、以前に hyoka publish で作ったサイトでもありません",
            "the output folder is neither empty nor an earlier hyoka site",
        )


def _manifest(out: Path) -> dict[str, Any] | None:
    """The manifest of the earlier publication in *out*, None when there is none to build on."""
    try:
        data = json.loads((out / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("code") != code_fingerprint():
        return None
    return data


def _manifest_bytes(entries: list[dict[str, Any]]) -> bytes:
    doc = {"format": FORMAT, "code": code_fingerprint(), "plans": entries}
    return (json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


@dataclass
class _Writer:
    """Writes files under a staging folder and counts them; a plan's files are shared among *jobs* processes."""

    root: Path
    jobs: int = 1
    files: int = 0
    bytes: int = 0
    pages: int = 0

    def __post_init__(self) -> None:
        self._folders: set[Path] = set()

    def write(self, path: str, data: bytes) -> None:
        target = self.root / path
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        target.write_bytes(data)
        self.files += 1
        self.bytes += len(data)
        self.pages += path.endswith(".html")

    def write_all(self, files: dict[str, Producer], meanwhile: Callable[[], T] = lambda: None) -> T:
        """Write *files*; *meanwhile* is work for this process alone, done while the others start on the
        files: what it makes is returned."""
        items = list(files.items())
        # forking a process that runs other threads (a server's, a test's) could copy a lock held by one of them
        if self.jobs > 1 and len(items) >= PARALLEL_FROM and threading.active_count() == 1:
            return self._shared(items, meanwhile)
        made = meanwhile()
        for path, produce in items:
            self.write(path, produce())
        return made

    def _shared(self, items: list[tuple[str, Producer]], meanwhile: Callable[[], T]) -> T:
        """Render and write *items* in *jobs* processes: this one and forked ones.

        Each process starts on a share of neighbouring files (a page's languages share what is
        made once; files of one folder are created by one process, not two contending for it)
        and, when its share is done, takes files from the end of the largest share left: pages
        cost more than data files, and a plan's files list all pages first (cut in equal halves,
        one process wrote every page and took 2.3 times as long as the other). Forked, the
        workers read the plan as this process built it (``PlanSite.prepare``), without pickling
        it. A worker's failure is raised here, after every worker has stopped."""
        context = multiprocessing.get_context("fork")
        shares = _Shares(context, len(items), self.jobs)
        workers = []
        for k in range(1, self.jobs):
            receive, send = context.Pipe(duplex=False)
            process = context.Process(target=self._work, args=(items, shares, k, send), daemon=True)
            process.start()
            send.close()
            workers.append((process, receive))
        error: BaseException | None = None
        try:
            made = meanwhile()
            self._take(items, shares, 0)
        except BaseException as e:
            error = e
            shares.stop()
        for process, receive in workers:
            try:
                outcome, value = receive.recv()
            except EOFError:
                outcome, value = "error", RuntimeError("a publishing process stopped without a result")
            process.join()
            if outcome == "error":
                error = error or value
            else:
                self.files, self.bytes, self.pages = (a + b for a, b in zip((self.files, self.bytes, self.pages), value, strict=True))
        if error is not None:
            raise error
        return made

    def _take(self, items: list[tuple[str, Producer]], shares: _Shares, me: int) -> None:
        while (run := shares.take(me)) is not None:
            for path, produce in items[run]:
                self.write(path, produce())

    def _work(self, items: list[tuple[str, Producer]], shares: _Shares, me: int, send: Connection) -> None:
        mine = _Writer(self.root)
        try:
            mine._take(items, shares, me)
            send.send(("done", (mine.files, mine.bytes, mine.pages)))
        except BaseException as e:
            shares.stop()
            try:
                send.send(("error", e))
            except Exception:
                send.send(("error", RuntimeError(repr(e))))


class _Shares:
    """Which files of a plan are left, per process: [start, end) in shared memory, under one lock."""

    def __init__(self, context: Any, count: int, jobs: int) -> None:
        cuts = [count * k // jobs for k in range(jobs + 1)]
        self._bounds = context.RawArray("q", [b for k in range(jobs) for b in (cuts[k], cuts[k + 1])])
        self._lock = context.Lock()

    def take(self, me: int) -> slice | None:
        """The next run of files for process *me*: from the front of its own share, else from the end of the largest."""
        b = self._bounds
        with self._lock:
            start, end = b[2 * me], b[2 * me + 1]
            if start < end:
                b[2 * me] = min(start + TAKE, end)
                return slice(start, b[2 * me])
            other = max(range(len(b) // 2), key=lambda k: b[2 * k + 1] - b[2 * k])
            start, end = b[2 * other], b[2 * other + 1]
            if start >= end:
                return None
            b[2 * other + 1] = max(start, end - TAKE)
            return slice(b[2 * other + 1], end)

    def stop(self) -> None:
        """Leave nothing to take: a process failed, so the others finish their run and stop."""
        with self._lock:
            for i in range(0, len(self._bounds), 2):
                self._bounds[i] = self._bounds[i + 1]


def _entry(site: Site, ps: PlanSite, files: list[str], document: dict[str, Any], print_: str = "") -> dict[str, Any]:
    """The plan's entry in the manifest. Made while the other processes write the plan's pages: its
    fingerprint and its listing are for the manifest and the pages above the plans only."""
    listing = site.listing(ps.root).to_dict()
    return {"root": ps.root, "fingerprint": print_ or fingerprint(document), "files": files, "listing": listing}


def publish(plans: list[Plan], folder: str | Path, *, full: bool = False, jobs: int | None = None) -> Published:
    """Publish *plans* into *folder*; only what changed since the publication there, unless *full*.

    *jobs*: the processes that render a plan's pages (by default one per core)."""
    jobs = jobs or default_jobs()
    out = Path(folder)
    _check_folder(out)
    with paused():  # the forked processes inherit the pause; the plan before's cycles are collected before each plan
        documents = [published_document(p) for p in plans]
        earlier = None if full or not out.exists() else _manifest(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        if earlier is None:
            return _full(plans, documents, out, jobs)
        prints = [fingerprint(d) for d in documents]
        roots = [paths.of_plan(p) for p in plans]
        return _incremental(plans, documents, prints, roots, earlier, out, jobs)


def _collect_young(plans_done: int) -> None:
    """Before each plan but the first, collect the cycles made since the plan before began (its pages'
    contexts, the closures they made): only the objects made since then are walked, so the memory of
    a national site's publication stays flat (100 plans: 1,075 MB at the peak, as with the collector
    running) at the cost of one short walk a plan."""
    if plans_done:
        gc.collect(0)


def _plan_sites(plans: Iterable[Plan], documents: Iterable[dict[str, Any]]) -> list[PlanSite]:
    return [PlanSite(plan_from_dict(d, p.id)) for p, d in zip(plans, documents, strict=True)]


def _full(plans: list[Plan], documents: list[dict[str, Any]], out: Path, jobs: int) -> Published:
    site = Site.of(_plan_sites(plans, documents))
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        writer = _Writer(staging, jobs)
        entries = []
        for k, (ps, document) in enumerate(zip(site.plans, documents, strict=True)):
            _collect_young(k)
            ps.prepare()
            files = site.plan_files(ps)
            entries.append(writer.write_all(files, partial(_entry, site, ps, list(files), document)))
        writer.write_all(site.shared_files())
        (staging / MARKER).write_bytes(_manifest_bytes(entries))
        staging.chmod(0o755)
        if out.exists():  # the earlier site steps aside for the new one: the folder is never missing for long
            old = staging.with_name(staging.name + "-old")
            out.rename(old)
            staging.rename(out)
            shutil.rmtree(old)
        else:
            staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Published(out, writer.files, writer.bytes, writer.pages, len(plans))


def _incremental(
    plans: list[Plan], documents: list[dict[str, Any]], prints: list[str], roots: list[str], earlier: dict[str, Any], out: Path, jobs: int
) -> Published:
    before = {e["root"]: e for e in earlier["plans"]}
    changed = [i for i, (root, print_) in enumerate(zip(roots, prints, strict=True)) if before.get(root, {}).get("fingerprint") != print_]
    current, again = set(roots), set(changed)
    gone = [root for root in before if root not in current]
    rebuilt = _plan_sites((plans[i] for i in changed), (documents[i] for i in changed))
    kept = [Listing.from_dict(before[root]["listing"]) for i, root in enumerate(roots) if i not in again]
    site = Site.of(rebuilt, kept, roots)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        writer = _Writer(staging, jobs)
        written = {}
        for k, (i, ps) in enumerate(zip(changed, rebuilt, strict=True)):
            _collect_young(k)
            ps.prepare()
            files = site.plan_files(ps)
            written[ps.root] = writer.write_all(files, partial(_entry, site, ps, list(files), documents[i], prints[i]))
        shared = []
        for path, produce in site.shared_files().items():
            data = produce()
            if not _same(out / path, data):
                writer.write(path, data)
                shared.append(path)
        manifest = _manifest_bytes([written.get(root) or before[root] for root in roots])
        if not _same(out / MARKER, manifest):
            (staging / MARKER).write_bytes(manifest)
        _commit(staging, out, [ps.root for ps in rebuilt], gone, shared)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Published(out, writer.files, writer.bytes, writer.pages, len(rebuilt), len(gone))


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _commit(staging: Path, out: Path, rebuilt: list[str], gone: list[str], shared: list[str]) -> None:
    """Move what *staging* holds into *out* by renames: each rebuilt plan's folders whole, the shared files, the manifest last."""
    trash = staging / ".replaced"
    for n, root in enumerate([*rebuilt, *gone]):
        for folder in paths.plan_folders(root):
            old, new = out / folder, staging / folder
            if old.exists():
                _move(old, trash / str(n) / folder)
            if new.exists():
                _move(new, old)
            else:
                _prune(old.parent, out)
    for path in shared:
        _move(staging / path, out / path)
    if (staging / MARKER).exists():
        os.replace(staging / MARKER, out / MARKER)


def _move(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)


def _prune(folder: Path, top: Path) -> None:
    """Remove *folder* and its parents up to *top* while they are empty (an organization's last plan is gone)."""
    while folder != top and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
