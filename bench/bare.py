"""The bare limit: a Flask app with one hello route and nothing else (no portal, no middleware)."""
from flask import Flask

app = Flask(__name__)


@app.route("/hello")
def hello():
    """Answer with a constant."""
    return "hello"


@app.route("/healthz")
def healthz():
    """Answer that the server is up (make bench waits for it)."""
    return "ok"
