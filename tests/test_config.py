"""Configuration loading: what a user sees when the file is right, and when it is wrong."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_config, parse_config
from bot.secret import Secret

ROOT = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_config_loads_with_token_from_environment() -> None:
    config = load_config(ROOT / "config.example.toml", env={"THREADS_ACCESS_TOKEN": "tok"})
    assert config.threads.access_token == Secret("tok")
    assert config.threads.api_base == "https://graph.threads.net/v1.0"
    assert config.threads.poll_interval == 300.0


def test_values_and_interpolation(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [threads]
        access_token = "${MY_TOKEN}"
        api_base = "http://127.0.0.1:9/v1.0"
        app_id = "123"
        poll_interval = 60
        [storage]
        path = "state/bridge.db"
        """,
    )
    config = load_config(path, env={"MY_TOKEN": "abc"})
    assert config.threads.access_token is not None
    assert config.threads.access_token.reveal() == "abc"
    assert config.threads.poll_interval == 60.0
    assert config.storage.path == str(tmp_path / "state/bridge.db")


def test_file_value_wins_over_environment(tmp_path: Path) -> None:
    path = write(tmp_path, '[threads]\naccess_token = "from-file"\n')
    config = load_config(path, env={"THREADS_ACCESS_TOKEN": "from-env"})
    assert config.threads.access_token == Secret("from-file")


def test_token_never_shows_in_repr(tmp_path: Path) -> None:
    path = write(tmp_path, '[threads]\naccess_token = "very-secret-token"\n')
    config = load_config(path, env={})
    assert "very-secret-token" not in repr(config)
    assert "very-secret-token" not in str(config)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[threads]\naccess_token = "t"\npoll_interval = "fast"\n',
            "threads.poll_interval: expected a number, got 'fast'",
        ),
        (
            '[threads]\naccess_token = "t"\npoll_interval = 0.1\n',
            "threads.poll_interval: must be at least 1.0, got 0.1",
        ),
        (
            '[threads]\naccess_token = "t"\n[telegramm]\ntoken = "x"\n',
            "telegramm: unknown section; did you mean telegram?",
        ),
        (
            '[threads]\naccess_token = "t"\npol_interval = 5\n',
            "threads.pol_interval: unknown key; did you mean poll_interval?",
        ),
        (
            '[threads]\naccess_token = "t"\n[telegram]\ntokn = "x"\n',
            "telegram.tokn: unknown key; did you mean token?",
        ),
        (
            '[threads]\naccess_token = "t"\n[servr]\n',
            "servr: unknown section; did you mean server?",
        ),
        ('[threads]\naccess_token = "t"\nzzz = 1\n', "threads.zzz: unknown key"),
        (
            '[threads]\naccess_token = "t"\n[[feeds]]\nprofile = "bob"\ntelegram_topic = 4\n',
            "feeds[0].telegram_topic: needs telegram_chat (the id of the forum supergroup "
            "the topic belongs to)",
        ),
        ("[threads]\naccess_token = 42\n", "threads.access_token: expected a string, got int"),
        (
            '[threads]\naccess_token = "t"\n[telegram]\ntoken = 123456789012\n',
            "telegram.token: expected a string, got int",
        ),
        (
            "[threads]\n",
            "threads.access_token: missing; set it in the file or in THREADS_ACCESS_TOKEN",
        ),
        (
            '[threads]\naccess_token = "${NOPE}"\n',
            "threads.access_token: environment variable NOPE is not set",
        ),
        (
            '[storage]\npath = ["a"]\n[threads]\naccess_token = "t"\n',
            "storage.path: expected a string, got ['a']",
        ),
    ],
)
def test_mistakes_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text), env={})
    assert str(caught.value) == message


def test_invalid_toml_says_where(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"not valid TOML: .*line 2"):
        load_config(write(tmp_path, '[threads]\naccess_token = "unterminated\n'), env={})


def test_cli_exits_non_zero_with_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[threads]\naccess_token = "t"\npoll_interval = "fast"\n')
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check", "--config", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "config error: threads.poll_interval: expected a number, got 'fast'"
    )


def test_example_documents_every_key() -> None:
    """Each key of every section appears in config.example.toml under its section header, with
    a comment right above it (commented-out examples count)."""
    import re
    import typing
    from dataclasses import fields, is_dataclass

    from bot.config import Config

    header = re.compile(r"^#?\s*\[\[?([a-z_]+)\]\]?\s*$")
    lines = (ROOT / "config.example.toml").read_text(encoding="utf-8").splitlines()
    section = ""
    documented: set[str] = set()
    for index, line in enumerate(lines):
        if match := header.match(line):
            section = match.group(1)
            continue
        stripped = line.lstrip("# ").strip()
        if re.match(r"^[a-z_]+ = ", stripped) and index and lines[index - 1].startswith("#"):
            documented.add(f"{section}.{stripped.split('=')[0].strip()}")

    expected = set()
    for section_field in fields(Config):
        kind = typing.get_type_hints(Config)[section_field.name]
        if typing.get_origin(kind) is tuple:
            kind = typing.get_args(kind)[0]
        assert is_dataclass(kind)
        section = section_field.metadata.get("key", section_field.name)
        expected |= {f"{section}.{key.name}" for key in fields(kind)}
    assert expected == documented


def test_long_text_is_chain_or_attachment() -> None:
    assert parse_config({}, env={}).publishing.long_text == "chain"
    chosen = parse_config({"publishing": {"long_text": "attachment"}}, env={})
    assert chosen.publishing.long_text == "attachment"
    with pytest.raises(ConfigError) as error:
        parse_config({"publishing": {"long_text": "thread"}}, env={})
    assert (
        str(error.value)
        == 'publishing.long_text: expected "chain" or "attachment", got \'thread\''
    )


@pytest.mark.parametrize(
    ("platform", "key"),
    [("telegram", "contributors"), ("discord", "contributors"), ("discord", "contributor_roles")],
)
def test_contributors_need_a_review_chat(platform: str, key: str) -> None:
    with pytest.raises(ConfigError) as error:
        parse_config({platform: {key: [42]}}, env={})
    assert str(error.value) == (
        f"{platform}.{key}: needs {platform}.review_chat (the chat where publishers approve or "
        "reject the posts contributors propose)"
    )


def test_contributors_with_their_review_chat() -> None:
    config = parse_config(
        {
            "telegram": {"contributors": [7], "review_chat": -1001234},
            "discord": {"contributor_roles": [9], "review_chat": 55},
        },
        env={},
    )
    assert (config.telegram.contributors, config.telegram.review_chat) == ((7,), -1001234)
    assert (config.discord.contributor_roles, config.discord.review_chat) == ((9,), 55)
    assert parse_config({}, env={}).telegram.review_chat is None


def test_crosspost_entries_are_read_from_crosspost_tables() -> None:
    config = parse_config(
        {
            "telegram": {"token": "t"},
            "discord": {"token": "d", "review_chat": 77},  # approval needs a review chat
            "crosspost": [
                {"telegram_chat": -1001, "footer": "From {chat}: {link}"},
                {"discord_channel": 42, "mode": "marked", "approval": True, "echo": "mark"},
            ],
        },
        env={},
    )
    channel, discord = config.crossposts
    assert (channel.telegram_chat, channel.mode, channel.marker) == (-1001, "all", "#threads")
    assert (channel.approval, channel.include_forwards, channel.delete_follows) == (
        False,
        False,
        False,
    )
    assert (channel.footer, channel.echo, channel.topic_tag) == (
        "From {chat}: {link}",
        "skip",
        None,
    )
    assert (discord.discord_channel, discord.mode, discord.approval, discord.echo) == (
        42,
        "marked",
        True,
        "mark",
    )


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({}, "crosspost[0]: needs exactly one of telegram_chat or discord_channel"),
        (
            {"telegram_chat": -1, "discord_channel": 2},
            "crosspost[0]: needs exactly one of telegram_chat or discord_channel",
        ),
        (
            {"telegram_chat": -1, "marker": " "},
            "crosspost[0].marker: empty; leave it out for #threads",
        ),
        (
            {"telegram_chat": -1, "mode": "some"},
            'crosspost[0].mode: expected "all" or "marked", got \'some\'',
        ),
        ({"discord_channel": 5}, "crosspost[0].discord_channel: needs a Discord bot token"),
        (
            {"telegram_chat": -1, "topic_tag": "#a.b"},
            "crosspost[0].topic_tag: a hashtag of 1 to 50 characters without '.', '&' or "
            "spaces, got '#a.b'",
        ),
        (
            {"telegram_chat": -1, "modus": "all"},
            "crosspost[0].modus: unknown key; did you mean mode?",
        ),
    ],
)
def test_crosspost_mistakes_name_the_entry(entry: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config({"telegram": {"token": "t"}, "crosspost": [entry]}, env={})
    assert str(caught.value) == message


def test_one_chat_has_one_crosspost_entry() -> None:
    with pytest.raises(ConfigError, match=r"crosspost\[1\].telegram_chat: -1 has a"):
        parse_config(
            {"telegram": {"token": "t"}, "crosspost": [{"telegram_chat": -1}] * 2}, env={}
        )


def test_timezone_is_an_iana_zone() -> None:
    assert parse_config({}, env={}).publishing.timezone == "UTC"
    chosen = parse_config({"publishing": {"timezone": "europe/berlin"}}, env={})
    assert chosen.publishing.timezone == "Europe/Berlin"  # as zoneinfo spells it
    with pytest.raises(ConfigError) as error:
        parse_config({"publishing": {"timezone": "CEST"}}, env={})
    assert str(error.value) == (
        "publishing.timezone: expected an IANA time zone such as \"Europe/Berlin\", got 'CEST'"
    )


def test_a_crosspost_rule_with_approval_needs_a_review_chat() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(
            {"telegram": {"token": "t"}, "crosspost": [{"telegram_chat": -1, "approval": True}]},
            env={},
        )
    assert str(caught.value) == (
        "crosspost[0].approval: needs a review chat (telegram.review_chat or "
        "discord.review_chat) where publishers approve or reject the posts"
    )
    config = parse_config(
        {
            "telegram": {"token": "t", "review_chat": -5},
            "crosspost": [{"telegram_chat": -1, "approval": True}],
        },
        env={},
    )
    assert config.crossposts[0].approval
