"""Media container lifecycle: create, report status, publish.

A container is IN_PROGRESS until its processing time (text or media, on the simulator clock)
has passed, then FINISHED; ERROR if a failure was injected for it; EXPIRED after 24 h
unpublished; PUBLISHED once published. Publishing anything but a FINISHED container fails
with 24 / 4279009, which is what Meta answers when a client publishes too early.

Media is really downloaded (see `media_fetch`). An image is fetched during the create call,
which fails with 1 / 2207052 when the download fails or the bytes are not a JPEG or PNG. A
video is fetched after the call is answered: the container stays IN_PROGRESS until the
download has ended and the processing time has passed, and ends in ERROR with
FAILED_DOWNLOADING_VIDEO (at once) or FAILED_PROCESSING_VIDEO (bytes that are no MP4/MOV).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace

from .compose import compose_spec, create_media_type
from .errors import (
    GraphError,
    invalid_param,
    media_download_failed,
    media_not_found,
    missing_param,
)
from .media_fetch import IMAGE_TYPES, VIDEO_TYPES, MediaFetcher
from .models import Container, ContainerStatus, PostSpec, SimPost, SimUser
from .params import parse_bool, parse_csv
from .quotas import Quota
from .state import SimState

log = logging.getLogger(__name__)

CAROUSEL_MIN = 2
CAROUSEL_MAX = 20


def _carousel_children(
    state: SimState, owner: SimUser, params: Mapping[str, str]
) -> tuple[tuple[str, ...], tuple[PostSpec, ...]]:
    child_ids = parse_csv(params, "children")
    if not child_ids:
        raise missing_param("children")
    if not CAROUSEL_MIN <= len(child_ids) <= CAROUSEL_MAX:
        raise invalid_param("Param children must list 2 to 20 carousel item containers")
    now = state.clock.now()
    specs: list[PostSpec] = []
    for child_id in child_ids:
        child = state.containers.get(child_id)
        if child is None or child.owner_id != owner.id or not child.is_carousel_item:
            raise invalid_param(
                f"Param children: {child_id} is not a carousel item container of this user"
            )
        if child.status(now) is not ContainerStatus.FINISHED:
            raise invalid_param(f"Param children: carousel item {child_id} is not FINISHED")
        specs.append(child.spec)
    return tuple(child_ids), tuple(specs)


async def create_container(
    state: SimState, owner: SimUser, params: Mapping[str, str], media: MediaFetcher
) -> Container:
    """POST /{user}/threads without auto-publishing: validate, download an image, store a
    new container (and start downloading a video)."""
    media_type = create_media_type(params)
    is_item = parse_bool(params, "is_carousel_item")
    if is_item and media_type not in ("IMAGE", "VIDEO"):
        raise invalid_param("Only IMAGE and VIDEO containers can be carousel items")
    child_ids: tuple[str, ...] = ()
    child_specs: tuple[PostSpec, ...] = ()
    if media_type == "CAROUSEL":
        child_ids, child_specs = _carousel_children(state, owner, params)
    elif params.get("children"):
        raise invalid_param("Param children is only supported on CAROUSEL containers")
    spec = compose_spec(state, params, child_specs)
    if media_type == "IMAGE" and spec.media_url is not None:
        fetched = await media.fetch(spec.media_url, "IMAGE")
        if not fetched.downloaded or fetched.content_type not in IMAGE_TYPES:
            raise media_download_failed()
        spec = replace(spec, fetched=fetched)

    now = state.clock.now()
    processing = (
        state.text_processing_seconds if media_type == "TEXT" else state.media_processing_seconds
    )
    container = Container(
        id=state.ids.media_id(),
        owner_id=owner.id,
        spec=spec,
        created_at=now,
        ready_at=now + processing,
        is_carousel_item=is_item,
        child_ids=child_ids,
        error_message=state.container_failures.popleft() if state.container_failures else None,
    )
    log.debug("simulator container %s (%s) for user %s", container.id, media_type, owner.id)
    state.add_container(container)
    if media_type == "VIDEO":
        container.downloading = True
        media.in_background(download_video(media, container), name=f"sim-video-{container.id}")
    return container


async def download_video(media: MediaFetcher, container: Container) -> None:
    """Meta's download of a video container's URL, after the create call was answered."""
    url = container.spec.media_url
    if url is None:
        raise ValueError(f"video container {container.id} has no video_url")
    fetched = await media.fetch(url, "VIDEO")
    container.spec = replace(container.spec, fetched=fetched)
    if not fetched.downloaded:
        container.error_message = "FAILED_DOWNLOADING_VIDEO"
        container.download_failed = True
    elif fetched.content_type not in VIDEO_TYPES:
        # Found out while processing, so it shows once the processing time has passed.
        container.error_message = "FAILED_PROCESSING_VIDEO"
    container.downloading = False


def _check_quota(state: SimState, owner: SimUser, spec: PostSpec) -> None:
    state.quotas.check(Quota.REPLIES if spec.reply_to else Quota.POSTS, owner.id)


def _publish(state: SimState, owner: SimUser, container: Container) -> SimPost:
    post = state.publish(owner, container.spec)
    container.published_id = post.id
    # Carousel item containers are consumed by their album and report PUBLISHED as well.
    for child_container_id, child_post_id in zip(container.child_ids, post.children, strict=True):
        state.containers[child_container_id].published_id = child_post_id
    return post


def publish_container(state: SimState, owner: SimUser, creation_id: str) -> SimPost:
    """POST /{user}/threads_publish?creation_id=..."""
    container = state.containers.get(creation_id)
    if container is None or container.owner_id != owner.id:
        # Meta answers a container of another user (or a stale user id in the path) the same
        # way as an unknown one.
        raise media_not_found(creation_id)
    if container.is_carousel_item:
        raise invalid_param("A carousel item cannot be published on its own")
    now = state.clock.now()
    status = container.status(now)
    if status is ContainerStatus.PUBLISHED:
        # Meta does not document this reply. A non-retryable code 100 (rather than the
        # retryable 24/4279009) keeps a client from looping; either way no second post.
        raise GraphError(
            f"The media container {creation_id} has already been published",
            code=100,
            type="THApiException",
            user_title="Already published",
            user_msg=f"The media container {creation_id} was already published.",
        )
    if status is not ContainerStatus.FINISHED:
        raise media_not_found(creation_id)
    for child_id in container.child_ids:
        if state.containers[child_id].status(now) is not ContainerStatus.FINISHED:
            raise media_not_found(child_id)
    for name, target in (
        ("reply_to_id", container.spec.reply_to),
        ("quote_post_id", container.spec.quote_of),
    ):
        if target is not None and state.live_post(target) is None:
            raise invalid_param(f"Param {name}: the post {target} no longer exists")
    _check_quota(state, owner, container.spec)
    return _publish(state, owner, container)


async def create_and_publish_text(
    state: SimState, owner: SimUser, params: Mapping[str, str], media: MediaFetcher
) -> SimPost:
    """auto_publish_text=true on a TEXT container: publish at once, skipping processing."""
    container = await create_container(state, owner, params, media)
    if container.error_message is not None:
        # The container failed; surface it as Meta's generic media failure (code 1).
        raise GraphError(
            "An unknown error occurred",
            code=1,
            user_title="Post failed",
            user_msg=f"The post could not be published ({container.error_message}).",
        )
    _check_quota(state, owner, container.spec)
    return _publish(state, owner, container)
