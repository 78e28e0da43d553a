"""``flask users …`` commands."""

import click
from flask.cli import AppGroup

from planvoice.accounts.services import AccountError, create_user
from planvoice.core.extensions import db
from planvoice.core.policy import Role

users_cli = AppGroup("users", help="Manage accounts.")


@users_cli.command("create")
@click.option("--email", help="E-mail address to sign in with.")
@click.option("--phone", help="Mainland mobile number (11 digits) to sign in with.")
@click.option("--password", required=True, help="The new account's password.")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    default=Role.RESIDENT.value,
    show_default=True,
)
@click.option("--area", "areas", multiple=True, help="Area code a moderator serves (repeat).")
@click.option("--bureau", help="Bureau code, for bureau staff.")
@click.option("--name", help="Display name.")
def create_command(email, phone, password, role, areas, bureau, name):
    """Create an account (its e-mail address counts as confirmed), e.g. a community worker
    serving two streets:

    flask --app app users create --email w@example.org --password … --role moderator
    --area dongsheng --area rongguang
    """
    if not email and not phone:
        raise click.UsageError("Give --email or --phone (or both).")
    if role == Role.BUREAU and not bureau:
        raise click.UsageError("Bureau staff need --bureau CODE.")
    try:
        user = create_user(
            email or phone,
            password,
            role=role,
            phone=phone if email else None,
            display_name=name,
            bureau_code=bureau,
            area_codes=tuple(areas),
            # Whoever runs the command vouches for the address: nothing is sent to confirm it.
            email_confirmed=True,
        )
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created {user.role} account {user.login} (id {user.id}).")
