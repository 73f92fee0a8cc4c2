"""``feedbackkit register``: register what a customer said, in a few prompts (or options)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from feedbackkit.errors import FeedbackkitError
from feedbackkit.service import FeedbackKit
from feedbackkit.settings import Settings, load_settings
from feedbackkit.vocabulary import Channel, Kind, label

if TYPE_CHECKING:
    from feedbackkit.cli import Context

__all__ = ["COMMANDS", "config_option", "open_with_settings", "register_command"]

config_option = click.option(
    "--config",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    envvar="FEEDBACKKIT_CONFIG",
    help="The organisation's settings (TOML): ambassadors, survey, notifications.",
)


def open_with_settings(ctx: Context, config: Path | None) -> FeedbackKit:
    """The kit on ``--db`` with the organisation's settings from ``--config``."""
    settings = load_settings(config) if config is not None else Settings()
    return FeedbackKit.open(ctx.db, plugins=ctx.plugins, settings=settings)


_OPTIONAL = (
    ("name", "Naam van de klant"),
    ("phone", "Telefoonnummer"),
    ("email", "E-mailadres"),
    ("subject", "Onderwerp"),
    ("org_unit", "Afdeling"),
)


@click.command("register")
@click.option("--text", help="What the customer said, in their own words.")
@click.option("--channel", type=click.Choice([c.value for c in Channel]), help="Default: phone.")
@click.option("--kind", type=click.Choice([k.value for k in Kind]), help="Default: remark.")
@click.option("--received-by", help="Who received it (default: $FEEDBACKKIT_USER, else $USER).")
@click.option("--name", help="The customer's name.")
@click.option("--phone", help="The customer's phone number.")
@click.option("--email", help="The customer's e-mail address.")
@click.option("--subject", help="What it is about, in a few words.")
@click.option("--org-unit", help="The department concerned (picks its ambassador).")
@click.option("--ambassador", help="Route to this ambassador instead of the configured one.")
@click.option(
    "--no-input",
    is_flag=True,
    help="Never prompt: take what the options give and the defaults for the rest.",
)
@config_option
@click.pass_obj
def register_command(
    ctx: Context,
    /,
    text: str | None,
    channel: str | None,
    kind: str | None,
    received_by: str | None,
    no_input: bool,
    config: Path | None,
    ambassador: str | None,
    **optional: str | None,
) -> None:
    """Register feedback told at the counter, on the phone or to the neighbourhood team.

    Asks for what is not given as an option (press Enter to take the default or to leave
    an optional answer empty) and routes the feedback to the ambassador.
    """
    default_user = os.environ.get("FEEDBACKKIT_USER") or os.environ.get("USER")
    if not no_input:
        text = text or click.prompt("Wat zei de klant?")
        channel = channel or click.prompt(
            "Kanaal", default=Channel.PHONE.value, type=click.Choice([c.value for c in Channel])
        )
        kind = kind or click.prompt(
            "Soort", default=Kind.REMARK.value, type=click.Choice([k.value for k in Kind])
        )
        received_by = received_by or click.prompt("Ontvangen door", default=default_user)
        for key, question in _OPTIONAL:
            if optional[key] is None:
                optional[key] = click.prompt(question, default="", show_default=False) or None
    if not text:
        raise click.UsageError("--text is required with --no-input")
    received_by = received_by or default_user
    if not received_by:
        raise click.UsageError("say who received it: --received-by")
    try:
        with open_with_settings(ctx, config) as kit:
            view = kit.register_informal(
                text,
                received_by=received_by,
                channel=channel or Channel.PHONE,
                kind=kind or Kind.REMARK,
                ambassador=ambassador,
                **optional,
            )
    except FeedbackkitError as exc:
        raise click.ClickException(str(exc)) from None
    feedback = view.feedback
    routed = view.state.ambassador
    click.echo(
        f"Geregistreerd: {feedback.id} ({label(feedback.kind).lower()} via "
        f"{label(feedback.channel).lower()}, {label(feedback.form).lower()})"
    )
    click.echo(f"Ambassadeur: {routed}" if routed else "Geen ambassadeur ingesteld ([intake]).")


COMMANDS = (register_command,)
