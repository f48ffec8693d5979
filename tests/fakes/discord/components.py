"""Message and modal component rules (action rows, buttons, selects, text inputs), as
Discord enforces them (https://discord.com/developers/docs/components/reference)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .errors import FormErrors

Path = tuple[str | int, ...]
ACTION_ROW, BUTTON, TEXT_INPUT = 1, 2, 4
SELECTS = frozenset({3, 5, 6, 7, 8})
LINK_STYLE, PREMIUM_STYLE = 5, 6
ROWS_MAX = 5
ROW_WIDTH = 5
CUSTOM_ID_MAX = 100
LABEL_MAX = 80
V2_TOTAL_MAX = 40


def check_components(components: Any, errors: FormErrors, path: Path, *, v2: bool) -> None:
    """Classic messages: up to 5 action rows of up to 5 buttons or one select. With the
    IS_COMPONENTS_V2 flag only the per-item rules and the 40-component total apply."""
    if not isinstance(components, list):
        errors.add(path, "BASE_TYPE_ARRAY", "Must be an array.")
        return
    seen: set[str] = set()
    if v2:
        items = list(_walk(components, path))
        if len(items) > V2_TOTAL_MAX:
            errors.too_long(path, V2_TOTAL_MAX)
        for item, item_path in items:
            _check_item(item, errors, item_path, seen)
        return
    if len(components) > ROWS_MAX:
        errors.too_long(path, ROWS_MAX)
    for index, row in enumerate(components):
        row_path = (*path, index)
        if not isinstance(row, dict) or row.get("type") != ACTION_ROW:
            errors.add(
                (*row_path, "type"),
                "UNION_TYPE_CHOICES",
                'Value of field "type" must be one of (1,).',
            )
            continue
        children = row.get("components") or []
        if not children:
            errors.add(
                (*row_path, "components"), "BASE_TYPE_MIN_LENGTH", "Must be 1 or more in length."
            )
        width = sum(ROW_WIDTH if c.get("type") in SELECTS else 1 for c in children)
        if width > ROW_WIDTH:
            errors.add(
                (*row_path, "components"),
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                "The specified component exceeds the maximum width",
            )
        for position, child in enumerate(children):
            child_path = (*row_path, "components", position)
            if child.get("type") not in SELECTS | {BUTTON}:
                errors.add(
                    (*child_path, "type"),
                    "UNION_TYPE_CHOICES",
                    'Value of field "type" must be one of (2, 3, 5, 6, 7, 8).',
                )
                continue
            _check_item(child, errors, child_path, seen)


def check_modal_components(components: Any, errors: FormErrors, path: Path) -> None:
    """Modals: 1-5 rows (action rows holding one text input, or labels), custom_ids set."""
    if not isinstance(components, list) or not 1 <= len(components) <= ROWS_MAX:
        errors.add(path, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")
        return
    seen: set[str] = set()
    for item, item_path in _walk(components, path):
        if item.get("type") == TEXT_INPUT:
            _check_custom_id(item, errors, item_path, seen)
            if len(item.get("label") or "") > 45:
                errors.too_long((*item_path, "label"), 45)


def _check_item(item: dict[str, Any], errors: FormErrors, path: Path, seen: set[str]) -> None:
    kind = item.get("type")
    if kind == BUTTON:
        _check_button(item, errors, path, seen)
    elif kind in SELECTS:
        _check_custom_id(item, errors, path, seen)
        if kind == 3:
            options = item.get("options") or []
            if not 1 <= len(options) <= 25:
                errors.add(
                    (*path, "options"),
                    "BASE_TYPE_BAD_LENGTH",
                    "Must be between 1 and 25 in length.",
                )


def _check_button(item: dict[str, Any], errors: FormErrors, path: Path, seen: set[str]) -> None:
    style = item.get("style")
    if style not in range(1, 7):
        errors.add(
            (*path, "style"), "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4, 5, 6}."
        )
    if len(item.get("label") or "") > LABEL_MAX:
        errors.too_long((*path, "label"), LABEL_MAX)
    if style == LINK_STYLE:
        if not item.get("url"):
            errors.add((*path, "url"), "BUTTON_COMPONENT_URL_REQUIRED", "A url is required")
        if item.get("custom_id") is not None:
            errors.add(
                (*path, "custom_id"),
                "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED",
                "A custom id cannot be specified",
            )
    elif style == PREMIUM_STYLE:
        if not item.get("sku_id"):
            errors.add((*path, "sku_id"), "BASE_TYPE_REQUIRED", "This field is required")
    else:
        if item.get("url") is not None:
            errors.add(
                (*path, "url"), "BUTTON_COMPONENT_URL_NOT_ALLOWED", "A url cannot be specified"
            )
        _check_custom_id(item, errors, path, seen)


def _check_custom_id(item: dict[str, Any], errors: FormErrors, path: Path, seen: set[str]) -> None:
    custom_id = item.get("custom_id")
    if not custom_id:
        errors.add((*path, "custom_id"), "BASE_TYPE_REQUIRED", "This field is required")
        return
    if len(custom_id) > CUSTOM_ID_MAX:
        errors.too_long((*path, "custom_id"), CUSTOM_ID_MAX)
    if custom_id in seen:
        errors.add(
            (*path, "custom_id"),
            "COMPONENT_CUSTOM_ID_DUPLICATED",
            "Component custom id cannot be duplicated",
        )
    seen.add(custom_id)


def _walk(components: list[Any], path: Path) -> Iterator[tuple[dict[str, Any], Path]]:
    """Every component below `components`, depth first, with its error path."""
    for index, item in enumerate(components):
        if isinstance(item, dict):
            yield from _walk_item(item, (*path, index))


def _walk_item(item: dict[str, Any], path: Path) -> Iterator[tuple[dict[str, Any], Path]]:
    yield item, path
    if isinstance(item.get("components"), list):
        yield from _walk(item["components"], (*path, "components"))
    for key in ("component", "accessory"):  # a label's input, a section's accessory
        if isinstance(item.get(key), dict):
            yield from _walk_item(item[key], (*path, key))
