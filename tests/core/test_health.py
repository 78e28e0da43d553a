"""`/healthz` for load balancers."""


def test_healthz_is_ok_after_a_database_round_trip(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_healthz_is_503_when_the_database_is_unreachable(app_factory, tmp_path):
    # A SQLite file inside a directory that does not exist cannot be opened.
    app = app_factory(f"sqlite:///{tmp_path}/missing/dir/db.sqlite")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] != "ok"
