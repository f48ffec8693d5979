"""[[feeds]] takes the same settings as /settings: loaded, refused by key, applied at start."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, FeedConfig, load_config
from bot.events import FeedSettings
from bot.runtime.feeds import reconcile_feeds
from storage.store import Store

HEAD = '[threads]\naccess_token = "t"\n[telegram]\ntoken = "1:x"\n[[feeds]]\nprofile = "bob"\n'
HEAD += "telegram_chat = -1001\n"


def load(tmp_path: Path, extra: str) -> FeedConfig:
    path = tmp_path / "config.toml"
    path.write_text(HEAD + extra, encoding="utf-8")
    (feed,) = load_config(path, env={}).feeds
    return feed


def test_every_setting_loads(tmp_path: Path) -> None:
    feed = load(
        tmp_path,
        'include = ["launch"]\nexclude = ["spam", "ads"]\n'
        "regex = '(?i)v\\d+'\nreplies = false\nreposts = false\nquotes = false\n"
        'media_only = true\ntemplate = "{text} ({time})"\n',
    )
    assert feed.settings() == FeedSettings(
        include=("launch",),
        exclude=("spam", "ads"),
        regex=r"(?i)v\d+",
        replies=False,
        reposts=False,
        quotes=False,
        media_only=True,
        template="{text} ({time})",
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            'template = "{text} {who}"\n',
            "feeds[0].template: unknown placeholder {who} in the template; use {author}, "
            "{username}, {text}, {link}, {time}, {topic}, {media_count}",
        ),
        ("regex = 'a(?=b)'\n", "feeds[0].regex: the regular expression a(?=b) cannot be used"),
        ('replies = "no"\n', "feeds[0].replies: expected"),
        ('exclude = "spam"\n', "feeds[0].exclude: expected a list of words"),
    ],
)
def test_a_bad_setting_names_its_key(tmp_path: Path, extra: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, extra)
    assert str(caught.value).startswith(message)


def test_start_up_applies_the_file_s_settings_and_follows_changes(store: Store) -> None:
    reconcile_feeds(store, [FeedConfig("bob", telegram_chat=-1001, exclude=("spam",))], None)
    (sub,) = store.subscriptions.for_chat("telegram", "-1001")
    assert sub.settings == FeedSettings(exclude=("spam",))

    reconcile_feeds(store, [FeedConfig("bob", telegram_chat=-1001, replies=False)], None)
    (sub,) = store.subscriptions.for_chat("telegram", "-1001")
    assert sub.settings == FeedSettings(replies=False)
