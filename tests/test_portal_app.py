"""The portal's Flask subclass: a plain function runs as it is, anything async is still Flask's to wrap."""
import functools

import pytest


def test_a_plain_function_is_called_as_it_is(app):
    def view():
        return "ok"
    assert app.ensure_sync(view) is view
    bound = object().__repr__
    assert app.ensure_sync(bound) is bound  # not a plain function: Flask's own check, same answer


@pytest.mark.parametrize("wrap", [lambda f: f, functools.partial], ids=["async def", "partial of one"])
def test_an_async_function_is_never_taken_for_a_plain_one(app, wrap):
    async def view():
        return "ok"
    func = wrap(view)
    try:
        ran = app.ensure_sync(func)
    except RuntimeError:  # Flask without its async extra refuses it: what matters is that it was not passed on
        return
    assert ran is not func
