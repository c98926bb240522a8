import pytest


@pytest.mark.django_db
def test_an_unknown_address_gets_the_govuk_page_not_found(client):
    response = client.get("/no-such-page-here/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"If you typed the web address, check it is correct." in response.content


@pytest.mark.django_db
def test_every_response_carries_a_request_id_and_a_content_security_policy(client):
    response = client.get("/healthz")
    assert len(response["X-Request-ID"]) == 32
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_a_server_error_page_says_nothing_of_the_cause(rf, settings):
    from apps.core.views import server_error

    request = rf.get("/")
    request.request_id = "abc123def456"
    response = server_error(request)
    assert response.status_code == 500
    body = response.content.decode()
    assert "Sorry, there is a problem with the service" in body
    assert "abc123def456" in body
    assert "Traceback" not in body
