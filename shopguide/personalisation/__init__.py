"""Personalisation: shoppers' profiles in Redis, ranking by affinity to them, and the reasons why.

- :mod:`.profile`: the Profile and how it learns from likes, dislikes, choices and purchases;
- :mod:`.profile_store`: profiles in Redis (``shopguide:profile:<shopper>``), forget;
- :mod:`.rerank`: relevance + affinity + availability, then maximal marginal relevance;
- :mod:`.reasons`: "you liked floral prints" / "你喜欢碎花图案";
- :mod:`.purchases`: purchase history CSV import (``shopguide profiles import``).
"""
