#!/usr/bin/env bash
# The example shop on a SQLite file: apply in two releases, look at status, history and the log.
# Run from examples/shop (`make demo` does): bash ../../examples/demo.sh [BIN_DIR]
set -euo pipefail

BIN="${1:-}"
if [[ -n "$BIN" ]]; then
    SL="$BIN/schema-ledger"
    PYTHON="$BIN/python"
else
    SL="schema-ledger"
    PYTHON="python3"
fi

# Bold headings on a terminal only: piped or redirected output has no escape codes.
if [[ -t 1 ]]; then B=$'\033[1m'; N=$'\033[0m'; else B=""; N=""; fi

heading() {
    printf '\n%s%s%s\n' "$B" "$1" "$N"
}

step() {
    local shown="" arg
    for arg in "$@"; do
        if [[ "$arg" == *" "* ]]; then shown+=" \"$arg\""; else shown+=" $arg"; fi
    done
    printf '\n%s$ schema-ledger%s%s\n' "$B" "$shown" "$N"
    "$SL" "$@"
}

rm -f shop.db

printf 'The shop project: %s revisions in migrations/, config in schema-ledger.toml.\n' "$(ls migrations/*.py | wc -l)"

step apply --to 0003 -m "release 1.0: customers, products, orders" --by alice
step status
step apply --to 0004 --sql
step apply -m "release 1.1: names, renames, notes, comments" --by bob
step status
step history
step log --table orders
step log --revision 0008
heading 'The ledger table refuses edits:'
"$PYTHON" - <<'PY' || true
import sqlite3
db = sqlite3.connect("shop.db")
try:
    db.execute("UPDATE schema_ledger SET message = 'nothing happened' WHERE seq = 1")
except sqlite3.DatabaseError as exc:
    print(f"UPDATE schema_ledger ... -> {exc}")
PY

heading 'Audit: write the head hash down, verify later against it and the live schema:'
HEAD_HASH="$("$SL" status --json | "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["head"]["hash"])')"
step verify --live --expect-head "$HEAD_HASH"
step blame customers.name
heading 'A change made by hand is drift, shown as the op that makes it:'
"$PYTHON" -c 'import sqlite3; db = sqlite3.connect("shop.db"); db.execute("CREATE INDEX ix_manual ON orders (status)"); db.commit()'
echo "(by hand) CREATE INDEX ix_manual ON orders (status)"
step verify --live || true
"$PYTHON" -c 'import sqlite3; db = sqlite3.connect("shop.db"); db.execute("DROP INDEX ix_manual"); db.commit()'

heading 'Release 1.1 broke checkout: roll back to 0004, no downgrade written (the ledger knows every reverse):'
step rollback --to 0004 -m "release 1.1 broke checkout" --by carol
step log --revision 0008
heading 'The schema as it was at 0004, from the ledger alone, as a Mermaid ER diagram:'
step schema --at 0004 --format mermaid
step diff 0004 0008
heading 'Before releasing again: a rollback drill on a scratch database, recorded in the ledger:'
step drill --record --by ci -q
step apply --require-drill -m "release 1.1, again" --by carol -q
step log --revision 0008
heading 'For the auditor: one HTML file that opens offline in any browser:'
step report --html shop-audit.html --live
printf '\nOpen it: %s\n' "file://$(pwd)/shop-audit.html"
