"""Access tables for the permission matrix: one module per capability.

Each module defines ROUTES = {endpoint: (allowed, {url_param: seed_key})} where allowed is
"public", "signed_in" or a set of Role, and may define seed(ids) to create the records its
URLs point at (called inside an app context with the base ids already in `ids`).
"""
import importlib
import pkgutil


def tables():
    """Return every capability's access table module."""
    return [importlib.import_module(f"{__name__}.{m.name}") for m in pkgutil.iter_modules(__path__)]
