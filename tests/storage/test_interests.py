"""Interest names by language: any number of languages, one query, stable slugs."""

from __future__ import annotations

from types import MappingProxyType

from storage import interests, volunteers
from storage.interests import InterestInfo


def _info(**names: str) -> InterestInfo:
    return InterestInfo(1, MappingProxyType(names), retired=False, slug="x")


def test_a_name_falls_back_to_the_default_language_then_any() -> None:
    assert _info(da="Gåture", en="Walks").name("en") == "Walks"
    assert _info(da="Gåture").name("en") == "Gåture"
    assert _info(de="Wandern").name("en") == "Wandern"
    assert _info().name("da") == ""


async def test_a_new_interest_is_named_in_every_language_given(sessions) -> None:
    async with sessions.begin() as session:
        added = await interests.add(session, {"da": "Ø-hop på Fyn", "en": "Island hopping"})
        again = await interests.add(session, {"da": "Ø-hop på Fyn", "en": "Island hops"})
    assert added.names == {"da": "Ø-hop på Fyn", "en": "Island hopping"}
    # The slug comes from the default language's name, spelled in plain letters.
    assert (added.slug, again.slug) == ("oe-hop-paa-fyn", "oe-hop-paa-fyn-2")
    async with sessions() as session:
        active = await volunteers.active_interests(session)
    assert active[-2:] == [added, again]
    assert active[0].names == {"da": "Gåture", "en": "Walks"}


async def test_renaming_keeps_the_slug_and_the_other_languages(sessions) -> None:
    async with sessions.begin() as session:
        [walks, *_] = await interests.all_interests(session)
        await interests.rename(session, walks.id, {"de": "Wandern"})
        renamed = await interests.rename(session, walks.id, {"en": "Strolls"})
        assert await interests.rename(session, 9999, {"en": "Nothing"}) is None
    assert renamed is not None and renamed.slug == "walks"
    assert renamed.names == {"da": "Gåture", "en": "Strolls", "de": "Wandern"}
    async with sessions() as session:
        assert await volunteers.interest_names(session, (walks.id,), "de") == ["Wandern"]
        assert await volunteers.interest_names(session, (walks.id,), "fr") == ["Gåture"]
