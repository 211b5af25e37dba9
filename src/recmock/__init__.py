"""recmock: an in-memory mock server of five video-recording vendor APIs (Claap,
Telnyx room compositions, eyeson, IVS Valt and Scoot) for tests.

    from recmock import create_app, Config
    app = create_app(Config(seed=7))
"""

from recmock.app import create_app
from recmock.config import Config
from recmock.mock import RecMock

__all__ = ["Config", "RecMock", "create_app"]
