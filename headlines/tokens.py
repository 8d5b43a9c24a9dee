"""What a headline's features are, in plain Python: its words, each word's n-gram keys,
MurmurHash3, and the index of a word pair.

Covers: the definitions hashing.py computes for many texts at once with numpy, written out
for one text at a time without it, so that labelling a few headlines (few.py) does not wait
for numpy to load. Does not cover: chunks, caches or sparse rows (hashing.py, features.py).

``words("PSV wint!") -> ["psv", "wint"]``;
``gram_keys("psv", (3, 5)) -> ["#<ps", "#psv", "#sv>", "#<psv", "#psv>", "#<psv>"]``;
a word's features are ``murmurhash3(key) % n_features`` of the word and of each key.
"""

from __future__ import annotations

import re
import struct

# Words keep a leading currency sign, so "$PEPE" and "PEPE" are different features.
TOKEN_RE = re.compile(r"[$€£]?\w+")
# The characters of a text that make its features. A headline has a hundred or two; the cap
# bounds the work a text can ask for: without it a line of a few megabytes (a field of
# base64, an article pasted whole) took seconds and a gigabyte, and with --explain minutes.
MAX_TEXT = 2_000
PAIR_SALT = 1_000_003

_BLOCKS = struct.Struct("<I")
_MASK = 0xFFFFFFFF


def words(text: str) -> list[str]:
    """The lower-case words of a text's first :data:`MAX_TEXT` characters."""
    return TOKEN_RE.findall(text[:MAX_TEXT].lower())


def gram_keys(word: str, char_ngrams: tuple[int, int]) -> list[str]:
    """The keys of a word's in-word character n-grams, sizes ``char_ngrams`` (``(0, 0)``:
    none), of ``<word>``, each marked with "#" so that none is also a word's key."""
    low, high = char_ngrams
    padded = f"<{word}>"
    return [
        "#" + padded[i : i + size]
        for size in (range(low, high + 1) if high else range(0))
        for i in range(len(padded) - size + 1)
    ]


def murmurhash3(data: bytes) -> int:
    """MurmurHash3 (x86, 32 bits, seed 0) of ``data``, unsigned: what
    ``sklearn.utils.murmurhash3_32(data, positive=True)`` gives."""
    size = len(data)
    body = size & ~3
    h = 0
    for (k,) in _BLOCKS.iter_unpack(data[:body]):
        k = (k * 0xCC9E2D51) & _MASK
        k = ((k << 15) | (k >> 17)) & _MASK
        h ^= (k * 0x1B873593) & _MASK
        h = ((h << 13) | (h >> 19)) & _MASK
        h = (h * 5 + 0xE6546B64) & _MASK
    if size > body:
        k = (int.from_bytes(data[body:], "little") * 0xCC9E2D51) & _MASK
        k = ((k << 15) | (k >> 17)) & _MASK
        h ^= (k * 0x1B873593) & _MASK
    h ^= size
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & _MASK
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & _MASK
    return h ^ (h >> 16)


def pair_feature(first_hash: int, second_hash: int, n_features: int) -> int:
    """The hashed index of two adjacent words, from their word hashes."""
    return (first_hash * PAIR_SALT + second_hash) % n_features


def word_features(
    word: str, n_features: int, char_ngrams: tuple[int, int]
) -> tuple[int, list[int]]:
    """A word's hash and the hashed indices of its unigram and character n-grams.

    ``word_features("psv", 2**19, (3, 5))`` -> (hash, indices of "psv", "<ps", "psv", "sv>",
    "<psv", "psv>", "<psv>")
    """
    word_hash = murmurhash3(word.encode("utf-8"))
    grams = [murmurhash3(key.encode("utf-8")) % n_features for key in gram_keys(word, char_ngrams)]
    return word_hash, [word_hash % n_features, *grams]


def named_features(
    text: str, n_features: int, char_ngrams: tuple[int, int], word_pairs: bool
) -> list[tuple[str, int]]:
    """Every feature of one headline with a readable name and its hashed index.

    ``named_features("PSV wint", 2**19, (3, 5), True) -> [("psv", 81), ("'<ps'", 7), ...,
    ("psv wint", 33)]``; hashing keeps no vocabulary, so explanations recompute the names
    from the text (its first :data:`MAX_TEXT` characters, as features are made).
    """
    found = words(text)
    named: list[tuple[str, int]] = []
    hashes = []
    for word in found:
        word_hash, features = word_features(word, n_features, char_ngrams)
        hashes.append(word_hash)
        grams = [f"'{key[1:]}'" for key in gram_keys(word, char_ngrams)]
        named += zip([word, *grams], features, strict=True)
    if word_pairs:
        named += [
            (f"{a} {b}", pair_feature(ha, hb, n_features))
            for a, b, ha, hb in zip(found, found[1:], hashes, hashes[1:], strict=False)
        ]
    return named
