"""`RecMock`: one mock's whole state — clock, scheduler, store, scripts, journal,
webhook outbox, media and credentials — with no global singletons, so every app (and
every pytest fixture) gets its own.
"""

from __future__ import annotations

import copy
import random
import string
import threading
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from recmock.clock import LATEST, Clock
from recmock.config import Config
from recmock.credentials import Credentials
from recmock.journal import Journal
from recmock.lifecycle import Lifecycles
from recmock.limits import Limits
from recmock.media import Media, UrlSigner
from recmock.scheduler import Scheduler
from recmock.scripts import Script, ScriptBook
from recmock.store import Store
from recmock.timeutil import parse_duration, parse_instant
from recmock.vendor_names import VendorNames
from recmock.webhooks import Outbox

if TYPE_CHECKING:
    from faker import Faker

    from recmock.intercept.server import InProcessServer
    from recmock.vendor import Vendor
    from recmock.vendor_actions import VendorActions


T = TypeVar("T")


class Ids:
    """Identifiers in each vendor's format, from a seedable generator.

    `reseed` takes effect at the next identifier: a reset before every test reseeds,
    and most tests of one vendor draw no identifier of another's."""

    def __init__(self, seed: int | None) -> None:
        self._generator = random.Random(seed)
        self._reseed_to: tuple[int | None] | None = None

    def reseed(self, seed: int | None) -> None:
        self._reseed_to = (seed,)

    @property
    def _rng(self) -> random.Random:
        pending = self._reseed_to
        if pending is not None:
            self._reseed_to = None
            self._generator.seed(pending[0])
        return self._generator

    def alnum(self, length: int) -> str:
        return "".join(self._rng.choices(string.ascii_letters + string.digits, k=length))

    def number(self, low: int, high: int) -> int:
        return self._rng.randint(low, high)

    def hex(self, length: int) -> str:
        """Lowercase hex, e.g. the 24 of a MongoDB ObjectId (eyeson's ids)."""
        return "".join(self._rng.choices("0123456789abcdef", k=length))

    def uuid(self) -> str:
        """A version-4 UUID (Telnyx's ids), reproducible under a seed."""
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))


class RecMock:
    def __init__(self, config: Config, vendor_types: Iterable[type[Vendor]]) -> None:
        vendor_types = list(vendor_types)
        self.names = VendorNames({t.name: t.mount for t in vendor_types})
        self.config = config
        # What a full reset puts back: a test may change the settings for itself
        # (`recmock.config.rate_limits = False`), and the next test must not inherit it.
        self._initial_config = copy.deepcopy(config)
        # The app that serves this mock, answering in process (set by create_app): the
        # vendor actions' Python methods and the client interceptions go through it.
        self.server: InProcessServer | None = None
        # The base URL of a live server serving this mock over HTTP (set by the
        # recmock_server fixture): links made by a test's Python call point there.
        self.served_at: str | None = None
        # The hosts answered in process, and the settings' hosts they were made for
        # (`in_process.host_table`).
        self.in_process_hosts: tuple[dict, Any] | None = None
        self.scheduler = Scheduler(self.now)
        self.clock = Clock(on_moved=self.scheduler.run_due, guard=self.scheduler.run_lock)
        self.store = Store()
        self.lifecycles = Lifecycles(self.scheduler, self.now, self.store.lock)
        self.journal = Journal(self.names)
        self.outbox = Outbox(self.scheduler, self.names)
        self.media = Media()
        self.signer = UrlSigner()
        self.credentials = Credentials()
        self.limits = Limits()
        self.ids = Ids(config.seed)
        self._faker: Faker | None = None
        self._faker_reseed = False  # a reset reseeds the Faker at its next use
        self._faker_lock = threading.Lock()
        self._background = ThreadPoolExecutor(max_workers=4, thread_name_prefix="recmock-bg")
        self._pending: set[Future] = set()
        # Bumped by each reset of a vendor: background work started before it is dropped.
        self._generations: dict[str, int] = {}
        self.vendors: dict[str, Vendor] = {}
        for vendor_type in vendor_types:
            self.vendors[vendor_type.name] = vendor_type(self)
        self._vendors_by_mount: dict[str, Vendor] = {}
        for vendor in self.vendors.values():
            mount = vendor.mount
            if len(mount) < 2 or mount[0] != "/" or "/" in mount[1:]:
                raise ValueError(f"{vendor.name}: a mount is one path segment: {mount!r}")
            taken = self._vendors_by_mount.setdefault(mount, vendor)
            if taken is not vendor:
                raise ValueError(f"{vendor.name}: {mount} is {taken.name}'s")
        self.scripts = ScriptBook(
            {name: v.script_states for name, v in self.vendors.items()}, self.names
        )
        for path in config.scripts:
            self.add_scripts(path)

    def now(self) -> datetime:
        return self.clock.now()

    @property
    def fake(self) -> Faker:
        """A Faker for realistic names, companies and sentences, seeded with --seed."""
        if self._faker_reseed:
            with self._faker_lock:
                if self._faker_reseed and self._faker is not None:
                    self._faker.seed_instance(self.config.seed)
                self._faker_reseed = False
        if self._faker is None:
            with self._faker_lock:
                if self._faker is None:
                    from faker import Faker  # imported on first use: it is slow to import

                    faker = Faker()
                    faker.seed_instance(self.config.seed)
                    self._faker = faker
        return self._faker

    def host_mounts(self) -> dict[str, str]:
        """Each vendor's real host name -> its path prefix on the mock (a configured
        host, for self-hosted Valt, replaces the vendor's default)."""
        return {
            host: vendor.mount
            for vendor in self.vendors.values()
            for host in self.config.hosts.get(vendor.name, vendor.hosts)
        }

    def served_hosts(self) -> dict[str, str]:
        """Each real host name the mock answers -> its vendor's name."""
        return {
            host: vendor.name
            for vendor in self.vendors.values()
            for host in self.config.hosts.get(vendor.name, vendor.hosts)
        }

    def vendor_domains(self) -> dict[str, str]:
        """Each vendor's own domain -> the vendor's name (`Vendor.domains`)."""
        return {domain: v.name for v in self.vendors.values() for domain in v.domains}

    def __getattr__(self, name: str) -> VendorActions:
        """`recmock.telnyx.simulate_session(...)`: a vendor's actions as methods."""
        vendors = self.__dict__.get("vendors", {})
        vendor = vendors.get(name)
        actions = vendor.actions if vendor is not None else None
        if actions is None:
            with_actions = [v for v, found in vendors.items() if found.actions_type]
            raise AttributeError(
                f"{type(self).__name__!r} has no attribute {name!r}"
                + (f" (vendors with actions: {', '.join(with_actions)})" if vendor else "")
            )
        return actions

    def vendor_for_path(self, path: str) -> Vendor | None:
        """The vendor mounted at the path's first segment (`/claap/v1/...` -> Claap).
        One dict lookup: this runs before every request."""
        end = path.find("/", 1)
        return self._vendors_by_mount.get(path if end < 0 else path[:end])

    # -- steering from Python (the pytest fixtures; the control API calls the same) --

    def advance(self, amount: str | float | timedelta) -> list[dict]:
        """Move the clock forward ("90s", "2h", "PT1H30M", seconds or a timedelta) and
        carry out everything that falls due; answers what happened."""
        return self.clock.advance(parse_duration(amount))

    async def advance_async(self, amount: str | float | timedelta) -> list[dict]:
        """`advance` for an async test on asyncio (pytest-asyncio, anyio's default
        backend): the clock moves on a worker thread, so the webhooks that fall due can
        reach a receiver served by the test's own event loop."""
        import asyncio  # only async tests pay for it

        return await asyncio.to_thread(self.advance, amount)

    def set_time(self, instant: str | datetime) -> list[dict]:
        """Jump the clock to an instant (ISO-8601 text or a datetime)."""
        return self.clock.set(parse_instant(instant) if isinstance(instant, str) else instant)

    def add_scripts(self, source: str | bytes | dict | list | Path) -> list[Script]:
        """Load state scripts from YAML/JSON text, parsed data or a file."""
        if isinstance(source, Path):
            source = source.read_text()
        return self.scripts.add(source)

    def register_key(self, vendor: str, *parts: str) -> None:
        """Accept only registered credentials for this vendor from now on."""
        self.credentials.register(vendor, *parts)

    # -- background work (e.g. Claap fetching a downloadUrl) -------------------------

    def in_background(self, vendor: str, work: Callable[[], T], then: Callable[[T], None]) -> None:
        """Run `work` on a background thread, then `then(result)` under the store's lock,
        unless the vendor was reset in between (its result belongs to a forgotten past,
        and would otherwise land on the next test's resources)."""
        generation = self._generations.get(vendor, 0)

        def run() -> None:
            result = work()
            with self.store.atomic():
                if self._generations.get(vendor, 0) == generation:
                    then(result)

        future = self._background.submit(run)
        self._pending.add(future)
        future.add_done_callback(self._pending.discard)

    def wait_for_background(self, timeout: float = 30.0) -> None:
        """Wait until background work (payload fetches) has finished."""
        wait(list(self._pending), timeout=timeout)

    # -- control ---------------------------------------------------------------------

    def reset(self, vendors: str | Iterable[str] | None = None) -> None:
        """Back to the state at start: everything (settings included), or the part of
        one vendor or of several (`reset("claap")`, `reset(["claap", "scoot"])`)."""
        names = self._vendor_names(vendors) if vendors is not None else list(self.vendors)
        with self.store.atomic():
            for name in names:
                self._generations[name] = self._generations.get(name, 0) + 1
        # Everything at once takes one call per part (the pytest fixture does this
        # before every test); a vendor's part, one per part and vendor.
        parts: list[str | None] = [None] if vendors is None else list(names)
        for part in parts:
            self.scheduler.clear(part)
            self.lifecycles.clear(part)
            self.store.clear(part)
            self.media.clear(f"{part}/" if part else "")
            self.scripts.clear(part)
            self.journal.clear(part)
            self.outbox.clear(part)
            self.credentials.clear(part)
            self.limits.clear(part)
        if vendors is None:
            self.restore_settings()
            self.clock.reset()
            self.ids.reseed(self.config.seed)
            self._faker_reseed = True

    def restore_settings(self) -> None:
        """Put back the settings the mock started with: a change a test makes
        (`recmock.config.rate_limits = False`) is for that test only."""
        if self.config != self._initial_config:
            for field, value in vars(self._initial_config).items():
                setattr(self.config, field, copy.deepcopy(value))

    def _vendor_names(self, vendors: str | Iterable[str]) -> list[str]:
        names = [vendors] if isinstance(vendors, str) else list(vendors)
        return [self.names.check(name) for name in names]

    def dump_state(self) -> dict[str, Any]:
        """Every vendor's resources, media and registered keys, the clock, and the key
        that signs download links, as plain JSON (`GET /_recmock/state`)."""
        return {
            # Microseconds, as the records hold them: a restart must not move time back.
            "clock": {"now": self.now().isoformat(), "frozen": self.clock.frozen},
            "signing_key": self.signer.key.hex(),
            "vendors": {
                name: {
                    "resources": self.store.dump(name),
                    "media": self.media.dump(f"{name}/"),
                    "keys": [list(parts) for parts in self.credentials.registered(name)],
                }
                for name in self.vendors
            },
        }

    def replace_state(self, state: Any) -> None:
        """Replace everything with a dump of `dump_state`. The dump is checked whole
        first, so a bad one is refused (ValueError) and nothing is lost."""
        self._check_state(state)
        before = self.dump_state()
        self.reset()
        try:
            self._load_state(state)
        except Exception as exc:  # what the checks could not foresee: put the old state back
            self.reset()
            self._load_state(before)
            raise ValueError(f"the dump could not be loaded: {exc}") from exc

    def _check_state(self, state: Any) -> None:
        if not isinstance(state, dict):
            raise ValueError("a state dump is an object")
        missing = [key for key in ("clock", "signing_key", "vendors") if key not in state]
        if missing:  # an empty or foreign file must not act as a reset
            raise ValueError(f"{', '.join(missing)} missing")
        vendors = state.get("vendors", {})
        if not isinstance(vendors, dict):
            raise ValueError("vendors: expected an object")
        unknown = sorted(set(vendors) - set(self.vendors))
        if unknown:
            raise ValueError(f"unknown vendors {unknown}")
        clock = state.get("clock")
        if clock is not None:
            if not isinstance(clock, dict) or not isinstance(clock.get("frozen", False), bool):
                raise ValueError('clock: expected {"now": ISO-8601, "frozen": bool}')
            if parse_instant(str(clock.get("now"))) >= LATEST:
                raise ValueError(f"clock: the clock cannot go past {LATEST.year}")
        key = state.get("signing_key")
        if key is not None and (not isinstance(key, str) or len(bytes.fromhex(key)) < 16):
            raise ValueError("signing_key: at least 16 bytes, hex")
        scratch_store, scratch_media = Store(), Media()
        for name, data in vendors.items():
            if not isinstance(data, dict):
                raise ValueError(f"{name}: expected an object")
            for record_type in self.vendors[name].record_types:
                scratch_store.table(name, record_type)
            scratch_store.load(name, data.get("resources", {}))
            scratch_media.load(data.get("media", {}))
            keys = data.get("keys", [])
            if not isinstance(keys, list) or not all(
                isinstance(k, list) and k and all(isinstance(p, str) for p in k) for k in keys
            ):
                raise ValueError(f"{name}.keys: expected a list of lists of strings")

    def _load_state(self, state: dict[str, Any]) -> None:
        clock = state.get("clock")
        if clock:  # first: what the vendors restart on load runs on the dumped time
            if clock.get("frozen"):
                self.clock.freeze()
            self.clock.set(parse_instant(clock["now"]))
        if state.get("signing_key"):
            self.signer.key = bytes.fromhex(state["signing_key"])
        for name, data in state.get("vendors", {}).items():
            self.store.load(name, data.get("resources", {}))
            self.media.load(data.get("media", {}))
            for parts in data.get("keys", []):
                self.credentials.register(name, *parts)
            self.vendors[name].after_load()

    def close(self) -> None:
        self._background.shutdown(wait=False, cancel_futures=True)
