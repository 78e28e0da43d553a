"""Residents say how much a measure matters to them; the ranking orders measures by it."""

import threading

import pytest
from sqlalchemy import func, select

from planvoice.core.extensions import cache, db
from planvoice.feedback import queries, services
from planvoice.feedback.models import Rating, RatingSummary
from planvoice.feedback.ranking import bayesian_score
from planvoice.plans.models import Measure
from tests.feedback.conftest import form_fields, post_rating


def _summary(measure) -> RatingSummary:
    db.session.expire_all()
    return queries.get_rating_summary(measure)


def _measures(count: int) -> list[Measure]:
    return list(db.session.scalars(select(Measure).order_by(Measure.position).limit(count)))


def test_a_guest_rates_changes_and_withdraws_a_rating(english, measure):
    response = post_rating(english, measure, "4")
    assert response.status_code == 302
    assert response.location == f"/measures/{measure.id}#rating"
    page = english.get(response.location).text
    assert "Your rating is saved" in page
    assert 'checked id="rating-3" name="rating" required type="radio" value="4"' in page
    assert "1 resident rated this measure; average 4.0 out of 5." in page

    post_rating(english, measure, "2")
    summary = _summary(measure)
    assert (summary.count, summary.total, summary.distribution["2"], summary.n4) == (1, 2, 1, 0)

    csrf = form_fields(english, measure)["csrf_token"]
    withdrawn = english.post(f"/measures/{measure.id}/rating/withdraw", data={"csrf_token": csrf})
    assert "Your rating is withdrawn." in english.get(withdrawn.location).text
    assert _summary(measure).count == 0
    assert db.session.scalar(select(func.count()).select_from(Rating)) == 0


def test_the_page_shows_the_distribution_of_all_ratings(english, other_guest, measure):
    for client, value in ((english, "5"), (other_guest, "5")):
        post_rating(client, measure, value)
    post_rating(english, measure, "3")  # a change of mind, not a third vote
    cache.clear()
    page = other_guest.get(f"/measures/{measure.id}").text
    assert "2 residents rated this measure; average 4.0 out of 5." in page
    assert '<meter min="0" max="2" value="1" aria-labelledby="distribution-3">' in page
    assert '<meter min="0" max="2" value="1" aria-labelledby="distribution-5">' in page


@pytest.mark.parametrize("value", ["0", "6", "abc", "", "4.5", None])
def test_bad_ratings_are_refused(english, measure, value):
    data = {"csrf_token": form_fields(english, measure)["csrf_token"]}
    if value is not None:
        data["rating"] = value
    response = english.post(f"/measures/{measure.id}/rating", data=data)

    assert response.status_code == 400
    assert "Choose how important this is to you, from 1 to 5." in response.text
    assert _summary(measure).count == 0


def test_a_rating_without_csrf_token_is_refused(english, measure):
    response = english.post(f"/measures/{measure.id}/rating", data={"rating": "3"})
    assert response.status_code == 400 and "This form has expired" in response.text
    assert _summary(measure).count == 0


def test_withdrawing_without_a_rating_changes_nothing(english, measure):
    csrf = form_fields(english, measure)["csrf_token"]
    response = english.post(f"/measures/{measure.id}/rating/withdraw", data={"csrf_token": csrf})
    assert "You have not rated this measure." in english.get(response.location).text


def test_rating_a_missing_measure_is_a_404(english, measure):
    csrf = form_fields(english, measure)["csrf_token"]
    response = english.post("/measures/999999/rating", data={"csrf_token": csrf, "rating": "3"})
    assert response.status_code == 404


def test_summary_follows_every_vote_change_and_withdrawal(app, measure):
    for voter, value in enumerate([5, 5, 4, 1, 3]):
        services.rate_measure(measure, voter_key=f"v{voter}", value=value)
    services.rate_measure(measure, voter_key="v0", value=2)
    services.withdraw_rating(measure, voter_key="v3")
    db.session.commit()

    summary = _summary(measure)
    assert summary.distribution == {"1": 0, "2": 1, "3": 1, "4": 1, "5": 1}
    assert (summary.count, summary.total, summary.mean) == (4, 14, 3.5)


def test_a_rating_out_of_range_is_refused_by_the_service(app, measure):
    with pytest.raises(services.FeedbackError):
        services.rate_measure(measure, voter_key="v", value=0)


@pytest.mark.parametrize("threads", [20])
def test_concurrent_votes_keep_the_summary_exact(app, database_url, app_factory, measure, threads):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite serialises writers: concurrency is proven on PostgreSQL")
    measure_id = measure.id
    db.session.commit()
    # One connection per voter, all in flight at once.
    worker_app = app_factory(database_url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": threads})
    barrier = threading.Barrier(threads, timeout=60)
    errors = []

    def vote(n: int) -> None:
        try:
            with worker_app.app_context():
                target = db.session.get(Measure, measure_id)
                barrier.wait()
                # Every voter votes; every fourth changes their mind twice, in separate
                # transactions, and one in five of those then withdraws.
                services.rate_measure(target, voter_key=f"voter{n}", value=n % 5 + 1)
                db.session.commit()
                if n % 4 == 0:
                    services.rate_measure(target, voter_key=f"voter{n}", value=5)
                    db.session.commit()
                    services.rate_measure(target, voter_key=f"voter{n}", value=1)
                    db.session.commit()
                # Everyone also votes on the same brand-new measure's neighbour at once.
                services.rate_measure(
                    db.session.get(Measure, measure_id + 1), voter_key=f"voter{n}", value=3
                )
                db.session.commit()
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    workers = [threading.Thread(target=vote, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    with worker_app.app_context():
        db.engine.dispose()
    assert errors == []

    expected = {str(v): 0 for v in range(1, 6)}
    for n in range(threads):
        expected[str(1 if n % 4 == 0 else n % 5 + 1)] += 1
    summary = _summary(measure)
    assert summary.distribution == expected
    assert summary.count == threads
    assert summary.total == sum(int(v) * n for v, n in expected.items())
    neighbour = queries.get_rating_summary(db.session.get(Measure, measure_id + 1))
    assert (neighbour.count, neighbour.n3) == (threads, threads)


# The ranking


def test_bayesian_score_pulls_few_votes_towards_the_mean():
    assert bayesian_score(5, 1, prior_mean=3.0, weight=5) == pytest.approx(20 / 6)
    many = bayesian_score(45 * 9, 100, prior_mean=3.0, weight=5)
    assert many == pytest.approx((15 + 405) / 105)


def test_one_vote_of_five_does_not_top_the_ranking(app, plan):
    lone, popular, disliked = _measures(3)
    services.rate_measure(lone, voter_key="a", value=5)
    for n in range(10):
        services.rate_measure(popular, voter_key=f"p{n}", value=4 if n % 2 else 5)
        services.rate_measure(disliked, voter_key=f"d{n}", value=1)
    db.session.commit()

    ranking = queries.rank_measures()
    assert [r.measure for r in ranking] == [popular, lone, disliked]
    assert [r.rank for r in ranking] == [1, 2, 3]
    assert (ranking[0].mean, ranking[0].count) == (4.5, 10)
    prior = (5 + 45 + 10) / 21
    assert ranking[1].score == pytest.approx((5 * prior + 5) / 6, abs=1e-3)


def test_ranking_page_lists_rated_measures_and_filters_by_section(english, plan):
    first, second = _measures(2)
    services.rate_measure(first, voter_key="a", value=2)
    services.rate_measure(second, voter_key="a", value=5)
    db.session.commit()

    page = english.get("/ranking").text.split('<ol class="ranking">')[1]
    assert page.index(second.title) < page.index(first.title)
    assert "average 5.0 from 1 rating" in page
    filtered = english.get(f"/ranking?section={first.section_id}").text
    assert f'<option value="{first.section_id}" selected' in filtered
    filtered = filtered.split('<ol class="ranking">')[1]
    assert first.title in filtered and second.title not in filtered


def test_ranking_page_without_votes_says_so(english, plan):
    assert "No measure has been rated yet." in english.get("/ranking").text


def test_the_measure_page_links_to_the_ranking(english, measure):
    assert 'href="/ranking"' in english.get(f"/measures/{measure.id}").text
