"""State scripts: plain data that overrides a vendor's default lifecycle for the
resources it matches, or injects faults into the requests it matches.

    - vendor: claap
      match: {title: "corrupt*"}          # resource fields (dotted for nested), glob patterns
      timeline:                           # replaces the default lifecycle for them
        - {after: 10s, state: Uploaded}   # a clock duration after the previous step
        - {after_reads: 2, state: Ready}  # after the resource was read twice more
        - {after: immediate, state: X}    # at once (also: no `after` at all)
    - vendor: telnyx
      fault: {method: POST, path: /v2/room_compositions, times: 2, status: 503}
    - vendor: eyeson
      fault: {path: "/recordings/*", delay: 1.5s}

`after` counts from the previous step (from the start of the lifecycle for the first
one); where a lifecycle starts is the vendor's to say (Claap: when the payload arrives).
When several scripts match, the one added last wins. A fault's path is the vendor's own
path; one written with the mock's prefix (`/claap/v1/recordings`) is read as the
vendor's own (`/v1/recordings`). A delay is real (wall-clock) time, so a client's
timeout can be tested; a status answers in the vendor's own error shape.

Scripts that do not parse are refused with a message naming the offending field.
"""

from __future__ import annotations

import fnmatch
import itertools
import threading
import typing
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from recmock.timeutil import parse_duration
from recmock.validation import first_problem, shared_schema
from recmock.vendor_names import VendorNames

IMMEDIATE = timedelta(0)
LONGEST_DELAY = timedelta(minutes=5)  # a fault's delay blocks a server thread for real
FAULT_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


class ScriptError(ValueError):
    """A script that cannot be used; the message names the field."""


@dataclass(frozen=True)
class Step:
    state: str
    after: timedelta = IMMEDIATE
    after_reads: int | None = None

    def to_json(self) -> dict[str, Any]:
        if self.after_reads is not None:
            return {"after_reads": self.after_reads, "state": self.state}
        return {"after": f"{self.after.total_seconds():g}s", "state": self.state}


@dataclass
class Fault:
    method: str | None = None
    path: str | None = None
    status: int | None = None
    delay: timedelta | None = None
    times: int | None = None
    message: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def matches(self, method: str, path: str) -> bool:
        if self.times is not None and self.times <= 0:
            return False
        if self.method and self.method.upper() != method.upper():
            return False
        return not self.path or fnmatch.fnmatchcase(path, self.path)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "method": self.method,
            "path": self.path,
            "status": self.status,
            "delay": None if self.delay is None else f"{self.delay.total_seconds():g}s",
            "times": self.times,
        }
        if self.message:
            out["message"] = self.message
        if self.headers:
            out["headers"] = self.headers
        return out


@dataclass
class Script:
    id: str
    vendor: str
    resource: str | None
    match: dict[str, str]
    timeline: list[Step] | None
    fault: Fault | None
    name: str | None = None

    def matches(self, resource_json: dict[str, Any]) -> bool:
        return all(
            _field_matches(resource_json, dotted, pattern) for dotted, pattern in self.match.items()
        )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "vendor": self.vendor}
        if self.name:
            out["name"] = self.name
        if self.resource:
            out["resource"] = self.resource
        if self.match:
            out["match"] = self.match
        if self.timeline is not None:
            out["timeline"] = [step.to_json() for step in self.timeline]
        if self.fault is not None:
            out["fault"] = self.fault.to_json()
        return out


def _field_matches(resource: Any, dotted: str, pattern: str) -> bool:
    value = resource
    for part in dotted.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return False
    if isinstance(value, list):
        return any(fnmatch.fnmatchcase(_as_text(v), pattern) for v in value)
    return fnmatch.fnmatchcase(_as_text(value), pattern)


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


class DurationField(fields.Field):
    default_error_messages = {"invalid": "Not a duration (use e.g. 90s, 2h, 14d, PT1H30M)."}

    def _deserialize(self, value, attr, data, **kwargs):
        if value == "immediate":
            return IMMEDIATE
        try:
            return parse_duration(value)
        except ValueError:
            raise self.make_error("invalid") from None


class StepSchema(Schema):
    class Meta:
        unknown = RAISE

    state = fields.String(required=True, validate=validate.Length(min=1))
    after = DurationField()
    after_reads = fields.Integer(strict=True, validate=validate.Range(min=1))

    @validates_schema
    def _one_progression(self, data, **kwargs):
        if "after" in data and "after_reads" in data:
            raise ValidationError("Give either `after` or `after_reads`, not both.", "after_reads")

    @post_load
    def _make(self, data, **kwargs) -> Step:
        return Step(**data)


def _a_fault_method(method: str) -> None:
    """A method in any case, as HTTP clients write it (`post` or `POST`)."""
    validate.OneOf(FAULT_METHODS)(method.upper())


class FaultSchema(Schema):
    class Meta:
        unknown = RAISE

    method = fields.String(validate=_a_fault_method)
    path = fields.String(validate=validate.Regexp(r"^/", error="Must start with /."))
    status = fields.Integer(strict=True, validate=validate.Range(min=400, max=599))
    delay = DurationField(validate=validate.Range(max=LONGEST_DELAY, error="At most 300s."))
    times = fields.Integer(strict=True, validate=validate.Range(min=1))
    message = fields.String()
    headers = fields.Dict(keys=fields.String(), values=fields.String())

    @validates_schema
    def _does_something(self, data, **kwargs):
        if "status" not in data and "delay" not in data:
            raise ValidationError("A fault needs a `status`, a `delay` or both.", "status")

    @post_load
    def _make(self, data, **kwargs) -> Fault:
        if "method" in data:
            data["method"] = data["method"].upper()
        return Fault(**data)


class ScriptSchema(Schema):
    class Meta:
        unknown = RAISE

    vendor = fields.String(required=True)
    name = fields.String()
    resource = fields.String()
    match = fields.Dict(keys=fields.String(), values=fields.Raw(), load_default=dict)
    timeline = fields.List(fields.Nested(StepSchema), validate=validate.Length(min=1))
    fault = fields.Nested(FaultSchema)

    @validates_schema
    def _does_something(self, data, **kwargs):
        if "timeline" not in data and "fault" not in data:
            raise ValidationError("A script needs a `timeline`, a `fault` or both.", "timeline")


def _describe(messages: Any) -> str:
    """marshmallow's nested messages as 'timeline.1.after: Not a duration ...'."""
    path, message = first_problem(messages)
    return f"{'.'.join(path)}: {message}" if path else message


def parse_scripts(source: str | bytes | dict | list) -> list[dict[str, Any]]:
    """Read one script or a list of scripts from YAML/JSON text or already-parsed data."""
    if isinstance(source, bytes | str):
        import yaml  # on the first script: it is slow to import, and start-up counts

        try:
            data = yaml.safe_load(source) if source else None
        except yaml.YAMLError as exc:
            raise ScriptError(f"not valid YAML or JSON: {exc}") from None
    else:
        data = source
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not data:
        raise ScriptError("expected a script (an object) or a list of scripts")
    return data


class ScriptBook:
    """The scripts in force, newest last. Matching and fault counting are atomic."""

    def __init__(self, lifecycles: dict[str, dict[str, list[str]]], names: VendorNames) -> None:
        # vendor -> resource kind -> the states its lifecycle may take
        self._lifecycles = lifecycles
        self._names = names
        self._scripts: list[Script] = []
        self._lock = threading.Lock()
        self._ids = itertools.count(1)

    def add(self, source: str | bytes | dict | list) -> list[Script]:
        raw = parse_scripts(source)
        scripts = [self._validate(index, item, len(raw) > 1) for index, item in enumerate(raw)]
        with self._lock:
            for script in scripts:
                script.id = f"script-{next(self._ids)}"
                self._scripts.append(script)
        return scripts

    def _validate(self, index: int, item: Any, in_list: bool) -> Script:
        where = f"[{index}]." if in_list else ""
        if not isinstance(item, dict):
            raise ScriptError(f"{where or 'script'}: expected an object")
        try:
            data = shared_schema(ScriptSchema).load(item)
        except ValidationError as exc:
            raise ScriptError(where + _describe(exc.messages)) from None
        vendor = data["vendor"]
        kinds = self._lifecycles.get(vendor)
        if kinds is None:
            raise ScriptError(f"{where}vendor: {self._names.refusal(vendor)}")
        resource = data.get("resource")
        if "timeline" in data:
            if resource is None and len(kinds) > 1:
                raise ScriptError(f"{where}resource: which one of {sorted(kinds)}?")
            if resource is None:
                resource = next(iter(kinds), None)
            if resource not in kinds:
                raise ScriptError(
                    f"{where}resource: {vendor} has no scripted lifecycle for {resource!r} "
                    f"(one of {sorted(kinds)})"
                )
            allowed = kinds[resource]
            for n, step in enumerate(data["timeline"]):
                if step.state not in allowed:
                    raise ScriptError(
                        f"{where}timeline.{n}.state: {step.state!r} is not a state of a {vendor} "
                        f"{resource} (one of {', '.join(allowed)})"
                    )
        fault = data.get("fault")
        if fault is not None and fault.path:
            fault.path = self._names.own_path(vendor, fault.path)
        match = {str(k): _as_text(v) for k, v in data["match"].items()}
        return Script(
            id="",
            vendor=vendor,
            resource=resource,
            match=match,
            timeline=data.get("timeline"),
            fault=fault,
            name=data.get("name"),
        )

    def list(self, vendor: str | None = None) -> list[Script]:
        if vendor is not None:
            self._names.check(vendor)
        with self._lock:
            return [s for s in self._scripts if vendor is None or s.vendor == vendor]

    def remove(self, script_id: str) -> bool:
        with self._lock:
            before = len(self._scripts)
            self._scripts = [s for s in self._scripts if s.id != script_id]
            return len(self._scripts) != before

    def clear(self, vendor: str | None = None) -> None:
        if vendor is not None:
            self._names.check(vendor)
        with self._lock:
            self._scripts = [s for s in self._scripts if vendor is not None and s.vendor != vendor]

    def timeline_for(
        self, vendor: str, resource: str, resource_json: dict
    ) -> typing.List[Step] | None:  # noqa: UP006  (`list` is a method of this class)
        """The timeline of the newest script that matches this resource, if any."""
        with self._lock:
            candidates = list(reversed(self._scripts))
        for script in candidates:
            if (
                script.vendor == vendor
                and script.timeline is not None
                and script.resource == resource
                and script.matches(resource_json)
            ):
                return script.timeline
        return None

    def has_faults(self, vendor: str) -> bool:
        """Whether a script may still inject a fault at this vendor (one whose `times`
        are used up will not). Read without the lock, as `take_fault` reads "no
        scripts": a script added meanwhile applies from the next request on, and a fault
        used up meanwhile is found used up by `take_fault`."""
        return any(
            script.vendor == vendor
            and script.fault is not None
            and (script.fault.times is None or script.fault.times > 0)
            for script in self._scripts
        )

    def take_fault(self, vendor: str, method: str, path: str) -> Fault | None:
        """The newest fault matching this request, with one of its `times` used up."""
        if not self._scripts:
            # Most mocks run without scripts; the lock is for counting a fault's `times`.
            # A script added while this request is already being served applies from
            # the next request on.
            return None
        with self._lock:
            for script in reversed(self._scripts):
                fault = script.fault
                if script.vendor == vendor and fault is not None and fault.matches(method, path):
                    if fault.times is not None:
                        fault.times -= 1
                    return fault
        return None
