"""`crmbot api-key create | list | revoke`: keys for the HTTP API, each acting as one CRM user."""

from __future__ import annotations

import typer

from bot.cli.common import DbOption, fail, open_db

api_key_app = typer.Typer(help="API keys for the HTTP API (each acts as one CRM user).", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(api_key_app, name="api-key")


def _engine(db: str | None):
    from sqlalchemy import inspect

    from db.api_keys import API_KEYS_TABLE

    engine = open_db(db)
    if API_KEYS_TABLE not in inspect(engine).get_table_names():
        fail(f"This database lacks the {API_KEYS_TABLE} table. Run `crmbot db upgrade` first.")
    return engine


@api_key_app.command("create")
def create(
    as_user: str = typer.Option(..., "--as", help="The CRM user (email) the key acts as."),
    name: str = typer.Option(None, "--name", help="What the key is for, e.g. 'CRM web app'."),
    db: str = DbOption,
) -> None:
    """Make a key. It is printed once, on the last line, and stored only as a hash."""
    from datetime import datetime

    from bot.api.keys import ApiKeyError, create_key

    try:
        info, key = create_key(_engine(db), as_user, name, datetime.now())
    except ApiKeyError as exc:
        fail(str(exc))
    typer.echo(f"API key {info.id} '{info.name}' acts as {info.email} ({info.role}).")
    typer.echo("Keep it secret: it is shown only now. Send it as 'Authorization: Bearer <key>'.")
    typer.echo(key)


@api_key_app.command("list")
def list_(db: str = DbOption) -> None:
    """The keys: id, name, the user they act as, when made and last used, revoked or not."""
    from bot.api.keys import list_keys

    keys = list_keys(_engine(db))
    if not keys:
        typer.echo("No API keys yet. Make one with `crmbot api-key create --as EMAIL`.")
        return
    typer.echo(f"{'id':>4}  {'prefix':<12}  {'acts as':<42}  {'created':<16}  {'last used':<16}  state  name")
    for k in keys:
        state = "revoked" if k.revoked_at else "live"
        used = f"{k.last_used_at:%Y-%m-%d %H:%M}" if k.last_used_at else "never"
        who = f"{k.email or '(user gone)'} ({k.role})" if k.role else k.email or "(user gone)"
        typer.echo(
            f"{k.id:>4}  {k.prefix:<12}  {who:<42}  {k.created_at:%Y-%m-%d %H:%M}  {used:<16}  {state:<5}  {k.name}"
        )


@api_key_app.command("revoke")
def revoke(
    key_id: int = typer.Argument(..., help="The key's id from `crmbot api-key list`."), db: str = DbOption
) -> None:
    """Revoke a key: every request with it is refused (401) from now on."""
    from datetime import datetime

    from bot.api.keys import ApiKeyError, revoke_key

    try:
        info = revoke_key(_engine(db), key_id, datetime.now())
    except ApiKeyError as exc:
        fail(str(exc), code=1)
    typer.echo(f"Revoked API key {info.id} '{info.name}' ({info.prefix}..., acting as {info.email}).")
