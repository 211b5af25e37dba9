"""Claap's routes as data: (method, path under /claap, handler)."""

API = [
    ("POST", "/v1/recordings", "create_recording"),
    ("GET", "/v1/recordings", "list_recordings"),
    ("GET", "/v1/recordings/<recording_id>", "get_recording"),
    ("DELETE", "/v1/recordings/<recording_id>", "delete_recording"),
    ("GET", "/v1/recordings/<recording_id>/transcript", "get_recording_transcript"),
    # The pre-signed upload URLs and the media URLs the API hands out.
    ("PUT", "/uploads/<recording_id>", "upload_payload"),
    ("PUT", "/uploads/<recording_id>/transcript", "upload_transcript"),
    ("GET", "/files/<recording_id>/<name>", "download_file"),
    ("GET", "/app/recordings/<recording_id>", "open_recording"),
]

# Under /_recmock/vendors/claap: what Claap does outside its REST API.
# The handlers are methods of `actions.ClaapActions`, named for the HTTP call beside
# the Python methods the fixture's users call.
ACTIONS = [
    ("PUT", "/webhook", "put_webhook"),
    ("GET", "/webhook", "get_webhooks"),
    ("DELETE", "/webhook", "delete_webhook"),
    ("PATCH", "/recordings/<recording_id>", "patch_recording"),
]
