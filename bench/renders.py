"""Pages while reports render: does a page wait behind three PDFs?

    python bench/renders.py                      # 3 PDFs, the background workers against rendering in the request
    python bench/renders.py --format html --pages 5 --modes background   # the tiny run of CI

For each mode it makes the demo installation (SQLite, the sample plans, `hyoka demo
--no-serve`), serves it with gunicorn (2 workers, as docs/deployment.md) and signs in as
the planner. It times a page (the 体系図 of the Kanagawa strategy) alone, then asks for
three different reports at once (three threads) and times the same page again, one
request after another, until the three reports are ready. Printed per mode: the page's
p50/p95 alone and while the reports render, the time the report requests took to answer,
the time until all three files were ready, and a second download of one of them.

- ``background``: what hyoka does (renders.tasks): a report request answers at once with
  its progress page; HYOKA_REPORT_WORKERS (1) worker process renders, at a lower CPU
  priority; the second download is the kept file.
- ``request``: HYOKA_REPORTS=immediate, the report rendered inside the request as before:
  two of the three PDFs hold both gunicorn workers, and the page queues behind them.

The machine's load is printed with the figures: on a shared machine they are noisy.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from serving import Browser, Server, clean_environ  # noqa: E402

PAGE = "/plans/140007/kanagawa-sousei-3/?year=2025"
REPORTS = (
    "/plans/140007/kanagawa-sousei-3/report.{fmt}?year=2024",
    "/plans/140007/kanagawa-dx/report.{fmt}?year=2024",
    "/plans/140007/kanagawa-sousei-3/report.{fmt}?year=2025",
)
WORKER = ("-m", "hyoka.web", "db_worker", "--queue-name", "reports", "--interval", "0.2", "--no-startup-delay", "--verbosity", "0")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def prepare(folder: Path, env: dict[str, str]) -> str:
    """The demo database in *folder*; returns the planner's password (printed once by `hyoka demo`)."""
    out = subprocess.run(
        [sys.executable, "-m", "hyoka.cli", "demo", "--no-serve", "--data-dir", str(folder)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if out.returncode != 0:
        raise SystemExit(out.stdout + out.stderr)
    return re.search(r"^\s+planner\s+(\S+)", out.stdout, re.M).group(1)  # type: ignore[union-attr]


def timed_get(browser: Browser, path: str, **kwargs: object) -> tuple[float, int]:
    start = time.perf_counter()
    response = browser.get(browser.base + path, timeout=300, **kwargs)
    return time.perf_counter() - start, response.status_code


def run(mode: str, fmt: str, pages: int, folder: Path) -> None:
    env = clean_environ() | {"HYOKA_DATA_DIR": str(folder), "HYOKA_DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite3'}"}
    if mode == "request":
        env["HYOKA_REPORTS"] = "immediate"
    password = prepare(folder, env)
    server = Server(env, folder, workers=2).start(timeout=120)
    workers = [] if mode == "request" else [subprocess.Popen([sys.executable, *WORKER], env=env, preexec_fn=lambda: os.nice(10))]
    try:
        browser = Browser(server.base).login("planner", password)
        for _ in range(3):
            timed_get(browser, PAGE)  # warm: the plan computed and cached in both workers
        alone = [timed_get(browser, PAGE)[0] for _ in range(pages)]
        answered: list[float] = []
        failed: list[str] = []
        started = time.perf_counter()

        def ask(path: str) -> None:
            report = Browser(server.base).login("planner", password)
            try:
                answered.append(timed_get(report, path, allow_redirects=False)[0])
            except requests.RequestException as e:  # in the request, a PDF can outlive gunicorn's worker timeout
                failed.append(f"{path}: {type(e).__name__}")

        threads = [threading.Thread(target=ask, args=(r.format(fmt=fmt),)) for r in REPORTS]
        for t in threads:
            t.start()
        during: list[float] = []
        while any(t.is_alive() for t in threads) or (mode == "background" and not ready(browser, fmt)):
            seconds, status = timed_get(browser, PAGE)
            assert status == 200, status
            during.append(seconds)
        all_ready = time.perf_counter() - started
        for t in threads:
            t.join()
        again, status = timed_get(browser, REPORTS[0].format(fmt=fmt), allow_redirects=False)
    finally:
        for w in workers:
            w.terminate()
            w.wait(timeout=30)
        server.stop()
    print(f"\n{mode}: 3 {fmt.upper()} reports ({'a worker process renders them' if mode == 'background' else 'rendered in the request'})")
    print(f"  page alone            p50 {ms(statistics.median(alone))}  p95 {ms(percentile(alone, 95))}  ({len(alone)} requests)")
    if during:
        print(f"  page while rendering  p50 {ms(statistics.median(during))}  p95 {ms(percentile(during, 95))}  ({len(during)} requests)")
        print(f"  ratio of p50 while rendering to alone: {statistics.median(during) / statistics.median(alone):.2f}")
    print(f"  report requests answered in {', '.join(ms(a) for a in sorted(answered)) or '-'}")
    if failed:
        print(f"  {len(failed)} report requests failed (the worker was killed after gunicorn's 60 s timeout): {'; '.join(failed)}")
    print(f"  all three requests done after {ms(all_ready)}; a second download: {ms(again)} (status {status})")


def ready(browser: Browser, fmt: str) -> bool:
    """Whether every report is rendered: its URL answers with the file, not its progress page."""
    return all(browser.get(browser.base + r.format(fmt=fmt), allow_redirects=False, timeout=60).status_code == 200 for r in REPORTS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--format", default="pdf", choices=["pdf", "html", "docx", "xlsx"])
    parser.add_argument("--pages", type=int, default=20, help="page requests timed alone")
    parser.add_argument("--modes", default="background,request")
    parser.add_argument("--data-dir", type=Path, help="where the demo databases go (default: a temporary folder)")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(dir=args.data_dir) as tmp:
        for mode in args.modes.split(","):
            folder = Path(tmp) / mode
            folder.mkdir()
            run(mode, args.format, args.pages, folder)


if __name__ == "__main__":
    main()
