"""Scoot's routes as data: (method, path under /scoot, handler)."""

API = [
    ("POST", "/api/v1/recording/processing", "process_recording"),
    # Not in Scoot's docs: the read a client needs to see the outcome (package docstring).
    ("GET", "/api/v1/recording", "get_recording"),
    ("POST", "/api/v1/transcription/save", "save_transcription"),
    ("GET", "/api/v1/transcription", "get_transcription"),
]
