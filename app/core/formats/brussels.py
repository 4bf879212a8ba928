"""Brussels civil time for app/web/views/exchange.py, which reads it here: app.core.brussels."""

from app.core.brussels import local, local_text, offset_hours, summer_time_utc

__all__ = ["local", "local_text", "offset_hours", "summer_time_utc"]
