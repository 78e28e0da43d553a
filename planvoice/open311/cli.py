"""``flask open311 keys …``: issue, list and revoke client apps' api_keys."""

import click
from flask.cli import AppGroup
from sqlalchemy import select

from planvoice.core.extensions import db
from planvoice.open311 import services
from planvoice.open311.models import ApiKey

open311_cli = AppGroup("open311", help="Open311 GeoReport v2.")
keys_cli = AppGroup("keys", help="Client apps' api_keys.")
open311_cli.add_command(keys_cli)


@keys_cli.command("create")
@click.argument("name")
def create_key(name: str) -> None:
    """Issue a key for the client app NAME and print it (it is shown only this once)."""
    name = name.strip()
    if not name or len(name) > 80:
        raise click.BadParameter("give the app a name of 1 to 80 characters", param_hint="NAME")
    api_key, key = services.issue_key(name)
    db.session.commit()
    click.echo(f"Issued key {api_key.id} for {name}. Give the app this key; it is not shown again:")
    click.echo(key)


@keys_cli.command("list")
def list_keys() -> None:
    """List the keys: id, name, first characters, issued, last used, revoked."""
    for api_key in db.session.scalars(select(ApiKey).order_by(ApiKey.id)):
        state = f"revoked {api_key.revoked_at:%Y-%m-%d}" if api_key.revoked_at else "active"
        used = f"{api_key.last_used_at:%Y-%m-%d %H:%M}" if api_key.last_used_at else "never used"
        click.echo(
            f"{api_key.id}\t{api_key.name}\t{api_key.key_prefix}…\t"
            f"issued {api_key.created_at:%Y-%m-%d}\t{used}\t{state}"
        )


@keys_cli.command("revoke")
@click.argument("key_id", type=int)
def revoke_key(key_id: int) -> None:
    """Revoke the key with id KEY_ID: its app can no longer file reports."""
    api_key = db.session.get(ApiKey, key_id)
    if api_key is None:
        raise click.ClickException(f"There is no key {key_id}.")
    if not services.revoke_key(api_key):
        raise click.ClickException(f"Key {key_id} ({api_key.name}) was already revoked.")
    db.session.commit()
    click.echo(f"Revoked key {key_id} ({api_key.name}).")
