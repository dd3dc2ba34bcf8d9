"""Budgets stated in another currency than the catalogue's: converted with the retailer's rate, else
kept and the shopper told."""

from __future__ import annotations

import pytest

from shopguide.conversation.money import catalogue_currency, stated_budget

RATES = {"CNY": 0.14, "EUR": 1.1}


@pytest.mark.parametrize(
    ("text", "budget", "told"),
    [
        ("100元以内", {"budget_max": 14.0}, "100 CNY is about 14 USD, the currency of prices here."),
        ("between 20 and 30 euros", {"budget_min": 22.0, "budget_max": 33.0}, "20-30 EUR is about 22-33 USD, "),
        ("under 50 pounds", {"budget_max": 50.0}, "Prices here are in USD: I took 50 GBP as USD."),
        ("under $50", {"budget_max": 50.0}, None),  # the catalogue's own currency
        ("under 50", {"budget_max": 50.0}, None),  # no currency named
        ("a red dress", {}, None),
    ],
)
def test_budgets_end_in_the_catalogues_currency(text, budget, told):
    stated = stated_budget(text, "USD", RATES)
    assert stated.budget == budget
    assert (stated.told("en") or "").startswith(told or "") and (stated.told("en") is None) == (told is None)


def test_chinese_shoppers_are_told_in_chinese():
    assert stated_budget("100元以内", "USD", RATES).told("zh") == "100 CNY 约合 14 USD（这里的价格以此计）。"


def test_with_the_store_down_the_budget_stands_as_stated():
    assert stated_budget("100元以内", None, RATES).budget == {"budget_max": 100.0}


@pytest.mark.parametrize(("currencies", "expected"), [(["CNY"], "CNY"), (["CNY", "USD"], "USD"), ([], "USD")])
def test_the_catalogue_currency_is_its_one_currency(currencies, expected):
    assert catalogue_currency({"currency": currencies}, "USD") == expected
