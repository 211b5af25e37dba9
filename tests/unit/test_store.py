"""The store: tenant-scoped tables, finds by id alone, dumps that load back exactly,
and refusals that name the field of a dump that does not fit."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from recmock.store import Found, Record, Store


@dataclass
class Note(Record):
    kind = "note"
    text: str = ""
    at: datetime | None = None
    tags: list[str] = field(default_factory=list)


@pytest.fixture
def store() -> Store:
    return Store()


@pytest.fixture
def notes(store: Store):
    return store.table("demo", Note)


def test_a_tenant_sees_only_its_own(notes) -> None:
    notes.put("ann", Note(id="n1", text="hers"))
    notes.put("bob", Note(id="n2", text="his"))
    assert [n.id for n in notes.all("ann")] == ["n1"]
    assert notes.get("bob", "n1") is None
    assert sorted(notes.tenants()) == ["ann", "bob"]


def test_find_by_id_alone_names_the_tenant(notes) -> None:
    note = notes.put("ann", Note(id="n1"))
    found = notes.find("n1")
    assert found == Found("ann", note)
    tenant, record = found
    assert (tenant, record.id, found.record is note) == ("ann", "n1", True)
    assert notes.find("n9") is None


def test_an_id_belongs_to_one_tenant(notes) -> None:
    notes.put("ann", Note(id="n1"))
    with pytest.raises(ValueError, match="note n1 already belongs to another tenant"):
        notes.put("bob", Note(id="n1"))


def test_delete_and_clear(notes) -> None:
    notes.put("ann", Note(id="n1"))
    notes.put("ann", Note(id="n2"))
    assert notes.delete("bob", "n1") is None  # not bob's
    assert notes.delete("ann", "n1").id == "n1"
    assert notes.find("n1") is None
    notes.clear()
    assert (notes.all("ann"), notes.tenants(), notes.find("n2")) == ([], [], None)


def test_a_dump_loads_back_exactly() -> None:
    store = Store()
    notes = store.table("demo", Note)
    at = datetime(2026, 3, 2, 9, 30, 0, 123456, tzinfo=UTC)
    notes.put("ann", Note(id="n1", text="x", at=at, tags=["a", "b"]))
    dump = store.dump("demo")
    assert dump == {
        "note": {"ann": [{"id": "n1", "text": "x", "at": at.isoformat(), "tags": ["a", "b"]}]}
    }
    other = Store()
    other.table("demo", Note)
    other.load("demo", dump)
    assert other.dump("demo") == dump
    assert other.table("demo", Note).get("ann", "n1").at == at


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"id": "n1", "text": 5}, "note.text: 5 does not fit"),
        ({"id": "n1", "at": "yesterday"}, "note.at: not a date-time: 'yesterday'"),
        ({"id": "n1", "tags": ["a", 2]}, "note.tags.1: 2 does not fit"),
        ({"id": "n1", "text": None}, "note.text: must not be null"),
        ({"id": "n1", "colour": "red"}, "note: unknown fields ['colour']"),
        ({"text": "no id"}, "note.id: a non-empty string is required"),
    ],
)
def test_a_dump_that_does_not_fit_names_the_field(row: dict, message: str) -> None:
    store = Store()
    store.table("demo", Note)
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        store.load("demo", {"note": {"ann": [row]}})


def test_an_unknown_kind_is_refused() -> None:
    store = Store()
    store.table("demo", Note)
    with pytest.raises(ValueError, match=r"demo: unknown resource kinds \['memo'\]"):
        store.load("demo", {"memo": {}})


def test_atomic_read_modify_write_loses_no_update(store: Store, notes) -> None:
    """Eight threads add one to a counter 500 times each, under `atomic()`."""
    notes.put("ann", Note(id="counter", text="0"))

    def add() -> None:
        for _ in range(500):
            with store.atomic():
                note = notes.get("ann", "counter")
                note.text = str(int(note.text) + 1)

    threads = [threading.Thread(target=add) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert notes.get("ann", "counter").text == "4000"
