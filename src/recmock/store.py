"""Tenant-scoped, thread-safe in-memory resources.

Each vendor keeps its resources in tables (one per kind: "recording", "room", ...).
A table holds one dict per tenant, so listing a tenant's resources never scans another
tenant's, and a resource fetched with another tenant's credential is simply not there.

One re-entrant lock guards the whole store. Vendors wrap every read-modify-write
(a quota check and the create it allows, a state transition) in `store.atomic()`,
which makes them exact under concurrency.
"""

from __future__ import annotations

import dataclasses
import threading
import types
import typing
from datetime import datetime
from typing import Any, ClassVar, Generic, NamedTuple, Self, TypeVar

from recmock.timeutil import parse_instant


@dataclasses.dataclass
class Record:
    """A stored resource. Subclasses are dataclasses with an `id`.

    `to_state`/`from_state` give the plain-JSON form used by `GET/PUT /_recmock/state`;
    datetimes travel as ISO-8601 strings.
    """

    id: str
    kind: ClassVar[str] = "record"

    def to_state(self) -> dict[str, Any]:
        return {f.name: _to_plain(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> Self:
        """A record from its dump; ValueError naming the field when a value does not fit."""
        if not isinstance(data, dict):
            raise ValueError(f"a {cls.kind} must be an object")
        hints = typing.get_type_hints(cls)
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise ValueError(f"{cls.kind}: unknown fields {unknown}")
        if not isinstance(data.get("id"), str) or not data["id"]:
            raise ValueError(f"{cls.kind}.id: a non-empty string is required")
        values = {
            name: _from_plain(f"{cls.kind}.{name}", hints[name], value)
            for name, value in data.items()
        }
        return cls(**values)


def _to_plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _to_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_to_plain(v) for v in value]
    return value


_PLAIN_TYPES: dict[Any, tuple[type, ...]] = {
    str: (str,),
    int: (int,),
    float: (int, float),
    bool: (bool,),
    list: (list,),
    dict: (dict,),
}


def _from_plain(name: str, hint: Any, value: Any) -> Any:
    """Check a dumped value against the field's type hint (and read datetimes back)."""
    candidates = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    if value is None:
        if type(None) in candidates:
            return None
        raise ValueError(f"{name}: must not be null")
    for candidate in candidates:
        origin = typing.get_origin(candidate) or candidate
        if origin is datetime and isinstance(value, str):
            try:
                return parse_instant(value)
            except ValueError:
                raise ValueError(f"{name}: not a date-time: {value!r}") from None
        accepted = _PLAIN_TYPES.get(origin, ())
        if isinstance(value, accepted) and not (origin is not bool and isinstance(value, bool)):
            return _check_items(name, candidate, value)
    raise ValueError(f"{name}: {value!r} does not fit {hint}")


def _check_items(name: str, hint: Any, value: Any) -> Any:
    """The members of a `list[X]` or the values of a `dict[str, X]` must fit X too: a
    dump edited by hand must not load and then fail when a request reads it."""
    args = typing.get_args(hint)
    if isinstance(value, list) and args:
        return [_from_plain(f"{name}.{i}", args[0], item) for i, item in enumerate(value)]
    if isinstance(value, dict) and len(args) == 2 and args[1] is not Any:
        return {key: _from_plain(f"{name}.{key}", args[1], item) for key, item in value.items()}
    return value


R = TypeVar("R", bound=Record)


class Found(NamedTuple, Generic[R]):
    """A record found by id alone, and the tenant it belongs to."""

    tenant: str
    record: R


class Table(Generic[R]):
    """The resources of one kind, per tenant, with an index from id to tenant."""

    def __init__(self, lock: threading.RLock, record_type: type[R]) -> None:
        self._lock = lock
        self.record_type = record_type
        self._by_tenant: dict[str, dict[str, R]] = {}
        self._tenant_of: dict[str, str] = {}

    def put(self, tenant: str, record: R) -> R:
        with self._lock:
            owner = self._tenant_of.get(record.id)
            if owner is not None and owner != tenant:
                raise ValueError(f"{record.kind} {record.id} already belongs to another tenant")
            self._by_tenant.setdefault(tenant, {})[record.id] = record
            self._tenant_of[record.id] = tenant
        return record

    def get(self, tenant: str, record_id: str) -> R | None:
        rows = self._by_tenant.get(tenant)
        return rows.get(record_id) if rows else None

    def find(self, record_id: str) -> Found[R] | None:
        """Look a record up by id alone (for upload links and scheduled events)."""
        with self._lock:
            tenant = self._tenant_of.get(record_id)
            if tenant is None:
                return None
            return Found(tenant, self._by_tenant[tenant][record_id])

    def delete(self, tenant: str, record_id: str) -> R | None:
        with self._lock:
            rows = self._by_tenant.get(tenant)
            record = rows.pop(record_id, None) if rows else None
            if record is not None and self._tenant_of.get(record_id) == tenant:
                del self._tenant_of[record_id]
            return record

    def all(self, tenant: str) -> list[R]:
        with self._lock:
            return list(self._by_tenant.get(tenant, {}).values())

    def tenants(self) -> list[str]:
        with self._lock:
            return [t for t, rows in self._by_tenant.items() if rows]

    def clear(self) -> None:
        if not self._tenant_of and not self._by_tenant:  # most tables, at most resets
            return
        with self._lock:
            self._by_tenant.clear()
            self._tenant_of.clear()

    def dump(self) -> dict[str, list[dict]]:
        with self._lock:
            return {
                tenant: [record.to_state() for record in rows.values()]
                for tenant, rows in self._by_tenant.items()
                if rows
            }

    def load(self, data: dict[str, list[dict]]) -> None:
        if not isinstance(data, dict):
            raise ValueError(f"{self.record_type.kind}: expected an object of tenants")
        with self._lock:
            for tenant, rows in data.items():
                if not isinstance(rows, list):
                    raise ValueError(f"{self.record_type.kind}: expected a list for {tenant!r}")
                for row in rows:
                    self.put(tenant, self.record_type.from_state(row))


class Store:
    lock: threading.RLock

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._tables: dict[tuple[str, str], Table[Any]] = {}

    def atomic(self) -> threading.RLock:
        """Hold the store (`with store.atomic():`) for a read-modify-write that must not
        interleave with others. The lock itself, not a generator around it: this is on
        every request's path."""
        return self.lock

    def table(self, vendor: str, record_type: type[R]) -> Table[R]:
        key = (vendor, record_type.kind)
        with self.lock:
            table = self._tables.get(key)
            if table is None:
                table = self._tables[key] = Table(self.lock, record_type)
            return table

    def tables(self, vendor: str) -> dict[str, Table[Any]]:
        with self.lock:
            return {kind: t for (v, kind), t in self._tables.items() if v == vendor}

    def clear(self, vendor: str | None = None) -> None:
        with self.lock:
            for (v, _), table in self._tables.items():
                if vendor is None or v == vendor:
                    table.clear()

    def dump(self, vendor: str) -> dict[str, dict[str, list[dict]]]:
        return {kind: table.dump() for kind, table in self.tables(vendor).items()}

    def load(self, vendor: str, data: dict[str, dict[str, list[dict]]]) -> None:
        if not isinstance(data, dict):
            raise ValueError(f"{vendor}: resources must be an object of kinds")
        tables = self.tables(vendor)
        unknown = sorted(set(data) - set(tables))
        if unknown:
            raise ValueError(f"{vendor}: unknown resource kinds {unknown}")
        with self.lock:
            for kind, rows in data.items():
                tables[kind].load(rows)
