"""``python -m ledger``: the schema-ledger command line."""

from ledger.cli import main

main(prog_name="schema-ledger")
