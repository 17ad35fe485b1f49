"""WSGI entry point: app = create_app()."""
import gc

from portal import create_app

app = create_app()
# What the app holds from here on (modules, models, templates, the rulebook's defaults) lives as long as
# the worker: kept out of the collector's full passes, which otherwise walk all of it every few pages.
gc.collect()
gc.freeze()
