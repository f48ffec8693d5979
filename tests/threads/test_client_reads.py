"""ThreadsClient reads, over real HTTP against the simulator."""

from __future__ import annotations

from datetime import timedelta

from bot.events import MediaKind
from bot.threads.client import ThreadsClient
from simulator import SimUser, ThreadsSimulator


async def test_me_uses_bearer_header_and_fields(
    sim: ThreadsSimulator, alice: SimUser, client: ThreadsClient
) -> None:
    me = await client.me()
    assert (me.id, me.username, me.name) == (alice.id, "alice", "Alice")
    (request,) = sim.requests
    assert request.headers["Authorization"] == f"Bearer {alice.token}"
    assert not request.token_in_url
    assert "username" in request.query["fields"]


async def test_profile_lookup_gives_a_profile_card(
    sim: ThreadsSimulator, client: ThreadsClient
) -> None:
    sim.add_profile("bob", name="Bob B.", followers=5000, biography="Makes things")
    profile = await client.profile_lookup("@bob")
    assert (profile.username, profile.name, profile.follower_count) == ("bob", "Bob B.", 5000)
    assert profile.biography == "Makes things"


async def test_profile_posts_follow_cursors_across_pages(
    sim: ThreadsSimulator, client: ThreadsClient
) -> None:
    sim.add_profile("bob", followers=5000)
    texts = [f"post {n}" for n in range(60)]
    for text in texts:
        sim.add_post("bob", text=text)
    sim.clear_requests()

    seen = [post.text async for post in client.iter_profile_posts("bob", limit=25)]

    assert seen == list(reversed(texts))  # newest first, every post once
    pages = [r for r in sim.requests if r.path.endswith("/profile_posts")]
    assert len(pages) == 3
    assert "after" not in pages[0].query
    assert all(page.query.get("after") for page in pages[1:])
    assert all("fields" in page.query for page in pages)


async def test_since_and_until_select_a_window(
    sim: ThreadsSimulator, alice: SimUser, client: ThreadsClient
) -> None:
    posts = []
    for n in range(5):
        posts.append(sim.add_post("alice", text=f"n{n}"))
        sim.advance(3600)
    window = await client.user_threads(
        since=posts[1].timestamp, until=posts[3].timestamp + timedelta(seconds=1)
    )
    assert [p.text for p in window.items] == ["n3", "n2", "n1"]


async def test_own_threads_exclude_replies_and_include_reposts(
    sim: ThreadsSimulator, alice: SimUser, client: ThreadsClient
) -> None:
    sim.add_profile("bob", followers=5000)
    bobs = sim.add_post("bob", text="bob's post")
    root = sim.add_post("alice", text="root")
    sim.add_post("alice", text="a reply", reply_to=root.id)
    await client.repost(bobs.id)

    threads = (await client.user_threads()).items
    replies = (await client.user_replies()).items

    assert [p.kind for p in threads] == [MediaKind.REPOST, MediaKind.TEXT]
    assert threads[0].reposted_post_id == bobs.id
    assert [p.text for p in replies] == ["a reply"]
    assert replies[0].replied_to_id == root.id


async def test_mentions_list_posts_naming_the_account(
    sim: ThreadsSimulator, client: ThreadsClient
) -> None:
    sim.add_profile("bob", followers=5000)
    sim.add_post("bob", text="nothing here")
    sim.add_post("bob", text="hey @alice, look")
    mentions = (await client.user_mentions()).items
    assert [p.text for p in mentions] == ["hey @alice, look"]


async def test_media_resolves_carousel_children(
    sim: ThreadsSimulator, client: ThreadsClient
) -> None:
    sim.add_profile("bob", followers=5000)
    urls = ("https://cdn.example/1.jpg", "https://cdn.example/2.jpg", "https://cdn.example/3.mp4")
    album = sim.add_post("bob", text="album", media_type="CAROUSEL_ALBUM", media_urls=urls)

    post = await client.media(album.id)

    assert post.kind is MediaKind.CAROUSEL
    assert [m.url for m in post.media] == list(urls)
    assert post.permalink == album.permalink
    assert post.permalink.startswith("https://www.threads.com/@bob/post/")


async def test_single_image_post_has_its_media(
    sim: ThreadsSimulator, client: ThreadsClient
) -> None:
    sim.add_profile("bob", followers=5000)
    photo = sim.add_post("bob", text="pic", media_type="IMAGE", media_urls=("https://c/x.jpg",))
    post = await client.media(photo.id)
    assert post.kind is MediaKind.IMAGE
    assert [(m.kind, m.url) for m in post.media] == [(MediaKind.IMAGE, "https://c/x.jpg")]
    assert post.timestamp == photo.timestamp


async def test_replies_are_direct_and_conversation_is_everything(
    sim: ThreadsSimulator, client: ThreadsClient
) -> None:
    root = sim.add_post("alice", text="root")
    first = sim.add_post("alice", text="first", reply_to=root.id)
    sim.add_post("alice", text="nested", reply_to=first.id)
    sim.add_post("alice", text="second", reply_to=root.id)

    direct = [p.text for p in (await client.replies(root.id)).items]
    oldest_first = [p.text async for p in client.iter_conversation(root.id, reverse=False)]

    assert direct == ["second", "first"]
    assert oldest_first == ["first", "nested", "second"]


async def test_keyword_search_finds_matching_posts(
    sim: ThreadsSimulator, client: ThreadsClient
) -> None:
    sim.add_post("alice", text="I love sourdough")
    sim.add_post("alice", text="Weather today")
    sim.add_post("alice", text="baking", topic_tag="Sourdough")

    by_word = (await client.keyword_search("sourdough", search_type="RECENT")).items
    by_tag = (await client.keyword_search("Sourdough", search_mode="TAG")).items

    assert [p.text for p in by_word] == ["I love sourdough"]
    assert [p.text for p in by_tag] == ["baking"]


async def test_insights_parse_both_shapes(sim: ThreadsSimulator, client: ThreadsClient) -> None:
    post = sim.add_post("alice", text="measured")
    media = {i.name: i.value for i in await client.media_insights(post.id, ["views", "likes"])}
    user = {i.name: i for i in await client.user_insights(["views", "likes", "followers_count"])}

    assert set(media) == {"views", "likes"}
    assert all(isinstance(v, int) for v in media.values())
    assert user["views"].series  # a time series with end_time stamps
    assert user["views"].value == sum(v for _, v in user["views"].series)
    assert not user["likes"].series  # a total_value
