"""The Threads service layer: the only code that talks to graph.threads.net.

It imports httpx and `bot.events` only. Everything outside it uses the names below; the modules
behind them are transport (HTTP, auth, retries), errors (classified from the Graph error body),
models (Graph JSON -> events), client (every endpoint), containers and publish (the
container -> FINISHED -> publish flow) and chain (long text -> a reply chain).
"""

from bot.threads.chain import split_for_chain
from bot.threads.client import DEFAULT_API_BASE, ThreadsClient, next_page_after
from bot.threads.containers import TEXT_LIMIT, ContainerRequest, text_length
from bot.threads.errors import (
    AuthError,
    ContainerFailed,
    InvalidParameter,
    MediaDownloadFailed,
    NotReady,
    PermissionDenied,
    PublishOutcomeUnknown,
    PublishTimeout,
    RateLimited,
    ThreadsError,
    TransientError,
    classify_graph_error,
)
from bot.threads.models import ContainerStatus, Insight, Page, PublishingLimit, Quota, TokenGrant
from bot.threads.publish import ChainIncomplete, MediaItem, Published, Publisher, WaitPolicy
from bot.threads.transport import GraphTransport, RetryPolicy

__all__ = [
    "DEFAULT_API_BASE",
    "TEXT_LIMIT",
    "AuthError",
    "ChainIncomplete",
    "ContainerFailed",
    "ContainerRequest",
    "ContainerStatus",
    "GraphTransport",
    "Insight",
    "InvalidParameter",
    "MediaDownloadFailed",
    "MediaItem",
    "NotReady",
    "Page",
    "PermissionDenied",
    "PublishOutcomeUnknown",
    "PublishTimeout",
    "Published",
    "Publisher",
    "PublishingLimit",
    "Quota",
    "RateLimited",
    "RetryPolicy",
    "ThreadsClient",
    "ThreadsError",
    "TokenGrant",
    "TransientError",
    "WaitPolicy",
    "classify_graph_error",
    "next_page_after",
    "split_for_chain",
    "text_length",
]
