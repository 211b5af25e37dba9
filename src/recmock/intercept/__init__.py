"""The vendors' real hosts answered inside the test's process, for every HTTP client a
Python integration is likely to use, with no socket and no DNS.

- `server`: the app as a server in process (one request in, one answer out).
- `matching`: which hosts are served, which are refused, which go out untouched.
- `interception`: turning the client patches on and off (a stack of active mocks).
- one module per client library, each patching at the library's own extension point:
  `requests_adapter`, `urllib3_connections` (urllib3, and `requests` too for a host
  that reaches urllib3 another way), `httpx_transports`, `aiohttp_connector`; and
  `dns_guard`, which catches any other client.

The user's entry points are in `recmock.in_process`: the `recmock` pytest fixture and
`recmock.mock_vendors()`.
"""
