"""``flask plan …`` commands."""

import json
from pathlib import Path

import click
from flask.cli import AppGroup

from planvoice.core.extensions import db
from planvoice.core.i18n import _
from planvoice.plans.correction_services import list_corrections
from planvoice.plans.corrections import apply_corrections
from planvoice.plans.importer import PlanFormatError, parse_plan, plan_to_dict
from planvoice.plans.services import import_plan

BUNDLED_PLAN = Path(__file__).parent / "data" / "erdao-2021.txt"

plan_cli = AppGroup("plan", help="Import and inspect plans.")


@plan_cli.command("import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.option("--slug", help="Identifier of the plan in URLs; defaults to the file name.")
@click.option("--dry-run", is_flag=True, help="Parse and report, write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the parsed plan as JSON.")
def import_command(path: Path | None, slug: str | None, dry_run: bool, as_json: bool) -> None:
    """Import a plan from a text, HTML, PDF or Word (.docx) file; the bundled plan by default.

    Importing is one transaction and idempotent: the same file again changes nothing, an
    edited file updates the plan in place and keeps every measure's identity. The corrections
    made at the plan desk for the plan are applied first (also to what --json prints); those
    the source changed under are listed, and left for a person to look at.
    """
    path = path or BUNDLED_PLAN
    slug = slug or path.stem
    try:
        parsed = parse_plan(path.read_bytes(), path.name)
    except OSError as error:
        raise click.ClickException(
            _("Cannot read %(path)s: %(reason)s", path=path, reason=error.strerror)
        ) from error
    except PlanFormatError as error:
        raise click.ClickException(f"{path}: {error}") from error
    parsed, conflicts = apply_corrections(parsed, list_corrections(slug))
    for conflict in conflicts:
        click.echo(
            _(
                "The source changed under a correction of “%(measure)s” (%(kind)s); "
                "look at it at the plan desk.",
                measure=conflict.measure_title or conflict.correction.measure_key,
                kind=conflict.kind,
            ),
            err=True,
        )

    if as_json:
        click.echo(json.dumps(plan_to_dict(parsed), ensure_ascii=False, indent=2))
    if dry_run:
        if not as_json:
            measures = sum(len(section.measures) for section in parsed.sections)
            click.echo(
                _(
                    "%(title)s: %(sections)d sections, %(measures)d measures (dry run, "
                    "nothing written).",
                    title=parsed.title,
                    sections=len(parsed.sections),
                    measures=measures,
                )
            )
        return

    summary = import_plan(parsed, slug=slug)
    db.session.commit()
    if not as_json:
        click.echo(describe_summary(summary))


def describe_summary(summary) -> str:
    if not summary.has_changes:
        return _("Plan “%(slug)s” is already up to date; nothing changed.", slug=summary.plan.slug)
    lines = [
        _(
            "Plan “%(slug)s” imported: %(added)d added, %(changed)d changed, %(removed)d removed.",
            slug=summary.plan.slug,
            added=len(summary.added),
            changed=len(summary.changed),
            removed=len(summary.removed),
        )
    ]
    lines += [f"  + {title}" for title in summary.added]
    lines += [f"  ~ {title}" for title in summary.changed]
    lines += [f"  - {title}" for title in summary.removed]
    return "\n".join(lines)
