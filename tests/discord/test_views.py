"""The buttons under a delivered post (adapters/discord/views.py), as the components JSON
discord.py sends to Discord, and the Reply button's custom_id as it comes back on a click."""

from __future__ import annotations

from adapters.discord.views import ConfirmButton, ReplyButton, confirm_view, post_buttons
from bot.events import Confirm

POST = "18000000000000001"
PERMALINK = "https://www.threads.com/@bob/post/AbC"
INTENT = "https://www.threads.com/intent/post"


def buttons(components: list[dict[str, object]]) -> list[dict[str, object]]:
    (row,) = components
    assert row["type"] == 1  # one action row
    return [
        {key: button[key] for key in ("style", "label", "url", "custom_id") if key in button}
        for button in row["components"]  # type: ignore[attr-defined]
    ]


async def test_a_post_gets_open_on_threads_and_reply() -> None:
    view = post_buttons(POST, PERMALINK, with_reply=True)

    assert buttons(view.to_components()) == [
        {"style": 5, "label": "Open on Threads", "url": PERMALINK},  # a link button
        # Threads Web Intents: anyone replies or quotes as themselves, with no token of ours.
        {"style": 5, "label": "Reply on Threads", "url": f"{INTENT}?reply_post_shortcode=AbC"},
        {"style": 5, "label": "Quote on Threads", "url": f"{INTENT}?quote_post_shortcode=AbC"},
        {"style": 2, "label": "Reply", "custom_id": f"threads:reply:{POST}"},
    ]
    # Persistent: the Reply button still works on posts delivered before a restart.
    assert view.timeout is None and view.is_persistent()


async def test_without_a_permalink_only_reply() -> None:
    view = post_buttons(POST, None, with_reply=True)
    assert buttons(view.to_components()) == [
        {"style": 2, "label": "Reply", "custom_id": f"threads:reply:{POST}"}
    ]


async def test_without_reply_only_the_links() -> None:
    view = post_buttons(POST, PERMALINK, with_reply=False)
    labels = [b["label"] for b in buttons(view.to_components())]
    assert labels == ["Open on Threads", "Reply on Threads", "Quote on Threads"]


async def test_a_click_s_custom_id_names_the_post() -> None:
    template = ReplyButton.__discord_ui_compiled_template__
    match = template.fullmatch(f"threads:reply:{POST}")
    assert match is not None

    button = await ReplyButton.from_custom_id(None, None, match)  # type: ignore[arg-type]

    assert button.post_id == POST
    assert template.fullmatch("threads:reply:abc") is None
    assert template.fullmatch("threads:reply-modal:1") is None


async def test_a_confirmation_is_a_persistent_button_carrying_the_action_id() -> None:
    action_id = "Ab_-" + "x" * 18
    view = confirm_view(Confirm("Delete", POST, action_id))

    assert view is not None
    assert buttons(view.to_components()) == [
        {"style": 4, "label": "Delete", "custom_id": f"threads:confirm:{action_id}"}
    ]
    assert view.timeout is None and view.is_persistent()
    template = ConfirmButton.__discord_ui_compiled_template__
    match = template.fullmatch(f"threads:confirm:{action_id}")
    assert match is not None and match["action_id"] == action_id
    assert confirm_view(None) is None
    assert confirm_view(Confirm("Delete", POST)) is None  # not stored by the bridge yet
