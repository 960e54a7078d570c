"""Local web app for runners and physios: upload a clip, read the report, follow athletes over time."""
from gait.web.app import create_app

__all__ = ["create_app"]
