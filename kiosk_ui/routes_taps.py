"""Card taps at the kiosk's reader (KI1, KI2): a master's greeting and day, a client's visits, a refusal."""
from flask import abort, g, jsonify, render_template, request, url_for

from appliance.domain.wallclock import to_local
from appliance.services import kiosk
from appliance.storage.models.catalogue import Staff
from appliance.storage.models.time_clock import TimePunch
from kiosk_ui.blueprint import bp
from kiosk_ui.device_auth import kiosk_page


@bp.get("/taps")
@kiosk_page
def taps():
    """Taps at this kiosk's reader after the given one, each with the page that answers it."""
    try:
        after = int(request.args.get("after", "0"))
    except ValueError:
        abort(400)
    rows = kiosk.taps_after(g.device.reader, after)
    return jsonify(taps=[{"id": t.id, "url": url_for("kiosk.tap", tap_id=t.id)} for t in rows],
                   after=max([t.id for t in rows], default=after))


def latest_tap_id() -> int:
    """The newest tap at this kiosk's reader, for a page that must answer only later ones."""
    return kiosk.latest_tap_id(g.device.reader)


@bp.get("/tap/<int:tap_id>")
@kiosk_page
def tap(tap_id):
    """What the kiosk says to the person who just tapped a card."""
    found = kiosk.recent_tap(tap_id, g.device.reader)
    if found is None:
        abort(404)
    if found.outcome == "client":
        return render_template("kiosk/visits.html", visits=kiosk.visits_of_client(found.client_id), searched="card")
    name, day, at = "", [], found.at
    if found.staff_id:
        name = Staff.get_by_id(found.staff_id).first_name
        day = kiosk.master_day(found.staff_id)
    if found.punch_id:
        at = TimePunch.get_by_id(found.punch_id).at
    return render_template("kiosk/tap.html", outcome=found.outcome, name=name, day=day, at=to_local(at, g.salon_ctx.tz))
