"""recmock: an in-memory mock server of five video-recording vendor APIs (Claap,
Telnyx room compositions, eyeson, IVS Valt and Scoot) for tests.

    from recmock import create_app, Config
    app = create_app(Config(seed=7))

    with recmock.mock_vendors() as mock:   # the vendors' real hosts, in process
        ...
"""

from typing import TYPE_CHECKING, Any

from recmock.app import create_app
from recmock.config import Config
from recmock.mock import RecMock

if TYPE_CHECKING:
    from recmock.in_process import UninterceptedRequestError, mock_vendors

__all__ = ["Config", "RecMock", "UninterceptedRequestError", "create_app", "mock_vendors"]


def __getattr__(name: str) -> Any:
    """`mock_vendors` is imported on first use: it loads urllib3, which `recmock serve`
    does not need at start-up."""
    if name in ("mock_vendors", "UninterceptedRequestError"):
        from recmock import in_process

        return getattr(in_process, name)
    raise AttributeError(f"module 'recmock' has no attribute {name!r}")
