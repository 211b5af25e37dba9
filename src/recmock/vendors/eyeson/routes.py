"""eyeson's routes as data: (method, path under /eyeson, handler)."""

API = [
    ("POST", "/rooms", "create_room"),
    ("GET", "/rooms", "list_rooms"),
    ("GET", "/rooms/<access_key>", "get_room"),
    ("DELETE", "/rooms/<room_id>", "shutdown_room"),
    ("POST", "/guests/<guest_token>", "join_as_guest"),
    ("POST", "/rooms/<access_key>/recording", "start_recording"),
    ("DELETE", "/rooms/<access_key>/recording", "stop_recording"),
    ("GET", "/recordings/<recording_id>", "get_recording"),
    ("DELETE", "/recordings/<recording_id>", "delete_recording"),
    ("GET", "/rooms/<room_id>/recordings", "list_room_recordings"),
    ("POST", "/webhooks", "register_webhook"),
    ("GET", "/webhooks", "get_webhook"),
    ("DELETE", "/webhooks/<webhook_id>", "delete_webhook"),
    # The download links the API hands out (fs.eyeson.com at eyeson).
    ("GET", "/files/meetings/<instance_id>/<file_name>", "download_recording"),
]
