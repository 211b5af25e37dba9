"""State scripts (their forms, their refusals, faults and timelines), the limiters on
the mock's clock, and the journal (what it keeps, how it filters)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from recmock.journal import Journal
from recmock.limits import Limits, SlidingWindow, TokenBucket
from recmock.scripts import ScriptBook, ScriptError
from recmock.vendor_names import VendorNames

START = datetime(2030, 1, 1, tzinfo=UTC)
NAMES = VendorNames({"claap": "/claap", "scoot": "/scoot"})


@pytest.fixture
def book() -> ScriptBook:
    return ScriptBook({"claap": {"recording": ["Empty", "Ready", "Failed"]}, "scoot": {}}, NAMES)


class TestScripts:
    FAULT = {"vendor": "claap", "fault": {"method": "post", "path": "/v1/*", "status": 503}}

    @pytest.mark.parametrize(
        "source",
        [
            FAULT,
            [FAULT],
            "vendor: claap\nfault: {method: post, path: /v1/*, status: 503}\n",
            b'[{"vendor": "claap", "fault": {"method": "post", "path": "/v1/*", "status": 503}}]',
        ],
        ids=["dict", "list", "yaml", "json"],
    )
    def test_every_form_loads_the_same_script(self, book: ScriptBook, source) -> None:
        [script] = book.add(source)
        assert script.to_json() == {
            "id": "script-1",
            "vendor": "claap",
            "fault": {
                "method": "POST",
                "path": "/v1/*",
                "status": 503,
                "delay": None,
                "times": None,
            },
        }

    @pytest.mark.parametrize(
        ("source", "message"),
        [
            ({"vendor": "zoom", "fault": {"status": 500}}, "vendor: unknown vendor 'zoom'"),
            ({"vendor": "claap"}, "timeline: A script needs a `timeline`, a `fault` or both."),
            ({"vendor": "claap", "fault": {"stauts": 500}}, "fault.stauts: Unknown field."),
            (
                {"vendor": "claap", "timeline": [{"state": "Done"}]},
                "timeline.0.state: 'Done' is not a state of a claap recording",
            ),
            (
                [
                    {"vendor": "claap", "fault": {"status": 500}},
                    {"vendor": "claap", "fault": {"status": 99}},
                ],
                r"\[1\].fault.status: Must be greater than or equal to 400",
            ),
            (
                {"vendor": "claap", "fault": {"method": "FETCH", "status": 500}},
                "fault.method: Must be one of",
            ),
            ("vendor: [", "not valid YAML or JSON"),
        ],
    )
    def test_a_script_that_does_not_fit_names_the_field(
        self, book: ScriptBook, source, message: str
    ) -> None:
        with pytest.raises(ScriptError, match=message):
            book.add(source)
        assert book.list() == []

    def test_a_fault_matches_method_and_path_for_its_times(self, book: ScriptBook) -> None:
        book.add(
            {
                "vendor": "claap",
                "fault": {"method": "POST", "path": "/v1/*", "times": 2, "status": 503},
            }
        )
        assert book.take_fault("claap", "GET", "/v1/recordings") is None
        assert book.take_fault("claap", "POST", "/v2/x") is None
        assert book.take_fault("scoot", "POST", "/v1/recordings") is None
        assert book.take_fault("claap", "post", "/v1/recordings").status == 503
        assert book.take_fault("claap", "POST", "/v1/recordings").status == 503
        assert book.take_fault("claap", "POST", "/v1/recordings") is None  # used up
        assert not book.has_faults("claap")

    def test_a_path_with_the_mocks_prefix_means_the_vendors_own(self, book: ScriptBook) -> None:
        [script] = book.add(
            {"vendor": "claap", "fault": {"path": "/claap/v1/recordings", "status": 500}}
        )
        assert script.fault.path == "/v1/recordings"
        assert book.take_fault("claap", "GET", "/v1/recordings") is not None

    def test_the_newest_matching_timeline_wins(self, book: ScriptBook) -> None:
        book.add({"vendor": "claap", "match": {"title": "a*"}, "timeline": [{"state": "Failed"}]})
        book.add({"vendor": "claap", "match": {"title": "ab*"}, "timeline": [{"state": "Ready"}]})
        [step] = book.timeline_for("claap", "recording", {"title": "abc"})
        assert step.state == "Ready"
        [step] = book.timeline_for("claap", "recording", {"title": "axe"})
        assert step.state == "Failed"
        assert book.timeline_for("claap", "recording", {"title": "zzz"}) is None

    def test_concurrent_requests_take_a_fault_exactly_its_times(self, book: ScriptBook) -> None:
        book.add({"vendor": "claap", "fault": {"times": 100, "status": 503}})
        taken: list[object] = []

        def take() -> None:
            for _ in range(50):
                if book.take_fault("claap", "GET", "/v1/x"):
                    taken.append(1)

        threads = [threading.Thread(target=take) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(taken) == 100


class TestLimits:
    def test_a_bucket_refills_at_its_rate_up_to_its_burst(self) -> None:
        bucket = TokenBucket(rate=3, burst=5, now=START)
        assert [bucket.take(START)[0] for _ in range(6)] == [True] * 5 + [False]
        assert bucket.take(START + timedelta(seconds=1)) == (True, 2)  # 3 back, 1 taken
        assert bucket.take(START + timedelta(hours=1)) == (True, 4)  # never above the burst

    def test_a_window_counts_events_in_its_span(self) -> None:
        window = SlidingWindow(limit=2, window=timedelta(days=30))
        assert window.take(START) == (True, 1)
        assert window.take(START + timedelta(days=1)) == (True, 0)
        assert window.take(START + timedelta(days=2)) == (False, 0)
        assert window.take(START + timedelta(days=30, seconds=1)) == (True, 0)  # the first aged out

    def test_a_quota_under_concurrency_allows_exactly_its_limit(self) -> None:
        limits = Limits()
        allowed: list[bool] = []

        def create() -> None:
            for _ in range(20):
                taken, _ = limits.take_window(
                    ("claap", "ws", "quota"), 50, timedelta(days=30), START
                )
                if taken:
                    allowed.append(True)

        threads = [threading.Thread(target=create) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(allowed) == 50

    def test_clear_forgets_one_vendors_limiters(self) -> None:
        limits = Limits()
        limits.take_window(("claap", "ws", "q"), 1, timedelta(days=1), START)
        limits.take_window(("scoot", "ws", "q"), 1, timedelta(days=1), START)
        limits.clear("claap")
        assert limits.take_window(("claap", "ws", "q"), 1, timedelta(days=1), START)[0]
        assert not limits.take_window(("scoot", "ws", "q"), 1, timedelta(days=1), START)[0]


def _record(journal: Journal, vendor: str | None, method: str, path: str, **extra) -> None:
    fields = {"query_string": "", "status": 200, "at": START, "duration_ms": 1.0,
              "environ_headers": {}, "body": None, **extra}  # fmt: skip
    journal.record(vendor=vendor, method=method, path=path, **fields)


class TestJournal:
    def test_an_entry_as_the_control_api_answers_it(self) -> None:
        journal = Journal(NAMES)
        _record(
            journal, "claap", "POST", "/v1/recordings",
            query_string="r=%FF&label=a&label=b&q=%E6%97%A5",
            environ_headers={"HTTP_X_CLAAP_KEY": "cla_k", "CONTENT_TYPE": "application/json"},
            body='{"title": "x"}',
        )  # fmt: skip
        [entry] = journal.entries()
        assert entry == {
            "id": 1,
            "vendor": "claap",
            "method": "POST",
            "path": "/v1/recordings",
            "query": {"r": "%FF", "label": ["a", "b"], "q": "日"},
            "status": 200,
            "at": "2030-01-01T00:00:00.000Z",
            "duration_ms": 1.0,
            "headers": {"X-Claap-Key": "cla_k", "Content-Type": "application/json"},
            "body": '{"title": "x"}',
        }
        assert entry.json() == {"title": "x"}

    def test_filters(self) -> None:
        journal = Journal(NAMES)
        _record(journal, "claap", "POST", "/v1/recordings")
        _record(journal, "claap", "GET", "/v1/recordings/r1")
        _record(journal, "scoot", "GET", "/api/v1/recording")
        _record(journal, None, "GET", "/nope")
        assert [e["id"] for e in journal.entries(vendor="claap")] == [1, 2]
        assert [e["id"] for e in journal.entries(method="get")] == [2, 3, 4]
        assert [e["id"] for e in journal.entries(path="/v1/recordings/*")] == [2]
        assert [e["id"] for e in journal.entries(path="/claap/v1/*")] == [1, 2]
        with pytest.raises(ValueError, match="unknown vendor 'zoom'"):
            journal.entries(vendor="zoom")

    def test_it_keeps_the_newest_and_clears_by_vendor(self) -> None:
        journal = Journal(NAMES, keep=3)
        for n in range(5):
            _record(journal, "claap" if n % 2 else "scoot", "GET", f"/{n}")
        assert [e["path"] for e in journal.entries()] == ["/2", "/3", "/4"]
        journal.clear("scoot")
        assert [e["path"] for e in journal.entries()] == ["/3"]
