"""Pending confirmations on a real SQLite file: one claim wins, expired ones cannot be
claimed, and old rows are pruned as new ones are asked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.events import ChatUser, Destination, Platform
from storage.store import Store

CHAT = Destination(Platform.TELEGRAM, "-100", "7")
PAT = ChatUser("1001", "Pat")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "bridge.db")
    yield opened
    opened.close()


def test_a_confirmation_is_kept_and_claimed_once(store: Store) -> None:
    confirmations = store.confirmations
    confirmations.ask("a" * 22, CHAT, PAT, "delete", "123", now=1000.0)

    pending = confirmations.get("a" * 22)
    first = confirmations.claim("a" * 22, now=1010.0, asked_after=500.0)
    second = confirmations.claim("a" * 22, now=1011.0, asked_after=500.0)

    assert pending is not None
    assert (pending.chat, pending.user_id, pending.command, pending.args) == (
        CHAT,
        "1001",
        "delete",
        "123",
    )
    assert pending.used_at is None
    assert (first, second) == (True, False)
    spent = confirmations.get("a" * 22)
    assert spent is not None and spent.used_at == 1010.0
    assert confirmations.claim("unknown", now=1012.0, asked_after=0.0) is False


def test_an_expired_confirmation_cannot_be_claimed(store: Store) -> None:
    store.confirmations.ask("b" * 22, CHAT, PAT, "delete", "123", now=1000.0)

    assert store.confirmations.claim("b" * 22, now=1601.0, asked_after=1000.0) is False
    assert store.confirmations.claim("b" * 22, now=1599.0, asked_after=999.0) is True


def test_rows_older_than_a_day_are_pruned_when_another_is_asked(store: Store) -> None:
    store.confirmations.ask("c" * 22, CHAT, PAT, "delete", "1", now=1000.0)
    store.confirmations.ask("d" * 22, CHAT, PAT, "delete", "2", now=1000.0 + 86_399)
    assert store.confirmations.get("c" * 22) is not None

    store.confirmations.ask("e" * 22, CHAT, PAT, "delete", "3", now=1000.0 + 86_401)

    assert store.confirmations.get("c" * 22) is None
    assert store.confirmations.get("d" * 22) is not None
