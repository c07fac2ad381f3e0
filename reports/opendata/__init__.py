"""Open data at /open-data/: the published data for programs (docs/open-data.md)."""
