"""The read-only JSON API of the published evaluations (/api/v1/), described by openapi.json."""
