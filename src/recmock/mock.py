"""`RecMock`: one mock's whole state — clock, scheduler, store, scripts, journal,
webhook outbox, media and credentials — with no global singletons, so every app (and
every pytest fixture) gets its own.
"""

from __future__ import annotations

import random
import string
import threading
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from recmock.clock import Clock
from recmock.config import Config
from recmock.credentials import Credentials
from recmock.journal import Journal
from recmock.lifecycle import Lifecycles
from recmock.limits import Limits
from recmock.media import Media, UrlSigner
from recmock.scheduler import Scheduler
from recmock.scripts import Script, ScriptBook
from recmock.store import Store
from recmock.timeutil import iso_millis, parse_duration, parse_instant
from recmock.webhooks import Outbox

if TYPE_CHECKING:
    from faker import Faker

    from recmock.vendor import Vendor


class Ids:
    """Identifiers in each vendor's format, from a seedable generator."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng

    def alnum(self, length: int) -> str:
        return "".join(self._rng.choices(string.ascii_letters + string.digits, k=length))

    def hex(self, length: int) -> str:
        return "".join(self._rng.choices("0123456789abcdef", k=length))

    def number(self, low: int, high: int) -> int:
        return self._rng.randint(low, high)

    def uuid(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))


class RecMock:
    def __init__(self, config: Config, vendor_types: Iterable[type[Vendor]]) -> None:
        self.config = config
        self.scheduler = Scheduler(self.now)
        self.clock = Clock(on_moved=self.scheduler.run_due)
        self.store = Store()
        self.lifecycles = Lifecycles(self.scheduler, self.now, self.store.lock)
        self.journal = Journal()
        self.outbox = Outbox(self.scheduler)
        self.media = Media()
        self.signer = UrlSigner()
        self.credentials = Credentials()
        self.limits = Limits()
        self._rng = random.Random(config.seed)
        self.ids = Ids(self._rng)
        self._faker: Faker | None = None
        self._faker_lock = threading.Lock()
        self._background = ThreadPoolExecutor(max_workers=4, thread_name_prefix="recmock-bg")
        self._pending: set[Future] = set()
        # Vendors used since the last reset: a reset with no vendor named forgets only
        # these (the pytest fixture resets before every test, so it must be cheap).
        self._touched: set[str] = set()
        self.vendors: dict[str, Vendor] = {}
        for vendor_type in vendor_types:
            self.vendors[vendor_type.name] = vendor_type(self)
        self.scripts = ScriptBook({name: v.lifecycles for name, v in self.vendors.items()})
        for path in config.scripts:
            self.add_scripts(path)

    def now(self) -> datetime:
        return self.clock.now()

    @property
    def fake(self) -> Faker:
        """A Faker for realistic names, companies and sentences, seeded with --seed."""
        if self._faker is None:
            with self._faker_lock:
                if self._faker is None:
                    from faker import Faker  # imported on first use: it is slow to import

                    faker = Faker()
                    faker.seed_instance(self.config.seed)
                    self._faker = faker
        return self._faker

    def touch(self, vendor: str) -> None:
        self._touched.add(vendor)

    def hosts(self, vendor: Vendor) -> tuple[str, ...]:
        return self.config.hosts.get(vendor.name, vendor.hosts)

    def vendor_for_path(self, path: str) -> Vendor | None:
        for vendor in self.vendors.values():
            if path == vendor.mount or path.startswith(vendor.mount + "/"):
                return vendor
        return None

    # -- steering from Python (the pytest fixtures; the control API calls the same) --

    def advance(self, amount: str | float | timedelta) -> list[dict]:
        """Move the clock forward ("90s", "2h", "PT1H30M", seconds or a timedelta) and
        carry out everything that falls due; answers what happened."""
        return self.clock.advance(parse_duration(amount))

    def set_time(self, instant: str | datetime) -> list[dict]:
        """Jump the clock to an instant (ISO-8601 text or a datetime)."""
        return self.clock.set(parse_instant(instant) if isinstance(instant, str) else instant)

    def add_scripts(self, source: str | bytes | dict | list | Path) -> list[Script]:
        """Load state scripts from YAML/JSON text, parsed data or a file."""
        if isinstance(source, Path):
            source = source.read_text()
        added = self.scripts.add(source)
        for script in added:
            self.touch(script.vendor)
        return added

    def register_key(self, vendor: str, *parts: str) -> None:
        """Accept only registered credentials for this vendor from now on."""
        self.credentials.register(vendor, *parts)
        self.touch(vendor)

    # -- background work (e.g. Claap fetching a downloadUrl) -------------------------

    def in_background(self, work: Callable[[], Any]) -> None:
        future = self._background.submit(work)
        self._pending.add(future)
        future.add_done_callback(self._pending.discard)

    def wait_for_background(self, timeout: float = 30.0) -> None:
        """Wait until background work (payload fetches) has finished."""
        wait(list(self._pending), timeout=timeout)

    # -- control ---------------------------------------------------------------------

    def reset(self, vendor: str | None = None) -> None:
        """Back to the state at start: everything, or one vendor's part of it."""
        if vendor is not None:
            names = [vendor]
        else:
            names = [name for name in self.vendors if name in self._touched]
            self._touched.clear()
        for name in names:
            self.scheduler.clear(name)
            self.lifecycles.clear(name)
            self.store.clear(name)
            self.media.clear(f"{name}/")
            self.scripts.clear(name)
            self.journal.clear(name)
            self.outbox.clear(name)
            self.credentials.clear(name)
            self.limits.clear(name)
            self.vendors[name].reset()
        if vendor is None:
            self.journal.clear()
            self.clock.reset()
            self._rng.seed(self.config.seed)
            if self._faker is not None:
                self._faker.seed_instance(self.config.seed)

    def dump_state(self) -> dict[str, Any]:
        return {
            "clock": {"now": iso_millis(self.now()), "frozen": self.clock.frozen},
            "vendors": {
                name: {
                    "resources": self.store.dump(name),
                    "media": self.media.dump(f"{name}/"),
                    **vendor.dump_extra(),
                }
                for name, vendor in self.vendors.items()
            },
        }

    def load_state(self, state: dict[str, Any]) -> None:
        """Load a dump of `dump_state` on top of an empty mock (callers reset first)."""
        vendors = state.get("vendors", {})
        unknown = sorted(set(vendors) - set(self.vendors))
        if unknown:
            raise ValueError(f"unknown vendors {unknown}")
        clock = state.get("clock")
        if clock:  # first: what the vendors restart on load runs on the dumped time
            if clock.get("frozen"):
                self.clock.freeze()
            self.clock.set(parse_instant(clock["now"]))
        for name, data in vendors.items():
            self.touch(name)
            self.store.load(name, data.get("resources", {}))
            self.media.load(data.get("media", {}))
            self.vendors[name].load_extra(data)

    def close(self) -> None:
        self._background.shutdown(wait=False, cancel_futures=True)
