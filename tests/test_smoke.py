def test_home_page_answers_in_french(client):
    response = client.get("/")

    assert response.status_code == 200
    assert b'<html lang="fr">' in response.content


def test_healthz_reports_database_up(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}
