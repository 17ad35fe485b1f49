"""The device side of ZKTeco push (ADMS): handshake, punch upload and heartbeat at the paths devices call.

The protocol is the device's, not ours: its GETs note when the device was last heard from (an unaudited
contact row), and a device that nobody registered is refused and audited.
"""
from flask import Blueprint, Response, request
from sqlalchemy.exc import IntegrityError

from ..access import public
from ..extensions import db
from ..refusals import Refusal
from . import adms

iclock = Blueprint("iclock", __name__, url_prefix="/iclock")

OPTIONS = ("GET OPTION FROM: {sn}\nATTLOGStamp=None\nOPERLOGStamp=9999\nATTPHOTOStamp=None\nErrorDelay=30\n"
           "Delay=10\nTransTimes=00:00;14:05\nTransInterval=1\nTransFlag=TransData AttLog\nRealtime=1\nEncrypt=None\n")


def _text(body: str, status: int = 200) -> Response:
    return Response(body, status, mimetype="text/plain")


def _device():
    serial = request.args.get("SN")
    device = adms.registered(serial)
    if device is None:
        adms.refuse_unknown(serial, request.path)
    return serial, device


@iclock.route("/cdata", methods=["GET"])
@public
def handshake():
    """Answer a registered device's handshake with the push options."""
    serial, device = _device()
    if device is None:
        return _text("unknown device", 403)
    adms.heard(device)
    db.session.commit()
    return _text(OPTIONS.format(sn=serial))


@iclock.route("/cdata", methods=["POST"])
@public
def upload():
    """Take a registered device's punch lines (table=ATTLOG); other tables are acknowledged and ignored."""
    _serial, device = _device()
    if device is None:
        return _text("unknown device", 403)
    if request.args.get("table") != "ATTLOG":
        adms.heard(device)
        db.session.commit()
        return _text("OK")
    try:
        count = adms.receive(device, request.get_data())
    except IntegrityError:
        db.session.rollback()  # a push overlapping another one: the device sends it again
        return _text("retry", 503)
    except Refusal as e:  # not punch lines at all (a workbook, say): refused, not half-read
        db.session.rollback()
        return _text(e.message, 400)
    return _text(f"OK: {count}")


@iclock.route("/getrequest")
@public
def heartbeat():
    """Answer a registered device's heartbeat: no commands for it."""
    _serial, device = _device()
    if device is None:
        return _text("unknown device", 403)
    adms.heard(device)
    db.session.commit()
    return _text("OK")


def init_app(app) -> None:
    """Serve the device paths; devices carry no CSRF token, their serial number is what is checked."""
    from ..extensions import csrf
    app.register_blueprint(iclock)
    csrf.exempt(upload)
