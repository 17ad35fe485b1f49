"""WSGI entry point: app = create_app()."""
from portal import create_app

app = create_app()
