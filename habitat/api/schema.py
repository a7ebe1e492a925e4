def public_api_only(endpoints, **kwargs):
    """Keep our /api/v1/ routes in the OpenAPI schema (not Wagtail's admin API)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
