"""Valt's routes as data: (method, path under /valt, handler)."""

API = [
    ("POST", "/api/v3/login", "login"),
    ("POST", "/api/v3/records/create-upload", "create_upload"),
    ("POST", "/api/v3/records/<record_id>/videos/<video_id>", "upload_video"),
    ("GET", "/api/v3/records/<record_id>", "record_details"),
    ("POST", "/api/v3/records", "list_records"),
    ("POST", "/api/v3/rooms/<room_id>/record/start", "start_room_recording"),
    ("POST", "/api/v3/rooms/<room_id>/record/stop", "stop_room_recording"),
    ("GET", "/api/v3/records/download/<record_id>/<video_id>", "download_link"),
    # The distribution server the download URL points at (port 8000 at a real Valt).
    ("GET", "/distribution/<record_id>/<file_name>", "distribute"),
]

# Under /_recmock/vendors/valt: what a test reads from the Valt server outside its REST
# API. The handler is a method of `actions.ValtActions`, named for the HTTP call beside
# the Python method the fixture's users call (`public_key`).
ACTIONS = [
    ("GET", "/public_key", "get_public_key"),
]
