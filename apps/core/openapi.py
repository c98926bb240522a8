"""The hub's OpenAPI schema covers the hub's own API, not Wagtail's internal admin API."""


def only_hub_api(endpoints):
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]
