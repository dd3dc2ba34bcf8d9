"""The words that describe a photo and caption an item: article and measure word follow the garment."""

from __future__ import annotations

import pytest

from models.captions import chinese_phrase, english_phrase, training_captions


@pytest.mark.parametrize(
    ("category", "english", "chinese"),
    [
        ("shirts", "a white striped shirt", "一件白色条纹衬衫"),
        ("trousers", "white striped trousers", "一条白色条纹长裤"),
        ("sneakers", "a white striped sneaker", "一双白色条纹运动鞋"),
        ("caps", "a white striped cap", "一顶白色条纹帽子"),
        ("dresses", "a white striped dress", "一条白色条纹连衣裙"),
    ],
)
def test_a_photo_is_described_with_the_right_article_and_measure_word(category, english, chinese):
    assert english_phrase(category, "white", "striped") == english
    assert chinese_phrase(category, "white", "striped") == chinese


def test_captions_strip_the_article_and_measure_word():
    assert training_captions("Nike Men Black Jeans", "jeans", "black", "men") == [
        "Nike Men Black Jeans",
        "black jeans for men",
        "black jeans",
        "男士黑色牛仔裤",
        "黑色牛仔裤",
    ]
