"""Small helpers shared by the simulator tests."""

from __future__ import annotations

from typing import Any

import httpx


def graph_error(response: httpx.Response) -> dict[str, Any]:
    """The `error` object of a Graph error response (asserting it is one)."""
    assert response.status_code >= 400, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    error: dict[str, Any] = body["error"]
    assert error["fbtrace_id"]
    return error


async def create(api: httpx.AsyncClient, **params: str) -> httpx.Response:
    """POST /me/threads with form fields."""
    return await api.post("/me/threads", data=params)


async def create_id(api: httpx.AsyncClient, **params: str) -> str:
    response = await create(api, **params)
    assert response.status_code == 200, response.text
    container_id: str = response.json()["id"]
    return container_id


async def publish(api: httpx.AsyncClient, creation_id: str) -> httpx.Response:
    return await api.post("/me/threads_publish", data={"creation_id": creation_id})


async def post_text(api: httpx.AsyncClient, text: str, **extra: str) -> str:
    """Create and publish a text post through the API; the published media id."""
    response = await publish(api, await create_id(api, media_type="TEXT", text=text, **extra))
    assert response.status_code == 200, response.text
    media_id: str = response.json()["id"]
    return media_id


async def status_of(api: httpx.AsyncClient, container_id: str) -> dict[str, Any]:
    response = await api.get(f"/{container_id}", params={"fields": "id,status,error_message"})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
