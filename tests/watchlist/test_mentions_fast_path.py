"""Organisation mentions found by the fast path equal those of the plain word-by-word scan it replaced.

The fast path skips a text none of whose words is a listed organisation's word (checked in C) and tries
only the starts near such a word; the plain scan tried every capitalised word. Same spans, same order.
"""

from __future__ import annotations

import random
from pathlib import Path

from falsefriends.corpus import load_corpus
from falsefriends.simulate.organisation import build_organisation
from falsefriends.watchlist.entries import EntryKind
from falsefriends.watchlist.normalise import prepare
from falsefriends.watchlist.provider import _WORD, MAX_NAME_STARTS, WatchlistProvider, _anchor_key

CORPUS = Path(__file__).resolve().parents[2] / "data" / "corpus"


def _plain_mentions(provider: WatchlistProvider, text: str, max_words: int = 8) -> list[tuple[str, tuple[int, int]]]:
    words = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text[:20_000])]
    anchors = provider._organisation_words
    anchored = [_anchor_key(word) in anchors for word, _, _ in words]
    found: list[tuple[str, tuple[int, int]]] = []
    taken_until, tried = -1, 0
    for i, (word, start, _) in enumerate(words):
        if start < taken_until or not (word[0].isupper() or not word[0].isascii()):
            continue
        if not any(anchored[i:i + max_words]):
            continue
        tried += 1
        if tried > MAX_NAME_STARTS:
            break
        best = None
        for j in range(i, min(len(words), i + max_words)):
            candidate = text[start:words[j][2]].rstrip(".")
            if provider.matcher.index.exact_candidates(prepare(candidate), True):
                best = (candidate, (start, start + len(candidate)))
        if best is not None:
            found.append(best)
            taken_until = best[1][1]
    return found


def test_mentions_equal_the_plain_scan() -> None:
    rng = random.Random(5)
    provider = WatchlistProvider()
    names = [n for e in provider.matcher.entries if e.kind is EntryKind.ORGANISATION for n in e.names]
    texts = [item.text for item in load_corpus(CORPUS).items]
    texts += [m.content for m in build_organisation(60, 4).messages[:300]]
    variants = (str, str.upper, str.lower, lambda n: n.replace("e", "é"), lambda n: f"the {n}.",
                lambda n: f"Dr. {n}'s", lambda n: f"«{n}»", lambda n: n.replace(" ", "\u200b "))
    for _ in range(400):
        base = rng.choice(texts).split(" ")
        for _n in range(rng.randint(1, 3)):
            base.insert(rng.randint(0, len(base)), rng.choice(variants)(rng.choice(names)))
        texts.append(" ".join(base))
    texts.append(" ".join(["Global Europe View"] * 400))  # past the cap on starts tried
    found = 0
    for text in texts:
        expected = _plain_mentions(provider, text)
        assert provider.organisation_mentions(text) == expected, text
        found += bool(expected)
    assert found >= 200
