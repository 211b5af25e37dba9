"""The dashboard at `/_recmock/`: one server-rendered page (no front-end build step)
with the clock and buttons to move it, every vendor's resources per tenant with their
state, the loaded scripts, the request journal and the webhook outbox. It refreshes
itself every few seconds; its buttons are plain forms that post and come back."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, redirect, render_template_string, request, url_for

from recmock.mock import RecMock
from recmock.timeutil import iso_millis

REFRESH_SECONDS = 5
LATEST = 25  # journal entries and webhook attempts shown
STEPS = ["1m", "10m", "1h", "1d", "14d"]

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="{{ refresh }}">
<title>recmock</title>
<style>
 body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #222; }
 h1 { font-size: 1.3rem; } h2 { font-size: 1.1rem; margin-top: 1.6rem; }
 table { border-collapse: collapse; margin: .4rem 0 1rem; }
 td, th { border: 1px solid #ccc; padding: .2rem .5rem; text-align: left; font-size: 13px; }
 th { background: #f3f3f3; } code { font-size: 12px; }
 form { display: inline; } button { margin-right: .3rem; }
 .empty { color: #888; }
</style></head>
<body>
<h1>recmock {{ version }}</h1>
<section id="clock">
 <p>Mock time <strong id="now">{{ now }}</strong> ({{ "frozen" if frozen else "running" }})</p>
 {% for step in steps %}
 <form method="post" action="{{ url_for('dashboard.move_clock') }}">
  <input type="hidden" name="advance" value="{{ step }}">
  <button type="submit" id="advance-{{ step }}">advance {{ step }}</button>
 </form>
 {% endfor %}
 <form method="post" action="{{ url_for('dashboard.move_clock') }}">
  <input type="hidden" name="freeze" value="{{ 'false' if frozen else 'true' }}">
  <button type="submit" id="freeze">{{ "thaw" if frozen else "freeze" }}</button>
 </form>
</section>

<h2>Resources</h2>
{% for vendor, kinds in resources.items() %}
 <h3>{{ vendor }}</h3>
 {% for kind, rows in kinds.items() %}
  <table class="resources" data-vendor="{{ vendor }}" data-kind="{{ kind }}">
   <tr><th>{{ kind }}</th><th>tenant</th><th>state</th></tr>
   {% for row in rows %}
   <tr data-id="{{ row.id }}"><td><code>{{ row.id }}</code></td><td>{{ row.tenant }}</td>
       <td class="state">{{ row.state }}</td></tr>
   {% endfor %}
  </table>
 {% else %}<p class="empty">nothing stored</p>{% endfor %}
{% endfor %}

<h2>Scripts</h2>
{% if scripts %}<table><tr><th>id</th><th>vendor</th><th>name</th><th>kind</th></tr>
 {% for script in scripts %}<tr><td><code>{{ script.id }}</code></td><td>{{ script.vendor }}</td>
  <td>{{ script.name or "" }}</td><td>{{ "fault" if script.fault else "timeline" }}</td></tr>
 {% endfor %}</table>
{% else %}<p class="empty">none loaded</p>{% endif %}

<h2>Requests (latest {{ latest }})</h2>
{% if journal %}<table id="journal">
 <tr><th>at</th><th>vendor</th><th>request</th><th>status</th></tr>
 {% for e in journal %}<tr><td>{{ e.at }}</td><td>{{ e.vendor or "" }}</td>
  <td><code>{{ e.method }} {{ e.path }}</code></td><td>{{ e.status }}</td></tr>{% endfor %}
</table>{% else %}<p class="empty">none yet</p>{% endif %}

<h2>Webhooks (latest {{ latest }})</h2>
{% if webhooks %}<table id="webhooks"><tr><th>at</th><th>vendor</th><th>event</th><th>to</th>
 <th>answer</th></tr>
 {% for a in webhooks %}<tr><td>{{ a.at }}</td><td>{{ a.vendor }}</td><td>{{ a.event }}</td>
  <td><code>{{ a.url }}</code></td><td>{{ a.status or a.error }}</td></tr>{% endfor %}
</table>{% else %}<p class="empty">none sent</p>{% endif %}
</body></html>
"""


def dashboard_blueprint(mock: RecMock, version: Any) -> Blueprint:
    bp = Blueprint("dashboard", __name__)

    @bp.get("/")
    def show() -> str:
        with mock.store.atomic():
            resources = {name: _resources(vendor) for name, vendor in mock.vendors.items()}
        return render_template_string(
            PAGE,
            version=version(),
            now=iso_millis(mock.now()),
            frozen=mock.clock.frozen,
            steps=STEPS,
            refresh=REFRESH_SECONDS,
            resources=resources,
            scripts=[s.to_json() for s in mock.scripts.list()],
            journal=mock.journal.entries()[-LATEST:][::-1],
            webhooks=mock.outbox.attempts()[-LATEST:][::-1],
            latest=LATEST,
        )

    @bp.post("/dashboard/clock")
    def move_clock() -> Response:
        """The buttons: advance by a step, freeze or thaw; then back to the page."""
        if "advance" in request.form and request.form["advance"] in STEPS:
            mock.advance(request.form["advance"])
        elif request.form.get("freeze") == "true":
            mock.clock.freeze()
        elif request.form.get("freeze") == "false":
            mock.clock.unfreeze()
        return redirect(url_for("dashboard.show"), 303)  # type: ignore[return-value]

    return bp


def _resources(vendor: Any) -> dict[str, list[dict[str, str]]]:
    """Each kind's records per tenant, with the state a reader cares about."""
    shown: dict[str, list[dict[str, str]]] = {}
    for record_type, table in vendor.tables.items():
        rows = [
            {"id": record.id, "tenant": tenant, "state": _state(record)}
            for tenant in table.tenants()
            for record in table.all(tenant)
        ]
        if rows:
            shown[record_type.kind] = rows
    return shown


def _state(record: Any) -> str:
    for name in ("state", "status"):
        value = getattr(record, name, None)
        if isinstance(value, str):
            return value
    shown = getattr(record, "shown", None)  # Scoot keeps the vendor's JSON
    if isinstance(shown, dict) and isinstance(shown.get("status"), str):
        return shown["status"]
    if hasattr(record, "ready"):
        return (
            "shut down"
            if getattr(record, "shutdown", False)
            else ("ready" if record.ready else "starting")
        )
    return ""
