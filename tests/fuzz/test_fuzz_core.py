"""Generated hostile input against the core: words, prices, numbers, photos, catalogue rows.

Each function must answer or raise its one documented error type; nothing else escapes.
"""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from shopguide.catalogue.readers import SourceRow
from shopguide.catalogue.rows import to_item
from shopguide.conversation.item_numbers import parse_item_number
from shopguide.conversation.language import detect_language
from shopguide.conversation.preferences import Preferences
from shopguide.errors import ImageError, RowRejected
from shopguide.images import decode_image
from shopguide.search.number_words import numbers_to_digits
from shopguide.search.query_parser import QueryParser, extract_price
from shopguide.uploads import UploadRejected, sniff_image

FAST = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PARSER = QueryParser(
    {
        "category": ["dress", "jeans", "shirt", "jacket", "casual shoes"],
        "colours": ["red", "navy blue", "black"],
        "gender": ["men", "women", "unisex"],
        "pattern": ["striped", "floral"],
    }
)
# shopper-like text: words the parser knows, numbers, Chinese, emoji, markup and control characters
WORDS = st.sampled_from(
    ["red", "dress", "under", "fifty", "一百", "以内", "块", "between", "and", "$", "k", "#3", "男士", "<script>", "😀"]
)
SHOPPER_TEXT = st.one_of(st.text(max_size=300), st.lists(WORDS | st.text(max_size=8), max_size=30).map(" ".join))


@FAST
@given(SHOPPER_TEXT)
def test_words_become_constraints_or_nothing(text):
    low, _, rest = extract_price(text)
    assert low is None or low >= 0
    assert isinstance(rest, str) and isinstance(numbers_to_digits(text), str)
    parsed = PARSER.parse(text).constraints
    assert set(parsed.colours) <= {"red", "navy blue", "black"}
    assert detect_language(text) in ("en", "zh")
    assert isinstance(Preferences.from_words(text, PARSER), dict)
    number = parse_item_number(text)
    assert number is None or isinstance(number, int)


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (48, 64), "teal").save(buffer, format="JPEG")
    return buffer.getvalue()


JPEG = jpeg_bytes()


@st.composite
def damaged_images(draw: st.DrawFn) -> bytes:
    """A real JPEG with bytes flipped, cut or spliced, or random bytes."""
    data = bytearray(JPEG)
    for _ in range(draw(st.integers(0, 8))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    cut = draw(st.integers(0, len(data)))
    return draw(st.sampled_from([bytes(data), bytes(data[:cut]), draw(st.binary(max_size=2000))]))


@settings(max_examples=2500, deadline=None)
@given(damaged_images())
def test_photos_embed_or_raise_one_clear_error(data):
    try:
        sniff_image(data, 10_000_000, 40_000_000)
    except UploadRejected as refused:
        assert refused.status in (400, 413, 415) and str(refused)
    try:
        image = decode_image(data, 40_000_000)
    except ImageError as error:
        assert str(error)
    else:
        assert image.mode == "RGB" and image.width * image.height > 0


FIELD_VALUES = st.one_of(st.none(), st.text(max_size=40), st.integers(), st.floats(allow_nan=True), st.lists(st.text()))


@FAST
@given(
    st.dictionaries(
        st.sampled_from(["id", "title", "price", "sizes", "colours", "category", "gender", "image", "currency"]),
        FIELD_VALUES,
    )
)
def test_catalogue_rows_validate_or_are_rejected_with_a_reason(fields):
    try:
        item = to_item(SourceRow(1, fields), "USD")
    except RowRejected as rejected:
        assert rejected.reason
    else:
        assert item.id and item.title and (item.price is None or item.price >= 0)


@pytest.mark.parametrize("text", ["", " ", "\x00", "a" * 100_000, "１２３", "五十五十五十" * 100])
def test_edge_texts(text):
    extract_price(text)
    PARSER.parse(text)
