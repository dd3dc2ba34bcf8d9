"""Profiles in Redis: one JSON value per shopper under ``shopguide:profile:<shopper>``.

One key per shopper keeps "forget me" a single DELETE (and matches the ``shopguide:<kind>:<shopper>``
layout that :mod:`shopguide.privacy` scans). Every change is a read-modify-write inside WATCH/MULTI,
so two turns of the same shopper on two action servers cannot lose each other's feedback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

import redis

from shopguide.catalogue.schema import CatalogueItem
from shopguide.personalisation.profile import Profile, Purchase
from shopguide.settings import Settings

log = logging.getLogger(__name__)

PREFIX = "shopguide:profile:"


class ProfileStore:
    """`ttl_s` (None: keep) is renewed on every write, so an unused profile ages out on its own.

    With `requires_consent`, nothing is learned until the shopper consented; a shopper who
    refused (consent False) is never learned about, whatever `requires_consent` says.
    """

    def __init__(self, client: redis.Redis, ttl_s: int | None = None, requires_consent: bool = False) -> None:
        self.client = client
        self.ttl_s = ttl_s
        self.requires_consent = requires_consent

    @classmethod
    def from_settings(cls, client: redis.Redis, settings: Settings) -> ProfileStore:
        return cls(client, settings.personal_profile_ttl_s or None, settings.personal_requires_consent)

    @staticmethod
    def key(shopper: str) -> str:
        return PREFIX + shopper

    def load(self, shopper: str) -> Profile:
        """The stored profile, or an empty one (nothing is written for a shopper never learned about)."""
        raw = self.client.get(self.key(shopper))
        return Profile.model_validate_json(raw) if raw else Profile(shopper=shopper)

    def exists(self, shopper: str) -> bool:
        return bool(self.client.exists(self.key(shopper)))

    def save(self, profile: Profile) -> None:
        self.client.set(self.key(profile.shopper), profile.model_dump_json(exclude_defaults=True), ex=self.ttl_s)

    def update(self, shopper: str, change: Callable[[Profile], Profile | None], create: bool = True) -> Profile:
        """Apply `change` to the stored profile atomically (retried if another writer got in first);
        `change` edits the profile in place or returns the one to store instead. Without `create`,
        a shopper with no stored profile (maybe forgotten a moment ago) keeps having none."""
        key = self.key(shopper)

        def transaction(pipe: redis.client.Pipeline) -> Profile:
            raw = pipe.get(key)
            if not raw and not create:
                return Profile(shopper=shopper)
            profile = Profile.model_validate_json(raw) if raw else Profile(shopper=shopper)
            profile = change(profile) or profile
            profile.touch()
            pipe.multi()
            pipe.set(key, profile.model_dump_json(exclude_defaults=True), ex=self.ttl_s)
            return profile

        return self.client.transaction(transaction, key, value_from_callable=True)

    def may_learn(self, profile: Profile) -> bool:
        return profile.consent is True or (profile.consent is None and not self.requires_consent)

    def _learn(self, shopper: str, change: Callable[[Profile], None]) -> Profile:
        """`change` only where learning is allowed; otherwise the profile as it is, nothing written."""
        profile = self.load(shopper)
        if not self.may_learn(profile):
            return profile
        return self.update(shopper, lambda p: change(p) if self.may_learn(p) else None)

    def record_feedback(self, shopper: str, item: CatalogueItem, liked: bool) -> Profile:
        profile = self._learn(shopper, lambda p: p.like(item) if liked else p.dislike(item))
        log.info("profile.feedback liked=%s", liked)
        return profile

    def record_choice(self, shopper: str, item: CatalogueItem) -> Profile:
        return self._learn(shopper, lambda p: p.choose(item))

    def record_size(self, shopper: str, size: str, category: str | None = None) -> Profile:
        return self._learn(shopper, lambda p: p.set_size(size, category))

    def record_purchases(
        self, shopper: str, purchases: Iterable[Purchase], items: dict[str, CatalogueItem]
    ) -> tuple[Profile, int]:
        """Add purchases (oldest first); `items` are the catalogue items known for their ids.
        Returns the profile and how many purchases were new (re-importing a file adds none)."""
        ordered = sorted(purchases, key=lambda p: p.date)
        added = 0

        def change(profile: Profile) -> None:
            nonlocal added
            added = 0  # the transaction may run again
            for purchase in ordered:
                added += profile.buy(purchase, items.get(purchase.item_id))

        profile = self._learn(shopper, change)
        return profile, added

    def set_consent(self, shopper: str, consent: bool) -> Profile:
        """Refusing consent wipes everything learned; only the refusal itself is kept."""

        def change(profile: Profile) -> Profile:
            kept = profile if consent else Profile(shopper=shopper)
            return kept.model_copy(update={"consent": consent})

        return self.update(shopper, change)

    def touch(self, shopper: str) -> None:
        """Note that the shopper is back; a shopper with no profile gets none from a visit alone."""
        self.update(shopper, lambda p: None, create=False)

    def forget(self, shopper: str) -> bool:
        """Delete every key this module keeps about the shopper; True if there was one."""
        deleted = bool(self.client.delete(self.key(shopper)))
        log.info("profile.forgotten existed=%s", deleted)
        return deleted
