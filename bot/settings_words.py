"""A subscription's settings as people write and read them: `exclude: spam, ads`,
`replies: off`, `template: {text} by {author}` (in /settings and, key by key, in [[feeds]]).

Pure. Every refusal is a SettingError whose words name the setting and what is wrong.
"""

from __future__ import annotations

from dataclasses import replace

from bot.events import FeedSettings
from bot.filters import FilterError, check_regex
from bot.templates import TemplateError, check_template

WORD_KEYS = ("include", "exclude")
SWITCH_KEYS = ("replies", "reposts", "quotes", "media_only")
KEYS = (*WORD_KEYS, "regex", *SWITCH_KEYS, "template")
_ON = {"on", "yes", "true", "1"}
_OFF = {"off", "no", "false", "0"}
_CLEAR = {"", "none", "off", "default", "-"}
MAX_WORDS = 50


class SettingError(ValueError):
    """A setting that cannot be made, in words."""


def parse_words(value: str) -> tuple[str, ...]:
    """`spam, ads, "buy now"` -> ("spam", "ads", "buy now"); `none` -> ()."""
    if value.strip().lower() in _CLEAR:
        return ()
    words = tuple(dict.fromkeys(w.strip().strip("\"'“”").strip() for w in value.split(",")))
    return tuple(w for w in words if w)


def change(settings: FeedSettings, key: str, value: str) -> FeedSettings:
    """The settings with `key` set from `value` as typed; SettingError when it cannot be."""
    key = key.strip().lower().replace("-", "_").replace(" ", "_")
    value = value.strip()
    if key == "media":
        key = "media_only"
    if key == "include":
        return check(replace(settings, include=parse_words(value)))
    if key == "exclude":
        return check(replace(settings, exclude=parse_words(value)))
    if key in SWITCH_KEYS:
        word = value.lower()
        if word not in _ON | _OFF:
            raise SettingError(f"{key}: say on or off (not {value or 'nothing'})")
        on = word in _ON
        if key == "replies":
            return replace(settings, replies=on)
        if key == "reposts":
            return replace(settings, reposts=on)
        if key == "quotes":
            return replace(settings, quotes=on)
        return replace(settings, media_only=on)
    if key == "regex":
        return check(replace(settings, regex=None if value.lower() in _CLEAR else value))
    if key == "template":
        return check(replace(settings, template=None if value.lower() in _CLEAR else value))
    raise SettingError(f"there is no setting {key!r}; the settings are {', '.join(KEYS)}")


def check(settings: FeedSettings) -> FeedSettings:
    """The settings if they can be used (the words, the pattern, the template)."""
    for key in WORD_KEYS:
        words: tuple[str, ...] = getattr(settings, key)
        if len(words) > MAX_WORDS:
            raise SettingError(f"{key}: at most {MAX_WORDS} words")
    if settings.regex is not None:
        try:
            check_regex(settings.regex)
        except FilterError as exc:
            raise SettingError(f"regex: {exc}") from None
    if settings.template is not None:
        try:
            check_template(settings.template)
        except TemplateError as exc:
            raise SettingError(f"template: {exc}") from None
    return settings


def describe(settings: FeedSettings) -> list[str]:
    """One line per setting, as /settings shows them."""

    def words(values: tuple[str, ...], empty: str) -> str:
        return ", ".join(values) if values else empty

    def switch(on: bool) -> str:
        return "on" if on else "off"

    return [
        f"include: {words(settings.include, 'any post (no words required)')}",
        f"exclude: {words(settings.exclude, 'nothing')}",
        f"regex: {settings.regex if settings.regex is not None else 'none'}",
        f"replies: {switch(settings.replies)} · reposts: {switch(settings.reposts)} · "
        f"quotes: {switch(settings.quotes)} · media_only: {switch(settings.media_only)}",
        f"template: {settings.template if settings.template is not None else 'the default'}",
    ]
