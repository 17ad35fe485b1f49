"""Form pieces shared by every capability."""
from flask_wtf import FlaskForm


class ConfirmForm(FlaskForm):
    """An empty form: only the CSRF token, for one-button actions."""
