"""make bench: load the portal under gunicorn with wrk and report against a bare hello route."""
