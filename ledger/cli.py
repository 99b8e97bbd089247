"""The schema-ledger command line."""

from __future__ import annotations

import click

from ledger import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="schema-ledger")
def main() -> None:
    """Schema migrations where the history is data."""
