"""Photo turns through the web channel's multipart upload, with real phone photos of garments."""

from __future__ import annotations

import csv
import re
import statistics
import uuid
from pathlib import Path

import pytest

from shopguide.redis_client import redis_client
from tests.running_assistant import cards, demo_items, texts, until_cards

pytestmark = pytest.mark.slow
CJK = re.compile(r"[\u4e00-\u9fff]")


def sender() -> str:
    return f"p-{uuid.uuid4().hex[:12]}"


def phone_photo(shared_data: Path, label: str, nth: int = 0) -> bytes:
    """The `nth` phone photo (by file name) with this label: fixed, so that runs compare."""
    with (shared_data / "clothing-cc0" / "images.csv").open() as rows:
        names = sorted(row["image"] for row in csv.DictReader(rows) if row["label"] == label and row["kids"] == "False")
    return (shared_data / "clothing-cc0" / "images" / f"{names[nth]}.jpg").read_bytes()


@pytest.mark.shared_data
@pytest.mark.parametrize("label", ["T-Shirt", "Dress", "Pants"])
def test_phone_photo_is_described_and_answered_with_cards(assistant, shared_data, label):
    response = assistant.send_photo(sender(), phone_photo(shared_data, label))
    assert response.status_code == 200
    reply = response.json()
    assert "Your photo looks like" in texts(reply)
    assert cards(reply)


@pytest.mark.shared_data
def test_the_colour_a_photo_shows_leads_the_cards_without_filtering_them(assistant, shared_data):
    """A phone photo of a black dotted dress: black dresses first, said to be "as in your photo"; other
    colours may follow, since the shopper did not ask for black."""
    reply = assistant.send_photo(sender(), phone_photo(shared_data, "Dress")).json()
    colour = re.search(r"Your photo looks like an? (\w+)", texts(reply)).group(1)
    items = cards(reply)
    assert items[0]["title"].removeprefix(f"{items[0]['brand']} ").lower().startswith(colour), items[0]
    first_reason = items[0]["explanation"].split(" · ")[0]
    assert first_reason.startswith(colour) and first_reason.endswith("as in your photo")


@pytest.mark.shared_data
def test_photo_with_words_applies_them(assistant, shared_data):
    response = assistant.send_photo(sender(), phone_photo(shared_data, "Shirt"), words="like this but under 60")
    items = cards(response.json())
    assert items and all(i["price"] <= 60 for i in items)


@pytest.mark.shared_data
@pytest.mark.parametrize(("words", "language"), [("like this but cheaper", "en"), ("像这样的，便宜一点", "zh")])
def test_like_this_but_cheaper_is_cheaper_than_what_the_photo_alone_finds(assistant, shared_data, words, language):
    """And then "more expensive" is dearer than what the photo alone finds, not than the cheaper ones."""
    photo, who = phone_photo(shared_data, "Dress"), sender()
    alone = [i["price"] for i in cards(assistant.send_photo(sender(), photo, language=language).json())]
    cheaper = [i["price"] for i in cards(assistant.send_photo(who, photo, words=words, language=language).json())]
    assert cheaper and max(cheaper) < statistics.median(alone)
    dearer = [i["price"] for i in cards(assistant.send_photo(who, photo, words="more expensive").json())]
    assert dearer and min(dearer) > statistics.median(alone)


@pytest.mark.shared_data
def test_a_photo_with_a_budget_below_zero_says_so_and_searches_without_it(assistant, shared_data):
    reply = assistant.send_photo(sender(), phone_photo(shared_data, "Shirt"), words="like this, budget -5").json()
    assert "That budget doesn't look right (-5)." in texts(reply)
    assert cards(reply)


@pytest.mark.shared_data
def test_chinese_photo_turn_answers_in_chinese(assistant, shared_data):
    who = sender()
    assistant.say(who, "你好")
    reply = assistant.send_photo(who, phone_photo(shared_data, "Outwear"), language="zh").json()
    assert CJK.search(texts(reply)) and cards(reply)


@pytest.mark.shared_data
def test_refining_a_photo_search_keeps_the_photo(assistant, shared_data):
    who = sender()
    first = cards(assistant.send_photo(who, phone_photo(shared_data, "Dress")).json())
    cheaper = cards(assistant.say(who, "cheaper please"))
    assert first and cheaper
    assert max(i["price"] for i in cheaper) < max(i["price"] for i in first)


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("words", "colour", "photo_like"),
    [("like this but in blue", "blue", "looks like your photo"), ("像这样的，换成蓝色", "蓝色", "和你的照片相似")],
)
def test_words_typed_after_a_photo_change_its_search(assistant, shared_data, words, colour, photo_like):
    """ "Like this but in blue" as the message after the photo, not with it, was answered with how to send
    a photo. Now the photo is searched again in blue; "like this but cheaper" after it is cheaper than
    what the photo found; a question about photos is still answered as one."""
    language = "zh" if CJK.search(words) else "en"
    who, other, photo = sender(), sender(), phone_photo(shared_data, "Dress")
    assert cards(assistant.send_photo(who, photo, language=language).json())
    blue = cards(assistant.say(who, words))
    assert blue and all(colour in card["explanation"].split(" · ")[0] for card in blue), blue[:1]
    assert photo_like in blue[0]["explanation"]
    first = cards(assistant.send_photo(other, photo, language=language).json())
    cheaper = cards(assistant.say(other, "像这样但是便宜一点" if language == "zh" else "like this but cheaper"))
    assert cheaper and max(c["price"] for c in cheaper) < statistics.median(c["price"] for c in first)
    assert "photo" in texts(assistant.say(who, "can I send you a picture?"))


@pytest.mark.shared_data
def test_another_kind_of_garment_leaves_the_photo_behind(assistant, shared_data):
    """A photo of a dress, then jeans: the jeans are not ranked by likeness to the dress."""
    who = sender()
    dresses = cards(assistant.send_photo(who, phone_photo(shared_data, "Dress")).json())
    jeans = cards(until_cards(assistant, who, "now show me some jeans"))
    assert all("looks like your photo" in d["explanation"] for d in dresses)
    assert jeans and not any("your photo" in j["explanation"] for j in jeans), jeans[0]["explanation"]


@pytest.mark.shared_data
def test_words_naming_another_garment_take_the_photos_look_to_it(assistant, shared_data):
    """ "Like this but a skirt" with a photo of a black dotted dress: skirts, the black ones first."""
    reply = assistant.send_photo(sender(), phone_photo(shared_data, "Dress"), words="like this but a skirt").json()
    colour = re.search(r"Your photo looks like an? (\w+)", texts(reply)).group(1)
    items = cards(reply)
    assert items and all("skirt" in i["title"].lower() for i in items)
    assert items[0]["explanation"].split(" · ")[0].startswith(colour)


@pytest.mark.shared_data
def test_a_photos_kind_put_right_keeps_the_photo(assistant, shared_data):
    """ "it's a hoodie, not a sweater" after a photo read as a sweater: the photo was left behind as one of
    another kind of garment; it ranks the kind put right."""
    who, catalogue = sender(), demo_items(assistant)
    shown = cards(assistant.send_photo(who, phone_photo(shared_data, "Hoodie")).json())
    read = catalogue[shown[0]["id"]]["category"]
    right, wrong = ("sweater", "hoodie") if read == "hoodie" else ("hoodie", read)
    items = cards(until_cards(assistant, who, f"it's a {right}, not a {wrong}"))
    assert items and all(catalogue[i["id"]]["category"] == right for i in items)
    assert all("looks like your photo" in i["explanation"] for i in items), items[0]["explanation"]


@pytest.mark.shared_data
def test_photo_bytes_are_gone_after_the_turn(assistant, shared_data):
    client = redis_client(assistant.settings)
    assistant.send_photo(sender(), phone_photo(shared_data, "Hoodie"))
    assert not list(client.scan_iter(match="shopguide:upload:*"))


@pytest.mark.parametrize(
    ("photo", "status", "words"),
    [
        (b"just text renamed to .jpg", 415, "not a photo"),
        (b"", 400, "empty"),
    ],
)
def test_bad_uploads_get_a_clear_error_and_the_conversation_goes_on(assistant, photo, status, words):
    who = sender()
    assistant.say(who, "I want a black jacket")
    response = assistant.send_photo(who, photo)
    assert response.status_code == status and words in response.json()["error"]
    items = cards(until_cards(assistant, who, "anything"))
    assert items and all("jacket" in i["title"].lower() for i in items), "the stated category is kept"


@pytest.mark.shared_data
def test_a_photo_after_a_photo_searches_the_kind_of_garment_it_shows(assistant, shared_data):
    """The second phone photo of a skirt, read unsure as a skirt, searched the sweaters that a hoodie photo
    before it had set (so did 11 of 24 skirts, dresses, blazers and tops): an earlier photo's reading is
    no firmer than the next's."""
    who, searched = sender(), []
    for label, nth in (("Hoodie", 0), ("Skirt", 1)):
        said = texts(assistant.send_photo(who, phone_photo(shared_data, label, nth)).json())
        described, kind = re.search(r"looks like (.+?)\. [^(]*\(([^·)]+)", said).groups()
        assert kind.strip() in described, said
        searched.append(kind.strip())
    assert searched[0] != searched[1]
