"""Geometry of the scorecard's charts, drawn as SVG by the templates (``_charts.html``): pure
functions over plain numbers, so a page needs no script and a test can read the shapes."""

from dataclasses import dataclass, field

WIDTH, HEIGHT = 320, 180
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 10, 26


@dataclass(frozen=True)
class Line:
    """One series: its segments (runs of months with a value; a month with too few cases
    breaks the line) as SVG ``points``, and a dot per value."""

    name: str
    css_class: str
    segments: list[str]
    dots: list[tuple[float, float]]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    x_labels: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    lines: list[Line] = field(default_factory=list)
    bars: list[tuple[float, float, float, float]] = field(default_factory=list)
    baseline: float = HEIGHT - BOTTOM


def _x_positions(count: int) -> list[float]:
    inner = WIDTH - LEFT - RIGHT
    step = inner / count
    return [round(LEFT + step * (i + 0.5), 1) for i in range(count)]


def _y(value: float, top_value: float) -> float:
    inner = HEIGHT - TOP - BOTTOM
    return round(HEIGHT - BOTTOM - inner * (value / top_value if top_value else 0), 1)


def month_labels(months: list[str]) -> list[str]:
    """ "1" … "12" for each month, with the year on January and on the first month shown."""
    labels = []
    for i, month in enumerate(months):
        year, number = month.split("-")
        labels.append(f"{year[2:]}/{int(number)}" if i == 0 or number == "01" else str(int(number)))
    return labels


def rate_chart(labels: list[str], series: list[tuple[str, str, list[float | None]]]) -> Chart:
    """Lines of rates (0 to 1) by month: ``series`` holds (name, CSS class, values)."""
    xs = _x_positions(len(labels))
    lines = []
    for name, css_class, values in series:
        segments, run, dots = [], [], []
        for x, value in zip(xs, values, strict=True):
            if value is None:
                if run:
                    segments.append(" ".join(run))
                run = []
                continue
            y = _y(value, 1)
            run.append(f"{x},{y}")
            dots.append((x, y))
        if run:
            segments.append(" ".join(run))
        lines.append(Line(name, css_class, segments, dots))
    ticks = [(_y(share, 1), f"{int(share * 100)}%") for share in (0, 0.5, 1)]
    return Chart(WIDTH, HEIGHT, list(zip(xs, labels, strict=True)), ticks, lines=lines)


def count_chart(labels: list[str], counts: list[int]) -> Chart:
    """Bars of a count by month (cases routed), on a scale rounded up to a tidy number."""
    xs = _x_positions(len(labels))
    top = _tidy_top(max(counts, default=0))
    bar_width = (WIDTH - LEFT - RIGHT) / max(len(labels), 1) * 0.6
    bars = []
    for x, count in zip(xs, counts, strict=True):
        y = _y(count, top)
        bars.append(
            (round(x - bar_width / 2, 1), y, round(bar_width, 1), round(HEIGHT - BOTTOM - y, 1))
        )
    ticks = [(_y(value, top), str(value)) for value in (0, top // 2, top)]
    return Chart(WIDTH, HEIGHT, list(zip(xs, labels, strict=True)), ticks, bars=bars)


def _tidy_top(largest: int) -> int:
    """The smallest of 2, 4, 10, 20, 40, 100, … at least ``largest`` (even, so half is whole)."""
    top = 2
    while top < largest:
        top = top * 5 // 2 if str(top).startswith("4") else top * 2
    return top


def shares(counts: dict[str, int]) -> list[tuple[str, int, float]]:
    """The three levels of satisfaction as (level, count, share of the answers) for a bar."""
    total = sum(counts.values())
    return [(level, n, n / total if total else 0) for level, n in counts.items()]
