"""Small helpers over sqlite-utils' dict rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

Row = dict[str, Any]


def one(db: Database, sql: str, params: Sequence[Any] = ()) -> Row | None:
    return next(iter(db.query(sql, params)), None)


def many(db: Database, sql: str, params: Sequence[Any] = ()) -> list[Row]:
    return list(db.query(sql, params))
