"""Alembic environment: runs migrations on the connection handed over by db.migrate."""

from alembic import context

from db.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # pragma: no cover - `alembic` CLI use
        from db.engine import get_engine

        engine = get_engine(config.get_main_option("sqlalchemy.url"))
        with engine.begin() as connection:
            _run(connection)
        return
    _run(connection)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        version_table="crmbot_alembic_version",
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
