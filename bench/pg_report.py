"""What ``bench/pg.py`` prints and keeps: the per-page table, the budgets (each ``MET`` or
``MISSED`` with its figure) and the JSON file under ``bench/results/``."""

import json
import os
import subprocess
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from settings import ROOT

RESULTS = ROOT / "bench" / "results"
PUBLIC_MEDIAN_MS = 15.0
PUBLIC_P99_MS = 50.0
STAFF_MEDIAN_MS = 40.0
QUERY_MS = 5.0
CACHED_FRACTION = 0.5


@dataclass
class PageResult:
    label: str
    path: str
    who: str  # "anonymous" or the role signed in
    budget: str  # "public" or "staff"
    expected_status: int = 200
    status: int | None = None
    query_counts: list[int] = field(default_factory=list)  # every measured request, in order
    queries: int | None = None  # the last measured request's count
    slowest_ms: float | None = None  # the least slow of the measured requests' slowest
    slowest_ms_each: list[float] = field(default_factory=list)
    slowest_sql: str = ""
    median_ms: float | None = None
    requests_per_second: float | None = None
    p50_ms: float | None = None
    p90_ms: float | None = None
    p99_ms: float | None = None
    wrk_errors: int = 0
    ratio_to_bare: float | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None and self.status == self.expected_status


@dataclass
class Budget:
    name: str
    figure: str
    met: bool | None  # None: printed, not checked here
    details: list[str] = field(default_factory=list)


def _num(value, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


COLUMNS = (
    ("page", 22, "<"),
    ("path", 40, "<"),
    ("who", 9, "<"),
    ("st", 3, ">"),
    ("q", 3, ">"),
    ("slow ms", 7, ">"),
    ("1-req ms", 8, ">"),
    ("req/s", 7, ">"),
    ("p50 ms", 7, ">"),
    ("p90 ms", 7, ">"),
    ("p99 ms", 7, ">"),
    ("×bare", 5, ">"),
)


def table_header() -> str:
    head = " ".join(f"{name:{align}{width}}" for name, width, align in COLUMNS)
    return f"{head}\n{'-' * len(head)}"


def table_row(page: PageResult) -> str:
    cells = (
        _short(page.label, 22),
        _short(page.path, 40),
        page.who,
        _num(page.status, "d"),
        _num(page.queries, "d"),
        _num(page.slowest_ms, ".2f"),
        _num(page.median_ms, ".2f"),
        _num(page.requests_per_second, ".0f"),
        _num(page.p50_ms, ".2f"),
        _num(page.p90_ms, ".2f"),
        _num(page.p99_ms, ".2f"),
        _num(page.ratio_to_bare, ".2f"),
    )
    line = " ".join(
        f"{cell:{align}{width}}" for cell, (_name, width, align) in zip(cells, COLUMNS, strict=True)
    )
    notes = []
    if len(set(page.query_counts)) > 1:
        notes.append(f"query counts varied: {page.query_counts}")
    if page.problem:
        notes.append(f"!! {page.problem}")
    return line + ("   " + "; ".join(notes) if notes else "")


def _worst(pages: list[PageResult], attribute: str) -> PageResult | None:
    measured = [p for p in pages if getattr(p, attribute) is not None]
    return max(measured, key=lambda p: getattr(p, attribute), default=None)


def _limit_budget(name, pages, attribute, limit, unit="ms") -> Budget:
    worst = _worst(pages, attribute)
    over = [p for p in pages if getattr(p, attribute) is None or getattr(p, attribute) > limit]
    figure = (
        f"worst {getattr(worst, attribute):.2f} {unit} ({worst.label})" if worst else "no figure"
    )
    details = [
        f"{p.label} ({p.path}): "
        + (
            f"{getattr(p, attribute):.2f} {unit}"
            if getattr(p, attribute) is not None
            else f"not measured (answered {p.status})"
        )
        for p in over
    ]
    return Budget(name, figure, not over and bool(pages), details)


def budgets(pages: list[PageResult], cached: dict | None) -> list[Budget]:
    public = [p for p in pages if p.budget == "public"]
    staff = [p for p in pages if p.budget == "staff"]
    failed = [p for p in pages if not p.ok]
    result = [
        Budget(
            "every page answers as expected (200; /track 302)",
            f"{len(pages) - len(failed)}/{len(pages)}",
            not failed,
            [f"{p.label} ({p.path}): {p.status} {p.problem or ''}".rstrip() for p in failed],
        )
    ]
    if public:
        result.append(
            _limit_budget(
                f"public pages: median single request ≤ {PUBLIC_MEDIAN_MS:g} ms",
                public,
                "median_ms",
                PUBLIC_MEDIAN_MS,
            )
        )
        result.append(
            _limit_budget(
                f"public pages: p99 under load ≤ {PUBLIC_P99_MS:g} ms",
                public,
                "p99_ms",
                PUBLIC_P99_MS,
            )
        )
    if staff:
        result.append(
            _limit_budget(
                f"staff pages: median single request ≤ {STAFF_MEDIAN_MS:g} ms",
                staff,
                "median_ms",
                STAFF_MEDIAN_MS,
            )
        )
    slow = _limit_budget(f"no query over {QUERY_MS:g} ms", pages, "slowest_ms", QUERY_MS)
    slow.details = [
        f"{p.label}: {p.slowest_ms:.2f} ms  {p.slowest_sql}"
        if p.slowest_ms is not None
        else f"{p.label}: not measured (answered {p.status})"
        for p in pages
        if p.slowest_ms is None or p.slowest_ms > QUERY_MS
    ]
    result.append(slow)
    varied = [p for p in pages if len(set(p.query_counts)) > 1]
    result.append(
        Budget(
            "query counts fixed",
            "counts in the q column; the fixed-count test lives in the test suite",
            None,
            [f"{p.label}: counts varied between requests {p.query_counts}" for p in varied],
        )
    )
    if cached is not None:
        fraction = cached.get("fraction")
        result.append(
            Budget(
                f"page cache on: quiet measure ≥ {CACHED_FRACTION:g} × bare req/s",
                (
                    f"{fraction:.2f} × ({cached['page_rps']:.0f} vs {cached['bare_rps']:.0f} req/s)"
                    if fraction is not None
                    else cached.get("problem", "no figure")
                ),
                fraction is not None and fraction >= CACHED_FRACTION and not cached.get("errors"),
                [cached["problem"]] if cached.get("problem") else [],
            )
        )
    return result


def format_budgets(items: list[Budget]) -> str:
    width = max(len(b.name) for b in items)
    lines = []
    for budget in items:
        verdict = {True: "MET", False: "MISSED", None: "(printed, not checked)"}[budget.met]
        lines.append(f"{verdict:<7} {budget.name:<{width}}  {budget.figure}")
        lines += [f"          {detail}" for detail in budget.details]
    return "\n".join(lines)


def git(*args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10)
    except OSError:
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def write_json(payload: dict) -> Path:
    now = datetime.now(UTC)
    sha = git("rev-parse", "--short", "HEAD") or "nogit"
    payload = {
        "git_sha": sha,
        "git_dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
        "date": now.isoformat(timespec="seconds"),
        "nproc": len(os.sched_getaffinity(0)),
        **payload,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{now:%Y%m%dT%H%M%SZ}-{sha}.json"
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    return path


def page_json(page: PageResult) -> dict:
    return {**asdict(page), "ok": page.ok}


def budget_json(budget: Budget) -> dict:
    verdict = {True: "MET", False: "MISSED", None: "NOT_CHECKED"}[budget.met]
    return {**asdict(budget), "result": verdict}
