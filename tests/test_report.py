"""The audit report (``report --html``), opened in a real headless Chromium.

For the example project's ledger on SQLite, PostgreSQL and MariaDB (two releases, a recorded
drill, a rollback), the page is opened from a file:// URL and read through the DevTools
protocol: the integrity banner and the head, every event as a timeline row, filters and
search, each revision's DDL, the schema and its ER diagram's table boxes at chosen points, the
diff, the drill; keyboard use and print media; no console message at all. A hostile ledger
(names and messages made of HTML and script) must show that text as text and run none of it.
A tampered ledger must show the red banner naming the edited row. Screenshots of the views go
to ``test-artifacts/report/`` (not committed).

Without a browser the data behind the page is still checked: the table versions the page
replays give, at every seq, the schema the ledger folds to.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from ledger.project.config import Config
from ledger.storage.db import create_engine
from ledger.project.points import state_at
from ledger.inspect.report import _embed, build_report, render_html
from tests import browser as chromium
from tests.conftest import DIALECTS, IN_CI
from tests.builders import cli, events, project
from tests.reliability import make_project

ROOT = Path(__file__).resolve().parent.parent
SHOP = ROOT / "examples" / "shop" / "migrations"
ARTIFACTS = ROOT / "test-artifacts" / "report"


# ---------------------------------------------------------------------------------------------
# Fixtures: the browser, the example project's ledger per database
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[chromium.Browser]:
    if chromium.find() is None:
        message = "no chromium on PATH: `make test` and .ci/run install Debian's chromium (apt-get install chromium)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    b = chromium.Browser()
    yield b
    b.close()


def _ok(result: object) -> None:
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]


@pytest.fixture(scope="module", params=DIALECTS)
def shop(request: pytest.FixtureRequest, database_factory: Callable[[str], str],
         tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Config]:
    """The example project applied in two releases, drilled (recorded), then rolled back to 0004."""
    return request.param, _history(project(tmp_path_factory.mktemp("report-shop"), database_factory(request.param)))


@pytest.fixture(scope="module")
def sqlite_shop(tmp_path_factory: pytest.TempPathFactory) -> Config:
    """The same history on SQLite, for what does not depend on the database."""
    folder = tmp_path_factory.mktemp("report-sqlite-shop")
    return _history(project(folder, f"sqlite:///{folder / 'shop.db'}"))


def _history(config: Config) -> Config:
    _ok(cli(config, "apply", "--to", "0004", "-m", "release 1.0", "--by", "alice", "-q"))
    _ok(cli(config, "apply", "-m", "release 1.1", "--by", "bob", "-q"))
    _ok(cli(config, "drill", "--record", "--by", "ci", "-q"))
    _ok(cli(config, "rollback", "--to", "0004", "-m", "release 1.1 broke checkout", "--by", "carol", "-q"))
    return config


def _open(b: chromium.Browser, path: Path, view: str = "integrity") -> None:
    b.console.clear()
    b.open(path.as_uri() + "#" + view)
    assert b.js("document.documentElement.dataset.ready") is not None, "the page's script did not finish"


def _view(b: chromium.Browser, name: str) -> None:
    b.js(f"location.hash = {json.dumps(name)}")
    b.js("new Promise(r => setTimeout(r, 50))")
    assert b.js(f"!document.getElementById('view-{name}').hidden")


def _set(b: chromium.Browser, element_id: str, value: object) -> None:
    """Give a control a value as a person would, and tell the page (a change event)."""
    b.js(f"(() => {{ const c = document.getElementById({json.dumps(element_id)}); c.value = {json.dumps(str(value))}; "
         "c.dispatchEvent(new Event('change')); })()")


def _text(b: chromium.Browser, selector: str) -> str:
    return b.js(f"(document.querySelector({json.dumps(selector)}) || {{}}).textContent || ''")


def _count(b: chromium.Browser, selector: str) -> int:
    return b.js(f"document.querySelectorAll({json.dumps(selector)}).length")


def _shot(b: chromium.Browser, where: str, view: str) -> None:
    b.screenshot(ARTIFACTS / where / f"{view}.png")


# ---------------------------------------------------------------------------------------------
# The example project's report
# ---------------------------------------------------------------------------------------------


def test_shop_report_in_chromium(shop: tuple[str, Config], browser: chromium.Browser, tmp_path: Path) -> None:
    dialect, config = shop
    page = tmp_path / "report.html"
    result = cli(config, "report", "--html", str(page), "--live")
    _ok(result)
    assert f"wrote {page}" in result.output and "integrity ok" in result.output
    ledger = events(config)
    head = ledger[-1]
    b = browser

    _open(b, page)
    banner = b.js("document.getElementById('banner').className")
    assert banner == "good", _text(b, "#banner")
    assert "INTEGRITY OK" in _text(b, "#banner") and head.hash in _text(b, "#banner")
    assert _text(b, "#head-seq") == str(head.seq) and _text(b, "#head-hash") == head.hash
    assert _count(b, "#checksums tbody tr") == 8 and "CHANGED" not in _text(b, "#checksums")
    assert "None: the live schema is the fold" in _text(b, "#view-integrity")
    _shot(b, dialect, "integrity")

    _view(b, "timeline")
    assert _count(b, "#events tr.event") == len(ledger)
    assert [int(s) for s in b.js("[...document.querySelectorAll('#events tr.event')].map(r => r.dataset.seq)")] \
        == [e.seq for e in ledger]
    assert b.js("[...document.querySelectorAll('#events tr.event td.mono')].map(c => c.title)") \
        == [e.recorded_at for e in ledger]  # times travel as microsecond steps: the exact stored text comes back
    runs = b.js("[...document.querySelectorAll('#events tr.run')].map(r => r.textContent)")
    assert any("apply of revision 0001" in r and "alice" in r for r in runs)
    assert any("revert of revision 0008" in r and "carol" in r and "release 1.1 broke checkout" in r for r in runs)
    assert any("drill" in r and "ci" in r for r in runs)
    _shot(b, dialect, "timeline")
    # Filter by table, by person, then search: what the page keeps is what the ledger says.
    _set(b, "tl-table", "wishlist")
    assert {int(s) for s in b.js("[...document.querySelectorAll('#events tr.event')].map(r => r.dataset.seq)")} \
        == {e.seq for e in ledger if e.table_name == "wishlist"}
    _set(b, "tl-table", "")
    _set(b, "tl-person", "carol")
    assert _count(b, "#events tr.event") == sum(1 for e in ledger if e.actor.by == "carol") > 0
    _set(b, "tl-person", "")
    b.js("document.body.focus()")
    b.key("/", "Slash", 191, text="/")
    assert b.js("document.activeElement.id") == "tl-search"
    b.type("pk_wishlist")
    b.js("new Promise(r => setTimeout(r, 300))")
    kept = b.js("[...document.querySelectorAll('#events tr.event')].map(r => Number(r.dataset.seq))")
    assert kept and all("pk_wishlist" in e.payload for e in ledger if e.seq in kept)

    _view(b, "revisions")
    assert _count(b, "#revision-list details.revision") == 8
    b.js("document.getElementById('rev-expand').click()")
    ddl = b.js("[...document.querySelectorAll('#revision-list details.revision')].map(d => [d.dataset.revision, "
               "d.querySelector('pre.ddl').textContent])")
    by_revision = dict(ddl)
    assert re.search(r"CREATE TABLE [\"`]?customers", by_revision["0001"])
    assert "DATA LOSS" in by_revision["0006"] or "DATA LOSS" in by_revision["0008"]
    assert "NOT IN EFFECT" in _text(b, "details[data-revision='0008'] summary")
    _shot(b, dialect, "revisions")

    _view(b, "schema")
    boxes = b.js("[...document.querySelectorAll('#diagram g.entity')].map(g => g.dataset.table)")
    assert sorted(boxes) == sorted(t.name for t in state_at(ledger, head.seq).tables.values())
    assert _count(b, "#diagram path.fk") >= 3
    _shot(b, dialect, "schema")
    # A revision's point, then an event's point: the diagram follows the fold.
    at = max(e.seq for e in ledger if e.revision == "0003" and e.kind == "apply")
    _set(b, "sc-point", at)
    boxes = b.js("[...document.querySelectorAll('#diagram g.entity')].map(g => g.dataset.table)")
    assert sorted(boxes) == sorted(t.name for t in state_at(ledger, at).tables.values())
    _set(b, "sc-seq", "0002")  # a revision typed in: the end of its latest apply
    at = max(e.seq for e in ledger if e.revision == "0002" and e.kind == "apply")
    assert sorted(b.js("[...document.querySelectorAll('#diagram g.entity')].map(g => g.dataset.table)")) \
        == sorted(t.name for t in state_at(ledger, at).tables.values())
    _set(b, "sc-seq", "no such point")
    assert b.js("document.getElementById('sc-seq').getAttribute('aria-invalid')") == "true"
    first = min(e.seq for e in ledger if e.kind == "apply")  # MariaDB records an intent before it
    _set(b, "sc-seq", f"@{first}")
    assert b.js("[...document.querySelectorAll('#diagram g.entity')].map(g => g.dataset.table)") == ["customers"]
    assert _count(b, "#sc-tables section.table") == 1

    _view(b, "diff")
    _set(b, "diff-seq-a", 0)
    lines = b.js("[...document.querySelectorAll('#diff-lines li')].map(l => l.textContent)")
    assert any("create table customers" in line for line in lines)
    assert _count(b, "#diff-ops li") >= 5 and "CREATE TABLE" in _text(b, "#diff-out pre")
    _shot(b, dialect, "diff")

    _view(b, "drills")
    assert _count(b, "#drill-table tr.drill") == 1 and "PASSED" in _text(b, "#drill-table")
    _shot(b, dialect, "drills")

    assert b.console == []


def test_keyboard_and_print(sqlite_shop: Config, browser: chromium.Browser, tmp_path: Path) -> None:
    config = sqlite_shop
    page = tmp_path / "report.html"
    _ok(cli(config, "report", "--html", str(page)))
    b = browser
    _open(b, page)
    # Tab from the top: the skip link, then the views' links; Enter on one opens its view.
    b.js("document.activeElement.blur()")
    b.key("Tab", "Tab", 9)
    assert b.js("document.activeElement.className") == "skip"
    b.key("Tab", "Tab", 9)
    b.key("Tab", "Tab", 9)
    assert b.js("document.activeElement.dataset.view") == "timeline"
    b.key("Enter", "Enter", 13, text="\r")
    b.js("new Promise(r => setTimeout(r, 100))")
    assert not b.js("document.getElementById('view-timeline').hidden")
    # Print media: the navigation and the controls go, the banner and the view stay.
    b.call("Emulation.setEmulatedMedia", media="print")
    try:
        assert b.js("getComputedStyle(document.querySelector('nav')).display") == "none"
        assert b.js("getComputedStyle(document.querySelector('.controls')).display") == "none"
        assert b.js("getComputedStyle(document.getElementById('banner')).display") != "none"
    finally:
        b.call("Emulation.setEmulatedMedia", media="")
    assert b.pdf()[:4] == b"%PDF"
    assert b.console == []


# ---------------------------------------------------------------------------------------------
# A hostile ledger: names and messages made of markup
# ---------------------------------------------------------------------------------------------

HOSTILE_TABLE = "<script>window.pwned=1</script>"
HOSTILE_COLUMN = "<img src=x onerror=window.pwned=2>"
HOSTILE_OTHER = "naïve 名前 & \"it's\""
HOSTILE_MESSAGE = "</script><script>window.pwned=3</script><b onmouseover=x>bold</b> & \u2028"
HOSTILE_BY = "<i>eve</i>\"'"


@pytest.fixture(scope="module", params=DIALECTS)
def hostile(request: pytest.FixtureRequest, database_factory: Callable[[str], str],
            tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Config]:
    r = {k: repr(v) for k, v in {"t": HOSTILE_TABLE, "c": HOSTILE_COLUMN, "o": HOSTILE_OTHER}.items()}
    config = make_project(tmp_path_factory.mktemp("report-hostile"), database_factory(request.param), {
        "x1": (None, f"""
            op.create_table({r['o']}, sa.Column("id", sa.Integer, primary_key=True))
            op.create_table({r['t']}, sa.Column("id", sa.Integer, primary_key=True),
                            sa.Column({r['c']}, sa.String(20), server_default="</script>"),
                            sa.Column("other_id", sa.Integer),
                            sa.ForeignKeyConstraint(["other_id"], [{r['o']} + ".id"], name="fk_<b>x</b>"))
        """),
        "x2": ("x1", f"""
            op.add_column({r['o']}, sa.Column("<style>*{{display:none}}</style>", sa.Integer))
        """),
    })
    _ok(cli(config, "apply", "-m", HOSTILE_MESSAGE, "--by", HOSTILE_BY, "-q"))
    return request.param, config


def test_hostile_ledger_is_shown_as_text(hostile: tuple[str, Config], browser: chromium.Browser,
                                         tmp_path: Path) -> None:
    dialect, config = hostile
    page = tmp_path / "report.html"
    _ok(cli(config, "report", "--html", str(page)))
    html = page.read_text(encoding="utf-8")
    # Only the page's own two script blocks; no ledger text can close the data block.
    assert html.count("<script") == 2 and html.count("</script>") == 2
    b = browser
    _open(b, page, "timeline")
    for view in ("timeline", "revisions", "schema", "diff", "integrity"):
        _view(b, view)
        if view == "revisions":
            b.js("document.getElementById('rev-expand').click()")
        _shot(b, f"hostile-{dialect}", view)
    assert b.js("typeof window.pwned") == "undefined"
    assert _count(b, "script") == 2 and _count(b, "img") == 0 and _count(b, "b") == 0 and _count(b, "main style") == 0
    assert b.js("document.title").startswith("schema-ledger audit report")
    body = b.js("document.body.textContent")
    assert HOSTILE_BY.split("\"")[0] in body
    assert "window.pwned=3" in body  # the message, as text
    boxes = b.js("[...document.querySelectorAll('#diagram g.entity')].map(g => g.dataset.table)")
    assert sorted(boxes) == sorted([HOSTILE_TABLE, HOSTILE_OTHER])
    columns = b.js("[...document.querySelectorAll('#sc-tables td.mono')].map(t => t.textContent)")
    assert HOSTILE_COLUMN in columns
    assert b.console == []


# ---------------------------------------------------------------------------------------------
# A tampered ledger
# ---------------------------------------------------------------------------------------------


def test_tampered_ledger_shows_the_red_banner_naming_the_row(shop: tuple[str, Config], browser: chromium.Browser,
                                                             tmp_path: Path) -> None:
    dialect, config = shop
    exported = tmp_path / "ledger.jsonl"
    result = cli(config, "log", "--format", "jsonl")
    _ok(result)
    rows = [json.loads(line) for line in result.output.splitlines() if line.strip()]
    victim = rows[6]
    victim["actor_by"] = "mallory"
    exported.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    page = tmp_path / "tampered.html"
    result = cli(config, "report", "--html", str(page), "--ledger", str(exported), "--dialect", dialect)
    assert result.exit_code == 1, result.output
    assert f"seq {victim['seq']}" in result.output
    b = browser
    _open(b, page)
    assert b.js("document.getElementById('banner').className") == "bad"
    assert b.js("document.getElementById('banner').getAttribute('role')") == "alert"
    first = _text(b, "#banner-first")
    assert f"Row seq {victim['seq']}" in first and "edited" in first
    assert _count(b, "#problems tr.problem") >= 1
    _shot(b, f"tampered-{dialect}", "integrity")
    _view(b, "timeline")
    flagged = b.js("[...document.querySelectorAll('#events tr.problem')].map(r => Number(r.dataset.seq))")
    assert victim["seq"] in flagged
    assert b.console == []


# ---------------------------------------------------------------------------------------------
# Without a browser: the data, the escaping, the command line
# ---------------------------------------------------------------------------------------------


def _replay(data: dict, seq: int) -> dict[str, list[str]]:
    """What the page's stateAt does: table -> column names at ``seq``."""
    s = data["s"]
    current: dict[int, int] = {}
    for at, key, version in data["tc"]:
        if at > seq:
            break
        if version < 0:
            current.pop(key, None)
        else:
            current[key] = version
    out = {}
    for key, version in current.items():
        schema, name = data["tk"][key]
        columns = [s[data["cols"][c][0]] for c in data["tv"][version][1]]
        out[(s[schema] + "." if schema is not None else "") + s[name]] = columns
    return out


def test_replayed_table_versions_are_the_fold_at_every_seq(sqlite_shop: Config) -> None:
    config = sqlite_shop
    ledger = events(config)
    data = build_report(config, dialect="sqlite")
    for seq in range(0, ledger[-1].seq + 1):
        folded = state_at(ledger, seq)
        assert _replay(data, seq) == {t.fullname: list(t.column_names) for t in folded.tables.values()}, seq


@given(st.text())
def test_embedded_data_cannot_end_its_block(text: str) -> None:
    embedded = _embed({"s": [text]})
    assert "<" not in embedded and ">" not in embedded and "&" not in embedded
    assert "\u2028" not in embedded and "\u2029" not in embedded
    assert json.loads(embedded) == {"s": [text]}


def test_render_html_keeps_only_its_own_scripts(sqlite_shop: Config) -> None:
    config = sqlite_shop
    data = build_report(config, dialect="sqlite", title="</title><script>x()</script>")
    html = render_html(data)
    assert html.count("<script") == 2
    assert "<title>&lt;/title&gt;&lt;script&gt;x()&lt;/script&gt;</title>" in html
    assert re.search(r"script-src 'sha256-[A-Za-z0-9+/=]+'", html) and "default-src 'none'" in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "https://" not in html


def test_report_command_errors_are_one_line(sqlite_shop: Config, tmp_path: Path) -> None:
    config = sqlite_shop
    page = tmp_path / "r.html"
    cases = [
        (["report", "--html", str(page), "--ledger", str(tmp_path / "missing.jsonl")], 2),
        (["report", "--html", str(page), "--from", "nonsense"], 2),
        (["report", "--html", str(page), "--from", "0008", "--to", "0001"], 1),
        (["report", "--html", str(tmp_path / "no" / "such" / "dir" / "r.html")], 1),
    ]
    exported = tmp_path / "l.jsonl"
    exported.write_text(cli(config, "log", "--format", "jsonl").output, encoding="utf-8")
    cases.append((["report", "--html", str(page), "--ledger", str(exported), "--live"], 2))
    for args, code in cases:
        result = cli(config, *args)
        assert result.exit_code == code, (args, result.output)
        # One line says what is wrong (click's usage errors add the usage above it).
        errors = [line for line in result.output.splitlines() if line.startswith(("Error: ", "schema-ledger: error: "))]
        assert "Traceback" not in result.output and len(errors) == 1, result.output


def test_from_to_limit_the_timeline_and_the_diff(sqlite_shop: Config) -> None:
    config = sqlite_shop
    ledger = events(config)
    data = build_report(config, dialect="sqlite", point_from="0002", point_to="0004")
    lo, hi = data["range"][:2]
    assert lo == max(e.seq for e in ledger if e.revision == "0002" and e.kind == "apply")
    assert hi == max(e.seq for e in ledger if e.revision == "0004" and e.kind == "apply")
    described = [op[0] for op in data["diff"]]
    assert any("create table orders" in d for d in described) and any("wishlist" in d for d in described)
    assert not any("customers (" in d and "create table" in d for d in described)


def test_an_empty_database_is_one_line(tmp_path: Path) -> None:
    config = make_project(tmp_path, f"sqlite:///{tmp_path / 'empty.db'}", {})
    engine = create_engine(config.url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE t (x INTEGER)"))
    engine.dispose()
    result = cli(config, "report", "--html", str(tmp_path / "r.html"))
    assert result.exit_code == 1 and "no ledger table" in result.output, result.output


def test_the_report_benchmark_runs(tmp_path: Path) -> None:
    if chromium.find() is None:
        message = "no chromium on PATH: `make test` and .ci/run install Debian's chromium"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    import subprocess
    import sys

    out = tmp_path / "report-bench.json"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.report", "--events", "300", "--tables", "20", "--repeat", "1",
         "--workdir", str(tmp_path), "--json", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    figures = json.loads(out.read_text())
    assert figures["events"] == 300 and figures["size_mb"] > 0 and figures["console"] == []
    assert set(figures["views"]) == {"integrity", "timeline", "revisions", "schema", "diff", "drills"}
    assert figures["diagram_boxes"] > 0


def test_an_intent_in_doubt_turns_the_banner_red(sqlite_shop: Config, browser: chromium.Browser,
                                                 tmp_path: Path) -> None:
    from ledger.storage.archive import write_jsonl
    from ledger.format.events import Actor, Event
    from ops import CreateIndexOp
    from ops.specs import IndexElement, IndexSpec

    ledger = events(sqlite_shop)
    op = CreateIndexOp("orders", IndexSpec("ix_orders_status", (IndexElement("status"),)))
    intent = Event.following(ledger[-1], kind="intent", op=op, revision="0009", message="killed mid-deploy",
                             actor=Actor("deploy", "app", "db-host", "0.1.0", "dave"))
    exported = tmp_path / "ledger.jsonl"
    with exported.open("w", encoding="utf-8") as out:
        write_jsonl([*ledger, intent], out)
    page = tmp_path / "in-doubt.html"
    result = cli(sqlite_shop, "report", "--html", str(page), "--ledger", str(exported), "--dialect", "sqlite")
    assert result.exit_code == 1 and "in doubt" in result.output, result.output
    b = browser
    _open(b, page)
    assert b.js("document.getElementById('banner').className") == "bad"
    assert f"Row seq {intent.seq}" in _text(b, "#banner-first") and "in doubt" in _text(b, "#banner-first")
    assert str(intent.seq) in _text(b, "#view-integrity")
    assert b.console == []


def test_no_ddl_leaves_the_ddl_out_and_keeps_the_ops(sqlite_shop: Config) -> None:
    full = build_report(sqlite_shop, dialect="postgresql")
    bare = build_report(sqlite_shop, dialect="postgresql", with_ddl=False)
    def changes(data: dict) -> list[list[tuple[int, list[str] | None]]]:
        return [[(c, None) if isinstance(c, int) else tuple(c) for c in rev[3]] for rev in data["revs"]]

    assert any(statements for change in changes(full) for _seq, statements in change)
    assert not any(statements for change in changes(bare) for _seq, statements in change)
    assert [[seq for seq, _ in change] for change in changes(bare)] == \
        [[seq for seq, _ in change] for change in changes(full)]
    assert bare["ev"] == full["ev"] and bare["tv"] == full["tv"]


def test_a_revision_without_ops_counts_none(browser: chromium.Browser, tmp_path: Path) -> None:
    """A revision that changes nothing (as a merge) records one apply event without an op: 0 ops, not 1."""
    config = project(tmp_path / "p", f"sqlite:///{tmp_path / 'db.sqlite'}", revisions={
        "0001": 'op.create_table("shop", sa.Column("id", sa.Integer, primary_key=True))', "0002": ""})
    _ok(cli(config, "apply", "-q"))
    assert [e.kind for e in events(config) if e.revision == "0002"] == ["apply"]
    page = tmp_path / "report.html"
    _ok(cli(config, "report", "--html", str(page)))
    found = re.search(r'<script[^>]*type="application/json"[^>]*>(.*?)</script>', page.read_text("utf-8"), re.S)
    assert found is not None
    revs = {r[0]: r for r in json.loads(found.group(1))["revs"]}
    assert revs["0002"][3] == [] and len(revs["0001"][3]) == 1
    b = browser
    _open(b, page)
    _view(b, "revisions")
    assert "0 ops, 1 run" in _text(b, "details[data-revision='0002'] summary")
    assert "1 op, 1 run" in _text(b, "details[data-revision='0001'] summary")
    assert b.console == []


@given(data=st.data())
def test_replay_equals_the_fold_for_any_history(data: st.DataObject, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Contract: the table versions the page replays are the fold at every seq, rollbacks included."""
    from ledger.storage.archive import write_jsonl
    from ledger.format.events import Actor, Event
    from ops import SchemaState
    from tests.strategies import histories

    _start, ops = data.draw(histories(start=SchemaState(), min_ops=1, max_ops=10), label="history")
    actor = Actor("os", None, "host", "0", None)
    recorded: list[Event] = []
    state = SchemaState()
    for op in ops:
        done = state.complete(op)
        recorded.append(Event.following(recorded[-1] if recorded else None, kind="apply", op=done, revision="r1",
                                        message=None, actor=actor))
        state = done.apply(state)
    undo = data.draw(st.integers(0, len(recorded)), label="reverted")
    for event in list(reversed(recorded))[:undo]:
        try:
            reverse = state.complete(event.op.reverse())
        except Exception:  # noqa: BLE001 - an op with no reverse ends the rollback here
            break
        recorded.append(Event.following(recorded[-1], kind="revert", op=reverse, revision="r1", message=None,
                                        actor=actor, reverses=event.seq))
        state = reverse.apply(state)
    path = tmp_path_factory.mktemp("replay") / "ledger.jsonl"
    with path.open("w", encoding="utf-8") as out:
        write_jsonl(recorded, out)
    report = build_report(ledger_file=path, dialect="postgresql", with_ddl=False)
    assert report["integrity"]["ok"], report["integrity"]["problems"]
    for seq in range(0, recorded[-1].seq + 1):
        folded = state_at(recorded, seq)
        assert _replay(report, seq) == {t.fullname: list(t.column_names) for t in folded.tables.values()}, seq


def test_from_to_in_the_page(sqlite_shop: Config, browser: chromium.Browser, tmp_path: Path) -> None:
    ledger = events(sqlite_shop)
    page = tmp_path / "range.html"
    _ok(cli(sqlite_shop, "report", "--html", str(page), "--from", "0002", "--to", "0004"))
    lo = max(e.seq for e in ledger if e.revision == "0002" and e.kind == "apply")
    hi = max(e.seq for e in ledger if e.revision == "0004" and e.kind == "apply")
    b = browser
    _open(b, page, "timeline")
    shown = b.js("[...document.querySelectorAll('#events tr.event')].map(r => Number(r.dataset.seq))")
    assert shown == [e.seq for e in ledger if lo < e.seq <= hi]
    b.js("document.getElementById('tl-range').click()")  # the whole ledger, on request
    assert _count(b, "#events tr.event") == len(ledger)
    _view(b, "diff")
    assert f"From @{lo}" in _text(b, "#diff-out") and _count(b, "#diff-ops li") >= 2
    assert b.console == []


def test_an_unreadable_payload_stops_the_schema_views_there(sqlite_shop: Config, browser: chromium.Browser,
                                                           tmp_path: Path) -> None:
    result = cli(sqlite_shop, "log", "--format", "jsonl")
    _ok(result)
    rows = [json.loads(line) for line in result.output.splitlines() if line.strip()]
    victim = next(row for row in rows if row["op_type"] == "create_table" and row["seq"] > 3)
    victim["payload"] = '{"type": "create_table", "v": 1, "op": {"table": "<b>not a table</b>"}}'
    exported = tmp_path / "ledger.jsonl"
    exported.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    page = tmp_path / "unreadable.html"
    result = cli(sqlite_shop, "report", "--html", str(page), "--ledger", str(exported), "--dialect", "sqlite")
    assert result.exit_code == 1, result.output
    b = browser
    _open(b, page, "timeline")
    assert b.js("document.getElementById('banner').className") == "bad"
    assert f"could not be folded past seq {victim['seq']}" in _text(b, "#banner")
    row = f"#events tr.event[data-seq='{victim['seq']}']"
    assert "UNREADABLE PAYLOAD" in _text(b, row) and "PROBLEM" in _text(b, row)
    _view(b, "schema")
    assert f"the fold stopped at seq {victim['seq']}" in _text(b, "#sc-summary")
    for view in ("revisions", "diff", "drills", "integrity"):
        _view(b, view)
    assert _count(b, "b") == 0
    assert b.console == []
