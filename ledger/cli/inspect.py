"""The commands that read the ledger: ``status``, ``history``, ``log``, ``verify``, ``blame``, the
schema at a point (``schema``, ``materialize``, ``diff``) and the audit ``report``."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ops import LedgerError

from ledger.cli.app import CliContext, Databases, keep, main, pass_cli, plural, print_json, printable

if TYPE_CHECKING:
    from ledger.project.revisions import RevisionChain

__all__ = ["blame", "diff_command", "history", "log", "materialize", "report", "schema", "status", "verify"]


# ---------------------------------------------------------------------------------------------
# status, history, log
# ---------------------------------------------------------------------------------------------


def _folded(ids: Sequence[str], limit: int = 10) -> str:
    """A list of revision ids, folded when long: ``180 pending: 0001 ... 0180``."""
    if len(ids) <= limit:
        return ", ".join(ids)
    return f"{len(ids)} pending: {ids[0]} ... {ids[-1]}"


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_cli
def status(state: CliContext, as_json: bool) -> None:
    """Show the current revision, the ledger head, pending and in-doubt changes, changed files.

    Exits 1 when an intent is in doubt, a revision file changed since it was applied, or the
    ledger holds a revision no file defines; pending revisions alone are not a problem.

    \b
    Example: schema-ledger status --json
    """
    from ledger.inspect import status as status_mod

    report = status_mod.status(state.config, chain=state.chain_or_ledger(quiet=as_json))
    if as_json:
        print_json(report.to_json())
    else:
        head = f"seq {report.head.seq}, hash {report.head.hash}" if report.head else "empty"
        current = report.current or "base (nothing applied)"
        title = next((r.message for r in report.revisions if r.id == report.current), "")
        if report.current is not None and report.current in report.unknown:
            title = "(no migration file defines it)"
        rows = [
            ("database", f"{report.url} ({report.dialect})"),
            ("ledger", f"{report.ledger_table}: {head}" if report.ledger_exists else f"{report.ledger_table}: not created yet"),
            ("current", f"{current}  {title}".rstrip()),
            ("pending", _folded(report.pending) or "none"),
            ("in doubt", ", ".join(f"seq {e.seq} ({e.revision}: {e.op_type})" for e in report.in_doubt) or "none"),
            ("checksums", _checksums(report)),
        ]
        for label, value in rows:
            click.echo(printable(f"{label:<10} {value}"))
        for problem in report.problems:
            click.echo(printable(f"schema-ledger: problem: {problem}"), err=True)
    if report.problems:
        sys.exit(1)


def _checksums(report: Any) -> str:
    """The status line of the migration files' checksums: what was compared, not "ok" for nothing."""
    if report.mismatched:
        return "changed: " + ", ".join(r.id for r in report.mismatched)
    compared = sum(1 for r in report.revisions if r.checksum_matches is not None)
    if not compared:
        return "none compared (no migration file of an applied revision)"
    return f"ok ({compared} file{'s' if compared != 1 else ''} compared)"


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_cli
def history(state: CliContext, as_json: bool) -> None:
    """List the revisions in chain order and whether each is applied.

    \b
    Example: schema-ledger history
    """
    from ledger.inspect import status as status_mod

    revisions = status_mod.history(state.config, chain=state.chain_or_ledger(quiet=as_json))
    if as_json:
        print_json([r.to_json() for r in revisions])
        if any(r.checksum_matches is False for r in revisions):
            sys.exit(1)
        return
    if not revisions:
        click.echo("no revisions (write one with: schema-ledger new -m MESSAGE)")
    for revision in revisions:
        data = revision.to_json()
        mark = "x" if revision.applied else " "
        line = f"[{mark}] {revision.id:<14} {revision.message}"
        if revision.applied:
            line += f"  (seq {data['applied_seq']}, {data['applied_at']}, {data['applied_by']})"
        if revision.checksum_matches is False:
            line += "  CHANGED SINCE APPLIED"
        click.echo(printable(line))
    changed = [r for r in revisions if r.checksum_matches is False]
    for revision in changed:
        click.echo(f"schema-ledger: problem: {revision.path}: revision {revision.id} changed since it was applied",
                   err=True)
    if changed:
        sys.exit(1)


def _time(_ctx: click.Context, param: click.Parameter, value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    from ledger.project.points import parse_time

    try:
        moment = parse_time(value)
    except LedgerError as exc:
        raise click.BadParameter(str(exc), param=param) from None
    if moment is None:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 time such as 2026-01-31 or 2026-01-31T14:00Z",
                                 param=param)
    return moment


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output (same as --format json).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl"]), default=None,
              help="text (default), json, or jsonl: the whole ledger, one event per line, for `verify --ledger`.")
@click.option("--revision", metavar="R", help="Only events of this revision.")
@click.option("--table", metavar="T", help="Only events on this table.")
@click.option("--since", metavar="TIME", callback=_time, help="Only events at or after this ISO 8601 time (UTC if no zone).")
@click.option("--until", metavar="TIME", callback=_time, help="Only events at or before this ISO 8601 time.")
@pass_cli
def log(state: CliContext, as_json: bool, fmt: str | None, revision: str | None, table: str | None,
        since: dt.datetime | None, until: dt.datetime | None) -> None:
    """Show the ledger's events, oldest first: what changed, who, when and why.

    --format jsonl exports the whole ledger (every column of every event) for an offline
    `verify --ledger FILE`; it takes no filters, since a filtered chain cannot verify.

    \b
    Example: schema-ledger log --table orders --since 2026-01-01
    Example: schema-ledger log --format jsonl > ledger.jsonl
    """
    from ledger.inspect import status as status_mod

    if fmt == "jsonl":
        if as_json or revision or table or since or until:
            raise click.UsageError("--format jsonl exports the whole ledger: it takes no --json or filters")
        from ledger.inspect.audit import export_jsonl

        export_jsonl(state.config, sys.stdout)
        return
    if as_json and fmt == "text":
        raise click.UsageError("--json and --format text disagree: give one of them")
    as_json = as_json or fmt == "json"

    events = status_mod.log_events(state.config, revision=revision, table=table, since=since, until=until)
    if revision is not None and not events and \
            (since is None and until is None or not status_mod.log_events(state.config, revision=revision)):
        click.echo(f"schema-ledger: error: no event in the ledger has revision {revision!r}", err=True)
        sys.exit(1)
    if not events and (missing := status_mod.no_ledger(state.config)) is not None:
        click.echo(f"schema-ledger: {missing}", err=True)
    if as_json:
        print_json([status_mod.event_json(e) for e in events])
        return
    for event in events:
        who = event.actor.by or event.actor.os_user
        line = (f"{event.seq:>5}  {event.recorded_at}  {event.kind:<8} {event.revision or '-':<14} "
                f"{status_mod.describe_event(event)}  [{who}@{event.actor.host}]")
        if event.message:
            line += f"  -- {event.message.splitlines()[0]}"
        click.echo(printable(line))


# ---------------------------------------------------------------------------------------------
# verify, baseline, blame
# ---------------------------------------------------------------------------------------------


def _head_hash(_ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from ledger.inspect.audit import InvalidInput, parse_target

    try:
        return parse_target(value)
    except InvalidInput as exc:
        raise click.BadParameter(str(exc), param=param) from None


@main.command()
@click.option("--live", is_flag=True, help="Also compare the live schema with the fold of the ledger.")
@click.option("--expect-head", metavar="HASH", callback=_head_hash,
              help="The head hash written down earlier (`status` prints it): catches a cut tail.")
@click.option("--ledger", "ledger_file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Verify an exported ledger (`log --format jsonl`) instead of the database.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--anchor", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE", expose_value=False,
              callback=keep("anchor"), help="Check every head this anchor file holds is still in the ledger "
              "(default: $SCHEMA_LEDGER_ANCHOR, the config's anchor).")
@pass_cli
def verify(state: CliContext, live: bool, expect_head: str | None, ledger_file: Path | None, as_json: bool) -> None:
    """Prove the ledger whole: chain, payloads, revision files and, with --live, the live schema.

    Checks that seq runs without gaps, every hash recomputes, every payload decodes and
    folds, no intent is in doubt, and every applied revision's file still gives the checksum
    recorded when it was applied (an edited or deleted file is named). With --live the
    reflected schema must equal the fold, and the sequences the database holds those the
    ledger's SQL made; a difference is shown as the ops that lead from the ledger to the
    live schema, or as the sequence that differs. Each problem is one line naming its seq or object; exit
    1 when there is any.

    \b
    Example: schema-ledger verify --live --expect-head 3f9a...c21e
    Example: schema-ledger verify --ledger ledger.jsonl
    """
    from ledger.inspect import audit
    from ledger.project.config import ConfigError

    if ledger_file is not None and live:
        raise click.UsageError("--live compares a database: it cannot be used with --ledger")
    chain = _chain_for_verify(state)
    if ledger_file is not None:
        try:
            trusted, anchor = state.config.trusted_key_paths, state.config.anchor_path
        except ConfigError:
            trusted, anchor = (), state.anchor
        report = audit.verify_file(ledger_file, chain=chain, expect_head=expect_head, trusted_keys=trusted,
                                   anchor=anchor)
    else:
        report = audit.verify(state.config, chain=chain, live=live, expect_head=expect_head)
    if as_json:
        print_json(report.to_json())
    else:
        for problem in report.problems:
            click.echo(printable(str(problem)))
        for note in report.notes:
            click.echo(printable(f"note: {note}"))
        head = f"head seq {report.head.seq}, hash {report.head.hash}" if report.head else "empty ledger"
        checked = ["chain", "payloads"] + (["checksums"] if report.checksums_checked else []) \
            + (["signatures"] if report.signatures_checked else []) + (["anchor"] if report.anchor_checked else []) \
            + (["expected head"] if expect_head else []) + (["live schema"] if report.live_checked else [])
        verdict = "ok" if report.ok else plural(len(report.problems), "problem")
        click.echo(f"verify: {verdict}: {plural(report.events, 'event')} ({head}); checked {', '.join(checked)}")
    if not report.ok:
        sys.exit(1)


def _chain_for_verify(state: CliContext) -> RevisionChain | None:
    """The project's revisions; an empty chain when the migrations folder is missing (so that a
    recorded checksum without its file is still reported), None without any project."""
    from ledger.project.config import ConfigError

    try:
        config = state.config
    except ConfigError:
        return None
    from ledger.project.folders import holds_migrations

    if config.source is None and not holds_migrations(config.migrations_dir):
        return None
    if not holds_migrations(config.migrations_dir):
        from ledger.project.revisions import RevisionChain

        return RevisionChain()
    return state.chain


@main.command()
@click.argument("target", metavar="TABLE[.COLUMN]")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_cli
def blame(state: CliContext, target: str, as_json: bool) -> None:
    """Show the events that created and changed a table or a column: revision, actor, time, why.

    Renames are followed back to the earlier names; rollbacks are shown with the seq they
    undo. Exits 1 when the ledger has no event for the object.

    \b
    Example: schema-ledger blame orders.status
    """
    from ledger.inspect.audit import InvalidInput
    from ledger.inspect.blame import blame as run_blame
    from ledger.inspect.status import describe_event

    config = state.config
    try:
        report = run_blame(config, target)
    except InvalidInput as exc:
        raise click.BadParameter(str(exc), param_hint="TABLE[.COLUMN]") from None
    if as_json:
        print_json(report.to_json())
    else:
        for entry in report.entries:
            event = entry.event
            who = event.actor.by or event.actor.os_user
            line = (f"{event.seq:>5}  {event.recorded_at}  {event.kind:<8} {event.revision or '-':<14} "
                    f"{who}@{event.actor.host}  {describe_event(event)}")
            if entry.note:
                line += f"  ({entry.note})"
            if event.message:
                line += f"  -- {event.message.splitlines()[0]}"
            click.echo(printable(line))
    if not report.entries:
        click.echo(f"schema-ledger: no event in the ledger touches {report.target}", err=True)
        sys.exit(1)


# ---------------------------------------------------------------------------------------------
# schema, materialize, diff: the schema at a point, from the ledger alone
# ---------------------------------------------------------------------------------------------

_DIALECT_CHOICE = Databases(flavours=True)
_LEDGER_FILE = click.option(
    "--ledger", "ledger_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="FILE",
    help="Read the history from an exported ledger (log --format jsonl) instead of the database.",
)


def _history(state: CliContext, ledger_file: Path | None) -> list[Any]:
    from ledger.project.config import ConfigError
    from ledger.inspect.pointintime import ledger_events

    if ledger_file is not None:
        try:
            state.config  # noqa: B018 - imports the project's plugins, when there is a project
        except ConfigError:
            pass
        return ledger_events(ledger_file=ledger_file)
    return ledger_events(state.config)


def _json_format(fmt: str | None, as_json: bool, default: str) -> str:
    """--json is --format json; the two may not disagree."""
    if as_json and fmt not in (None, "json"):
        raise click.UsageError(f"--json and --format {fmt} disagree: give one of them")
    return "json" if as_json else (fmt or default)


def _own_dialect(state: CliContext) -> str | None:
    """The configured database's dialect, when there is a configuration (no connection is made)."""
    from ledger.project.config import ConfigError
    from ledger.storage.db import dialect_of

    try:
        url = state.config.url
    except ConfigError:
        if state.url is None:
            return None
        url = state.url
    try:
        return dialect_of(url)
    except Exception:  # noqa: BLE001 - an unreadable URL just means no default dialect
        return None


@main.command()
@click.option("--at", "point", metavar="POINT",
              help="A revision id, @SEQ, an ISO 8601 time, base, or -N (default: the head of the ledger).")
@click.option("--format", "fmt", type=click.Choice(["ddl", "json", "mermaid"]), default=None,
              help="CREATE statements (default), a JSON document, or a Mermaid ER diagram.")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--dialect", type=_DIALECT_CHOICE,
              help="The SQL dialect of the DDL and of the types shown (default: the database's own).")
@_LEDGER_FILE
@pass_cli
def schema(state: CliContext, point: str | None, fmt: str | None, as_json: bool, dialect: str | None,
           ledger_file: Path | None) -> None:
    """Print the schema as it was at POINT, computed from the ledger alone.

    The live schema is not read: the events up to POINT are folded. With --ledger no
    database is needed at all. Every kind of point is served from the newest snapshot at or
    below it, when the ledger has one; the hash chain is checked first (from the snapshot on;
    `verify` checks the whole chain and every snapshot).

    \b
    Example: schema-ledger schema --at 2026-01-31T14:00Z --format mermaid
    """
    from ledger.inspect.pointintime import render_schema, schema_at
    from ledger.inspect.pointintime import schema_at_point

    fmt = _json_format(fmt, as_json, "ddl")
    if ledger_file is None:
        state.config  # noqa: B018 - outside a project this is the one-line "no schema-ledger.toml found"
    dialect = dialect or _own_dialect(state)
    if fmt == "ddl" and dialect is None:
        raise click.UsageError("give --dialect: there is no configured database to take it from")
    # From the nearest snapshot below the point: at most one snapshot interval of events is read.
    found = schema_at_point(state.config, point) if ledger_file is None else None
    if found is None:
        found = schema_at(_history(state, ledger_file), point)
    click.echo(render_schema(found, fmt, dialect), nl=False)


@main.command()
@click.option("--at", "point", metavar="POINT", help="A revision id, @SEQ, an ISO 8601 time, base, or -N (default: head).")
@click.option("--into", "into", required=True, metavar="URL", help="An empty database to create the schema in.")
@_LEDGER_FILE
@pass_cli
def materialize(state: CliContext, point: str | None, into: str, ledger_file: Path | None) -> None:
    """Create the schema as it was at POINT in an empty database.

    The schema comes from the ledger (or --ledger FILE); the target gets tables,
    constraints and indexes, but no rows and no ledger. The result is reflected and
    compared with the ledger's schema; a difference exits 1.

    \b
    Example: schema-ledger materialize --at 0005 --into postgresql://localhost/shop_at_0005
    """
    from ledger.inspect.pointintime import materialize as run_materialize, recorded_sql_at, schema_at

    events = _history(state, ledger_file)
    target = schema_at(events, point)
    result = run_materialize(target, into, recorded_sql_at(events, point))
    for difference in result.differences:
        click.echo(f"schema-ledger: problem: {difference}", err=True)
    tables = len(target.tables)
    click.echo(f"created {tables} table{'s' if tables != 1 else ''} ({plural(len(result.statements), 'statement')}) "
               f"as of {point or 'head'}")
    if result.differences:
        sys.exit(1)


@main.command("diff", context_settings={"ignore_unknown_options": True})  # a point -N is no option
@click.argument("point_a", metavar="POINT_A")
@click.argument("point_b", metavar="POINT_B")
@click.option("--format", "fmt", type=click.Choice(["text", "python", "sql", "json"]), default=None,
              help="One line per op (default), an upgrade(op) function, SQL statements, or JSON.")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json: a list of ops, each as the ledger records it.")
@click.option("--dialect", type=_DIALECT_CHOICE, help="The dialect of --format sql (default: the database's own).")
@_LEDGER_FILE
@pass_cli
def diff_command(state: CliContext, point_a: str, point_b: str, fmt: str | None, as_json: bool, dialect: str | None,
                 ledger_file: Path | None) -> None:
    """Print the operations that lead from the schema at POINT_A to the schema at POINT_B.

    \b
    Example: schema-ledger diff 0003 head --format python
    """
    from ledger.inspect.pointintime import diff_points, schema_at

    fmt = _json_format(fmt, as_json, "text")
    events = _history(state, ledger_file)
    ops = diff_points(events, point_a, point_b)
    if fmt == "json":
        from ledger.format.codec import to_payload

        print_json([{"describe": op.describe(), "payload": to_payload(op)} for op in ops])
        return
    if fmt == "python":
        from ledger.schema.pysource import render_python

        click.echo(render_python(ops), nl=False)
        return
    if fmt == "sql":
        from ledger import dialects

        dialect = dialect or _own_dialect(state)
        if dialect is None:
            raise click.UsageError("give --dialect: there is no configured database to take it from")
        current = schema_at(events, point_a)
        for op in ops:
            for statement in dialects.ddl(op, current, dialect):
                click.echo(statement.rstrip().rstrip(";") + ";")
            current = op.apply(current)
        return
    if not ops:
        click.echo("no differences")
    for op in ops:
        click.echo(op.describe())


# ---------------------------------------------------------------------------------------------
# report
# ---------------------------------------------------------------------------------------------


@main.command()
@click.option("--html", "html_file", required=True, type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Where to write the report (one self-contained HTML file).")
@click.option("--from", "point_from", metavar="POINT", help="Where the timeline and the diff start (default: base).")
@click.option("--to", "point_to", metavar="POINT", help="Where they end (default: the head of the ledger).")
@click.option("--live", is_flag=True, help="Also compare the live schema with the ledger (drift).")
@click.option("--dialect", type=_DIALECT_CHOICE, help="The dialect of the DDL shown (default: the database's own).")
@click.option("--title", metavar="TEXT", help="The report's title (default: names the ledger).")
@click.option("--no-ddl", "no_ddl", is_flag=True,
              help="Leave out each revision's DDL (the ops stay): rendering it takes most of the time on a long ledger.")
@_LEDGER_FILE
@pass_cli
def report(state: CliContext, html_file: Path, point_from: str | None, point_to: str | None, live: bool,
           dialect: str | None, title: str | None, no_ddl: bool, ledger_file: Path | None) -> None:
    """Write an audit report: one HTML file that opens offline in any browser.

    Integrity first (the hash chain, the head seq and hash, the migration files' checksums
    when they are at hand, drift with --live, intents in doubt; a red banner naming the row
    when anything is wrong), then a timeline of every event, each revision's change as ops
    and DDL, the schema and its ER diagram at any point, the recorded drills, and a diff
    between two points. The file loads nothing from the network. Exits 1 when the
    integrity checks found a problem (the report is written all the same).

    \b
    Example: schema-ledger report --html audit.html --live
    Example: schema-ledger report --html audit.html --ledger ledger.jsonl --dialect postgresql
    """
    from ledger.inspect.report import build_report, write_report

    if ledger_file is not None and live:
        raise click.UsageError("--live compares a database: it cannot be used with --ledger")
    if ledger_file is None:
        state.config  # noqa: B018 - outside a project this is the one-line "no schema-ledger.toml found"
    dialect = dialect or _own_dialect(state)
    if dialect is None:
        raise click.UsageError("give --dialect: there is no configured database to take it from")
    data = build_report(None if ledger_file is not None else state.config, ledger_file=ledger_file,
                        chain=_chain_for_verify(state), live=live, point_from=point_from, point_to=point_to,
                        dialect=dialect, title=title, with_ddl=not no_ddl)
    size = write_report(html_file, data)
    integrity = data["integrity"]
    head = integrity["head"]
    where = f"head seq {head[0]}, hash {head[1]}" if head else "empty ledger"
    verdict = "integrity ok" if integrity["ok"] else f"INTEGRITY PROBLEMS: {len(integrity['problems'])}"
    click.echo(f"wrote {html_file} ({size / 1024:,.0f} KiB): {plural(integrity['events'], 'event')} ({where}); {verdict}")
    for problem in integrity["problems"]:
        click.echo(f"schema-ledger: problem: {problem['message']}", err=True)
    if not integrity["ok"]:
        sys.exit(1)

