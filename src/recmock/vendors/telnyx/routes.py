"""Telnyx's video routes as data: (method, path under /telnyx, handler)."""

API = [
    ("POST", "/v2/room_compositions", "create_room_composition"),
    ("GET", "/v2/room_compositions", "list_room_compositions"),
    ("GET", "/v2/room_compositions/<composition_id>", "view_room_composition"),
    ("DELETE", "/v2/room_compositions/<composition_id>", "delete_room_composition"),
    ("POST", "/v2/rooms", "create_room"),
    ("GET", "/v2/rooms", "list_rooms"),
    ("GET", "/v2/rooms/<room_id>", "view_room"),
    ("GET", "/v2/rooms/<room_id>/sessions", "list_room_sessions_of_room"),
    ("GET", "/v2/room_sessions", "list_room_sessions"),
    ("GET", "/v2/room_sessions/<session_id>", "view_room_session"),
    ("GET", "/v2/room_recordings", "list_room_recordings"),
    ("GET", "/v2/room_recordings/<recording_id>", "view_room_recording"),
    ("DELETE", "/v2/room_recordings/<recording_id>", "delete_room_recording"),
    # The pre-signed download URLs the API hands out.
    ("GET", "/files/<collection>/<file_name>", "download_file"),
]

# Under /_recmock/vendors/telnyx: what happens at Telnyx outside its REST API.
# The handlers are methods of `actions.TelnyxActions`, named for the HTTP call beside
# the Python methods the fixture's users call (`simulate_session`, `public_key`).
ACTIONS = [
    ("POST", "/sessions", "post_session"),
    ("GET", "/public_key", "get_public_key"),
]
