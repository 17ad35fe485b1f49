"""WSGI entry point: app = create_app()."""
import gc

from portal import create_app

app = create_app()
# Everything made so far (modules, models, the app and its extensions) lives as long as the worker:
# frozen, it is left out of the collector's full passes, which otherwise walk all of it every few pages.
gc.collect()
gc.freeze()
