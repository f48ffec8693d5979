"""A loopback fake of the Telegram Bot API for end-to-end tests through python-telegram-bot."""

from .errors import ApiError
from .limits import RateLimits
from .models import FakeChat, FakeUser
from .records import RecordedCall, SentMessage
from .server import FakeTelegram
from .spec import ApiSpec, load_spec, spec_path

__all__ = [
    "ApiError",
    "ApiSpec",
    "FakeChat",
    "FakeTelegram",
    "FakeUser",
    "RateLimits",
    "RecordedCall",
    "SentMessage",
    "load_spec",
    "spec_path",
]
