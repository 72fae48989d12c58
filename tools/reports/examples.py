"""Verified questions: answers a user marked right, kept as examples for later questions.

The database table ``crmbot_verified_questions`` is the record (an admin lists and removes
from it); a chromadb collection under ``<data_dir>/chroma`` is the search index over it, with
an embedding function that works offline (tools/reports/embeddings.py). The LLM engine gets
the nearest ones as few-shot examples; the offline engine may use them for "did you mean".
"Wrong answer" clicks go to ``crmbot_answer_feedback``.

chromadb is imported only when the index is touched; ``similar`` returns [] without importing
it when no example was ever saved.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, delete, insert, inspect, select

COLLECTION_PREFIX = "verified_questions"


class ExamplesStoreError(Exception):
    """The examples store cannot be used; the message says what to do."""


def save_verified(
    engine: Engine,
    question: str,
    query: dict | None = None,
    sql: str | None = None,
    verified_by: str | None = None,
    *,
    now: datetime | None = None,
) -> int:
    """Store a question marked right with its structured query and/or SQL; returns its id."""
    from db.models import VerifiedQuestion

    question = (question or "").strip()
    if not question:
        raise ValueError("A verified example needs the question.")
    if query is None and not sql:
        raise ValueError("A verified example needs its structured query or its SQL.")
    _require_tables(engine, VerifiedQuestion.__tablename__)
    with engine.begin() as conn:
        new_id = conn.execute(
            insert(VerifiedQuestion)
            .values(
                question=question,
                query_json=query,
                sql=sql,
                verified_by=verified_by,
                created_at=now or datetime.now(),
            )
            .returning(VerifiedQuestion.id)
        ).scalar_one()
    _index_add(engine, new_id, question, query, sql)
    return int(new_id)


def list_verified(engine: Engine) -> list[dict]:
    """All verified examples, oldest first, as dicts (id, question, query, sql, verified_by, created_at)."""
    from db.models import VerifiedQuestion

    _require_tables(engine, VerifiedQuestion.__tablename__)
    with engine.connect() as conn:
        rows = conn.execute(select(VerifiedQuestion).order_by(VerifiedQuestion.id)).mappings().all()
    return [
        {
            "id": row["id"],
            "question": row["question"],
            "query": row["query_json"],
            "sql": row["sql"],
            "verified_by": row["verified_by"],
            "created_at": row["created_at"],
        }
        for row in rows
    ]


def remove_verified(engine: Engine, example_id: int) -> bool:
    """Remove one example from the table and the index; False when there was no such id."""
    from db.models import VerifiedQuestion

    _require_tables(engine, VerifiedQuestion.__tablename__)
    with engine.begin() as conn:
        removed = conn.execute(delete(VerifiedQuestion).where(VerifiedQuestion.id == example_id)).rowcount
    collection = _collection(create=False)
    if collection is not None:
        collection.delete(ids=[_doc_id(engine, example_id)])
    return bool(removed)


def similar(question: str, k: int = 3, *, engine: Engine | None = None) -> list[dict]:
    """The ``k`` verified examples nearest to ``question``, best first.

    Each is {"id", "question", "query" (dict or None), "sql" (str or None), "score" (cosine
    similarity, 1 = same words)}. With ``engine``, only that database's examples.
    """
    if not (question or "").strip() or k <= 0:
        return []
    collection = _collection(create=False)
    if collection is None:
        return []
    where = {"db": _db_key(engine)} if engine is not None else None
    count = collection.count()
    if count == 0:
        return []
    found = collection.query(query_texts=[question], n_results=min(k, count), where=where)
    results = []
    for doc, meta, distance in zip(
        found["documents"][0], found["metadatas"][0], found["distances"][0], strict=False
    ):
        results.append(
            {
                "id": int(meta["id"]),
                "question": doc,
                "query": json.loads(meta["query_json"]) if meta.get("query_json") else None,
                "sql": meta.get("sql") or None,
                "score": round(1.0 - float(distance), 4),
            }
        )
    return results


def reindex(engine: Engine) -> int:
    """Rebuild this database's part of the index from the table (after a restore or a move)."""
    collection = _collection(create=True)
    collection.delete(where={"db": _db_key(engine)})
    examples = list_verified(engine)
    for example in examples:
        _index_add(engine, example["id"], example["question"], example["query"], example["sql"])
    return len(examples)


def record_feedback(
    engine: Engine,
    question: str,
    sql: str | None,
    verdict: str,
    user_label: str | None = None,
    *,
    now: datetime | None = None,
) -> int:
    """Record a 'right' or 'wrong' click on an answer; returns the feedback id."""
    from db.models import AnswerFeedback

    if verdict not in ("right", "wrong"):
        raise ValueError("verdict must be 'right' or 'wrong'.")
    _require_tables(engine, AnswerFeedback.__tablename__)
    with engine.begin() as conn:
        new_id = conn.execute(
            insert(AnswerFeedback)
            .values(
                question=question,
                sql=sql,
                verdict=verdict,
                user_label=user_label,
                created_at=now or datetime.now(),
            )
            .returning(AnswerFeedback.id)
        ).scalar_one()
    return int(new_id)


# --------------------------------------------------------------------------- internals


def _require_tables(engine: Engine, *tables: str) -> None:
    have = set(inspect(engine).get_table_names())
    missing = [t for t in tables if t not in have]
    if missing:
        raise ExamplesStoreError(
            f"This database lacks crmbot's table {', '.join(missing)}. Run `crmbot db upgrade` first."
        )


def _db_key(engine: Engine) -> str:
    """A short stable key per database, the same for its read-only and writable engines.

    SQLite: the resolved file path. Others: driver, host, port, database and user (no password,
    no query options, which the read-only engine rewrites).
    """
    url = engine.url
    if url.get_backend_name() == "sqlite":
        database = (url.database or ":memory:").removeprefix("file:")
        ident = "sqlite:" + (database if database == ":memory:" else str(Path(database).resolve()))
    else:
        ident = f"{url.get_backend_name()}://{url.username}@{url.host}:{url.port}/{url.database}"
    return hashlib.sha1(ident.encode("utf-8")).hexdigest()[:12]


def _doc_id(engine: Engine, example_id: int) -> str:
    return f"{_db_key(engine)}:{example_id}"


def _index_add(engine: Engine, example_id: int, question: str, query: dict | None, sql: str | None) -> None:
    _collection(create=True).upsert(
        ids=[_doc_id(engine, example_id)],
        documents=[question],
        metadatas=[
            {
                "id": int(example_id),
                "db": _db_key(engine),
                "query_json": json.dumps(query, sort_keys=True, default=str) if query is not None else "",
                "sql": sql or "",
            }
        ],
    )


def _store_path() -> Path:
    from crmbot.settings import get_settings

    return Path(get_settings().data_dir) / "chroma"


def _collection(*, create: bool):
    """The chromadb collection (None when it does not exist and ``create`` is False)."""
    path = _store_path()
    if not create and not path.exists():
        return None
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    from tools.reports.embeddings import chroma_embedding_function

    function, kind = chroma_embedding_function()
    path.mkdir(parents=True, exist_ok=True)
    client = chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))
    name = f"{COLLECTION_PREFIX}_{kind}"
    if not create:
        try:
            return client.get_collection(name, embedding_function=function)
        except Exception:  # noqa: BLE001 - chromadb raises NotFoundError/ValueError by version
            return None
    return client.get_or_create_collection(
        name, embedding_function=function, metadata={"hnsw:space": "cosine"}
    )
