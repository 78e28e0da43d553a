"""Ranking measures by residents' priority: pure arithmetic over (measure, count, total) rows,
tested without a database (``queries.rank_measures`` reads the rows)."""

from dataclasses import dataclass

from planvoice.plans.models import Measure

# The ranking's prior counts as this many votes at the mean of all ratings.
RANKING_PRIOR_WEIGHT = 5


@dataclass(frozen=True)
class RankedMeasure:
    rank: int
    measure: Measure
    score: float
    mean: float
    count: int


def bayesian_score(total: int, count: int, *, prior_mean: float, weight: int) -> float:
    """The Bayesian average of a measure's ratings.

    ``score = (weight × prior_mean + total) / (weight + count)``: the measure's own mean
    (``total / count``) pulled towards ``prior_mean`` (the mean of all ratings of all
    measures) as if ``weight`` extra votes at that mean had been cast. A single vote of 5
    therefore scores far below many votes averaging 4.5; with many votes the score tends to
    the measure's own mean.
    """
    return (weight * prior_mean + total) / (weight + count)


def rank(
    rows: list[tuple[Measure, int, int]], *, weight: int = RANKING_PRIOR_WEIGHT
) -> list[RankedMeasure]:
    """Rank ``(measure, count, total)`` rows by their Bayesian average (``bayesian_score``).

    The prior is the mean over every rating in ``rows``; ties go to the measure with more
    votes, then to the one earlier in the plan. Measures without votes are left out.
    """
    rows = [row for row in rows if row[1]]
    all_count = sum(count for _measure, count, _total in rows)
    if not all_count:
        return []
    prior = sum(total for _measure, _count, total in rows) / all_count
    scored = sorted(
        (
            (bayesian_score(total, count, prior_mean=prior, weight=weight), measure, count, total)
            for measure, count, total in rows
        ),
        key=lambda item: (-item[0], -item[2], item[1].plan_id, item[1].position),
    )
    return [
        RankedMeasure(
            rank=position,
            measure=measure,
            score=round(score, 3),
            mean=round(total / count, 2),
            count=count,
        )
        for position, (score, measure, count, total) in enumerate(scored, start=1)
    ]
