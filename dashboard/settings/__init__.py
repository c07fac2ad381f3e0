"""Settings per environment: base, dev (default of manage.py), test and production."""
