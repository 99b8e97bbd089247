(function () {
  "use strict";
  // Every text from the ledger goes into the page as a text node or an attribute value: nothing is
  // parsed as HTML (no innerHTML), so a name or a message cannot become markup or script.
  var D = JSON.parse(document.getElementById("ledger-data").textContent);
  var S = D.s;
  var EV = D.ev;
  var SEQ = 0, KIND = 1, REV = 2, OPT = 3, TBL = 4, AT = 5, OS = 6, DBU = 7, HOST = 8, BY = 9, MSG = 10,
      DESC = 11, FLAGS = 12, REVERSES = 13, RUN = 14;
  var LOSS = 1, IRREV = 2, DATA = 4, UNREAD = 8;
  var LO = D.range[0], HI = D.range[1];
  var PAGE = 200;

  // Times come as microseconds after the event before (the first: after D.t0), or as the recorded
  // text where it is not a time; here they become microseconds since the epoch, written out on demand.
  (function () {
    var t = D.t0;
    for (var i = 0; i < EV.length; i++) {
      if (typeof EV[i][AT] === "number") { t += EV[i][AT]; EV[i][AT] = t; }
    }
  })();
  function iso(us) {
    if (typeof us !== "number") return us;
    var ms = Math.floor(us / 1000);
    return new Date(ms).toISOString().slice(0, 23) + String(us - ms * 1000 + 1000).slice(1) + "Z";
  }
  function str(i) { return i === null || i === undefined ? null : S[i]; }
  function h(tag, attrs) {
    var el = document.createElement(tag);
    if (attrs) {
      for (var k in attrs) {
        if (!Object.prototype.hasOwnProperty.call(attrs, k) || attrs[k] === null || attrs[k] === undefined) continue;
        var v = attrs[k];
        if (k === "class") el.className = v;
        else if (k === "text") el.textContent = v;
        else if (k.slice(0, 2) === "on") el.addEventListener(k.slice(2), v);
        else el.setAttribute(k, String(v));
      }
    }
    for (var i = 2; i < arguments.length; i++) add(el, arguments[i]);
    return el;
  }
  function add(el) {
    for (var i = 1; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === false) continue;
      if (Array.isArray(child)) { for (var j = 0; j < child.length; j++) add(el, child[j]); continue; }
      el.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
    }
  }
  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }
  function fmt(n) { return Number(n).toLocaleString("en-US"); }
  function when(at) { return at ? at.replace("T", " ").replace(/\.\d+Z$/, "Z") : ""; }
  function short(hash, n) { return hash ? hash.slice(0, n || 12) : ""; }
  function marks(flags) {
    var out = [];
    if (flags & LOSS) out.push(h("span", { "class": "badge loss", title: "drops or may cut data" }, "DATA LOSS"));
    if (flags & IRREV) out.push(h("span", { "class": "badge irrev", title: "has no known reverse" }, "IRREVERSIBLE"));
    if (flags & DATA) out.push(h("span", { "class": "badge data", title: "changes rows, not the schema" }, "DATA CHANGE"));
    if (flags & UNREAD) out.push(h("span", { "class": "badge bad" }, "UNREADABLE PAYLOAD"));
    return out;
  }
  function who(e) { return whoOf(str(e[BY]), str(e[OS]), str(e[DBU]), str(e[HOST])); }
  function whoOf(by, os, db, host) {
    var parts = [];
    if (os) parts.push("os " + os);
    if (db) parts.push("db " + db);
    if (host) parts.push("host " + host);
    return (by ? by + " " : "") + "(" + parts.join(", ") + ")";
  }
  function inRange(e) { return e[SEQ] > LO && e[SEQ] <= HI; }

  var integ = D.integrity;
  var problemSeqs = {};
  integ.problems.forEach(function (p) { if (p.seq !== null) problemSeqs[p.seq] = true; });

  // ---------------------------------------------------------------------------------------------
  // Header and banner
  // ---------------------------------------------------------------------------------------------
  add(document.getElementById("meta"), [
    "Source: ", h("span", { "class": "mono" }, D.source), " \u00b7 dialect ", D.dialect, " \u00b7 ",
    fmt(integ.events), " events \u00b7 range @" + LO + " (" + D.range[2] + ") to @" + HI + " (" + D.range[3] + ")",
    " \u00b7 generated " + D.generated + " by schema-ledger " + D.tool,
  ]);
  (function banner() {
    var b = document.getElementById("banner");
    var head = integ.head;
    if (!integ.ok) {
      b.className = "bad";
      b.setAttribute("role", "alert");
      var first = integ.problems[0];
      add(b, h("p", null, "\u2717 INTEGRITY PROBLEM: " + integ.problems.length + " problem" +
        (integ.problems.length === 1 ? "" : "s") + " found. Do not trust this history until it is explained."));
      add(b, h("p", { id: "banner-first" }, (first.seq !== null ? "Row seq " + first.seq + ": " + first.message.replace(/^seq \d+: /, "") : first.message)));
      if (integ.problems.length > 1) add(b, h("p", null, "\u2026and " + (integ.problems.length - 1) + " more: see ",
        h("a", { href: "#integrity" }, "Integrity"), "."));
    } else {
      b.className = "good";
      b.setAttribute("role", "status");
      add(b, h("p", null, "\u2713 INTEGRITY OK: the hash chain verifies over " + fmt(integ.events) + " events" +
        (integ.checksums ? ", migration files match their recorded checksums" : "") +
        (integ.live ? ", the live schema matches the ledger" : "") + "."));
    }
    if (head) add(b, h("p", { "class": "mono" }, "Head: seq " + head[0] + ", hash " + head[1]));
    if (integ.fold_stopped !== null) add(b, h("p", null, "The schema could not be folded past seq " + integ.fold_stopped +
      ": schema views stop there."));
  })();

  // ---------------------------------------------------------------------------------------------
  // Views and navigation (the location hash names the view; each view is drawn on first visit)
  // ---------------------------------------------------------------------------------------------
  var views = {};
  var drawn = {};
  function show(name) {
    if (!views[name]) name = "integrity";
    var links = document.querySelectorAll("#tabs a");
    for (var i = 0; i < links.length; i++) {
      if (links[i].getAttribute("data-view") === name) links[i].setAttribute("aria-current", "page");
      else links[i].removeAttribute("aria-current");
    }
    for (var v in views) document.getElementById("view-" + v).hidden = v !== name;
    if (!drawn[name]) { drawn[name] = true; views[name](document.getElementById("view-" + name)); }
  }
  function go(name) {
    show(name);
    if (location.hash !== "#" + name) location.hash = name;
    document.getElementById("h-" + name).focus();
  }
  window.addEventListener("hashchange", function () { show(location.hash.slice(1)); });

  // ---------------------------------------------------------------------------------------------
  // Integrity
  // ---------------------------------------------------------------------------------------------
  views.integrity = function (root) {
    var head = integ.head;
    var checked = ["hash chain", "payloads"];
    if (integ.checksums) checked.push("migration file checksums");
    if (integ.live) checked.push("live schema");
    add(root, h("dl", { "class": "facts" },
      h("dt", null, "Verdict"), h("dd", { id: "verdict" }, integ.ok ? "OK: no problem found" : "PROBLEMS: " + integ.problems.length),
      h("dt", null, "Events"), h("dd", null, fmt(integ.events)),
      h("dt", null, "Head seq"), h("dd", { id: "head-seq" }, head ? String(head[0]) : "empty ledger"),
      h("dt", null, "Head hash"), h("dd", { "class": "mono", id: "head-hash" }, head ? head[1] : "-"),
      h("dt", null, "Head recorded"), h("dd", null, head ? when(head[2]) : "-"),
      h("dt", null, "Checked"), h("dd", null, checked.join(", ")),
      h("dt", null, "Compare"), h("dd", null, "Write the head hash down elsewhere; `schema-ledger verify --expect-head HASH` proves later that nothing after it was cut or rewritten.")
    ));
    add(root, h("h3", null, "Problems"));
    if (!integ.problems.length) add(root, h("p", null, "None."));
    else {
      var tb = h("tbody");
      integ.problems.forEach(function (p, i) {
        add(tb, h("tr", { "class": "problem", id: "problem-" + i },
          h("td", null, p.kind), h("td", null, p.seq === null ? "-" : h("button", { "class": "link", onclick: function () { timelineSearch("@" + p.seq); } }, "seq " + p.seq)),
          h("td", null, p.object || "-"), h("td", null, p.message)));
      });
      add(root, h("table", { id: "problems" }, h("caption", null, "Each problem names its row (seq) or object"),
        h("thead", null, h("tr", null, h("th", null, "Kind"), h("th", null, "Row"), h("th", null, "Object"), h("th", null, "Problem"))), tb));
    }
    add(root, h("h3", null, "Intents in doubt"));
    add(root, h("p", null, integ.in_doubt.length ? "Seq " + integ.in_doubt.join(", ") + ": an operation began and its outcome was not recorded (run `schema-ledger recover`)." : "None."));
    add(root, h("h3", null, "Migration file checksums"));
    if (!integ.checksums) add(root, h("p", null, "Not checked: the migration files were not at hand when the report was written."));
    else {
      var cb = h("tbody");
      integ.checksums.forEach(function (c) {
        var verdict = c[4] === null ? "not applied" : c[4] ? "ok" : c[1] === null ? "FILE MISSING" : "CHANGED SINCE APPLIED";
        add(cb, h("tr", { "class": c[4] === false ? "problem" : null }, h("td", null, c[0]), h("td", { "class": "mono" }, c[1] || "-"),
          h("td", { "class": "mono" }, short(c[2])), h("td", { "class": "mono" }, short(c[3])), h("td", null, verdict)));
      });
      add(root, h("table", { id: "checksums" }, h("thead", null, h("tr", null, h("th", null, "Revision"), h("th", null, "File"),
        h("th", null, "File checksum"), h("th", null, "Recorded"), h("th", null, "Result"))), cb));
    }
    add(root, h("h3", null, "Drift (live schema against the ledger)"));
    if (!integ.live_asked) add(root, h("p", null, "Not compared: write the report with --live to compare the live database."));
    else if (!integ.drift) add(root, h("p", null, integ.live ? "None: the live schema is the fold of the ledger." : "Not compared: the ledger does not fold."));
    else add(root, h("ul", { id: "drift" }, integ.drift.map(function (l) { return h("li", null, l); })));
  };

  // ---------------------------------------------------------------------------------------------
  // Timeline
  // ---------------------------------------------------------------------------------------------
  var tl = null;
  function timelineSearch(text) {
    go("timeline");
    tl.search.value = text;
    tl.page = 0;
    tl.apply();
  }
  views.timeline = function (root) {
    var tables = {}, people = {}, kinds = {};
    EV.forEach(function (e) {
      if (e[TBL] !== null) tables[str(e[TBL])] = true;
      [e[BY], e[OS], e[DBU]].forEach(function (p) { if (p !== null) people[str(p)] = true; });
      kinds[str(e[KIND])] = true;
    });
    function options(map, all) {
      return [h("option", { value: "" }, all)].concat(Object.keys(map).sort().map(function (k) { return h("option", { value: k }, k); }));
    }
    var search = h("input", { type: "search", id: "tl-search", placeholder: "text, or @SEQ", "aria-describedby": "tl-help" });
    var table = h("select", { id: "tl-table" }, options(tables, "all tables"));
    var whoSel = h("select", { id: "tl-person" }, options(people, "everyone"));
    var kind = h("select", { id: "tl-kind" }, options(kinds, "every kind"));
    var rangeBox = h("input", { type: "checkbox", id: "tl-range", checked: "checked" });
    add(root, h("div", { "class": "controls", role: "search" },
      h("label", null, "Search", search), h("label", null, "Table", table), h("label", null, "Person (--by, OS or database user)", whoSel),
      h("label", null, "Kind", kind), h("label", null, h("span", null, "Only @" + LO + " to @" + HI), rangeBox)));
    add(root, h("p", { id: "tl-help", "class": "muted" }, "Events oldest first, grouped into runs (one revision, one direction, one person, one message). Press / to search."));
    var status = h("p", { id: "tl-status", "aria-live": "polite" });
    var prev = h("button", { type: "button" }, "\u2190 Previous"), next = h("button", { type: "button" }, "Next \u2192");
    var pager = h("div", { "class": "pager" }, prev, next, status);
    var body = h("tbody");
    add(root, pager);
    add(root, h("table", { id: "events" }, h("thead", null, h("tr", null, h("th", { scope: "col" }, "Seq"), h("th", { scope: "col" }, "When (UTC)"),
      h("th", { scope: "col" }, "Kind"), h("th", { scope: "col" }, "Revision"), h("th", { scope: "col" }, "What"),
      h("th", { scope: "col" }, "Who"), h("th", { scope: "col" }, "Why"))), body));
    var hay = null;
    tl = { search: search, page: 0, rows: [] };
    tl.apply = function () {
      var q = search.value.trim().toLowerCase(), t = table.value, p = whoSel.value, k = kind.value, ranged = rangeBox.checked;
      var seqOnly = /^@\d+$/.test(q) ? Number(q.slice(1)) : null;
      if (q && seqOnly === null && !hay) {
        hay = EV.map(function (e) {
          return [e[SEQ], str(e[KIND]), str(e[REV]), str(e[OPT]), str(e[TBL]), iso(e[AT]), str(e[OS]), str(e[DBU]), str(e[HOST]),
            str(e[BY]), str(e[MSG]), str(e[DESC])].join("\u0001").toLowerCase();
        });
      }
      var rows = [];
      for (var i = 0; i < EV.length; i++) {
        var e = EV[i];
        if (seqOnly !== null) { if (e[SEQ] === seqOnly) rows.push(i); continue; }
        if (ranged && !inRange(e)) continue;
        if (t && str(e[TBL]) !== t) continue;
        if (p && str(e[BY]) !== p && str(e[OS]) !== p && str(e[DBU]) !== p) continue;
        if (k && str(e[KIND]) !== k) continue;
        if (q && hay[i].indexOf(q) < 0) continue;
        rows.push(i);
      }
      tl.rows = rows;
      draw();
    };
    function runHeader(e) {
      var r = e[RUN];
      return h("tr", { "class": "run" }, h("th", { colspan: "7", scope: "rowgroup" },
        "Run " + (r + 1) + " \u00b7 " + (runs()[r].kind || str(e[KIND])) + (e[REV] !== null ? " of revision " + str(e[REV]) : "") +
        " \u00b7 " + who(e) + " \u00b7 " + when(iso(e[AT])) + (runs()[r].why !== null ? " \u00b7 \u201c" + str(runs()[r].why) + "\u201d" : "")));
    }
    function draw() {
      var rows = tl.rows, pages = Math.max(1, Math.ceil(rows.length / PAGE));
      if (tl.page >= pages) tl.page = pages - 1;
      var start = tl.page * PAGE, end = Math.min(rows.length, start + PAGE);
      clear(body);
      var lastRun = -1;
      var frag = document.createDocumentFragment();
      for (var i = start; i < end; i++) {
        var e = EV[rows[i]];
        if (e[RUN] !== lastRun) { frag.appendChild(runHeader(e)); lastRun = e[RUN]; }
        var bad = problemSeqs[e[SEQ]];
        frag.appendChild(h("tr", { "class": bad ? "problem event" : "event", "data-seq": e[SEQ] },
          h("td", { "class": "seq" }, bad ? h("span", { "class": "badge bad" }, "PROBLEM") : null, String(e[SEQ]), " ",
            h("button", { type: "button", "class": "link schema-at", "aria-label": "schema at seq " + e[SEQ], onclick: schemaAt(e[SEQ]) }, "schema")),
          h("td", { "class": "mono", title: iso(e[AT]) }, when(iso(e[AT]))),
          h("td", null, str(e[KIND]), e[REVERSES] !== null ? " (undoes " + e[REVERSES] + ")" : ""),
          h("td", null, str(e[REV]) || "-"),
          h("td", null, str(e[DESC]) || str(e[OPT]) || "", marks(e[FLAGS])),
          h("td", null, who(e)),
          h("td", null, str(e[MSG]) || "")));
      }
      body.appendChild(frag);
      status.textContent = rows.length ? "Events " + fmt(start + 1) + "\u2013" + fmt(end) + " of " + fmt(rows.length) +
        " (page " + (tl.page + 1) + " of " + pages + ")" : "No event matches.";
      prev.disabled = tl.page === 0;
      next.disabled = tl.page >= pages - 1;
    }
    function schemaAt(seq) { return function () { schemaPoint(seq); }; }
    prev.addEventListener("click", function () { tl.page--; draw(); });
    next.addEventListener("click", function () { tl.page++; draw(); });
    var timer = null;
    search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { tl.page = 0; tl.apply(); }, 150); });
    [table, whoSel, kind, rangeBox].forEach(function (c) { c.addEventListener("change", function () { tl.page = 0; tl.apply(); }); });
    tl.apply();
  };

  // ---------------------------------------------------------------------------------------------
  // Revisions
  // ---------------------------------------------------------------------------------------------
  var bySeq = null;
  function eventAt(seq) {
    if (!bySeq) { bySeq = {}; EV.forEach(function (e, i) { bySeq[e[SEQ]] = i; }); }
    var i = bySeq[seq];
    return i === undefined ? null : EV[i];
  }
  var runInfo = null;
  function runs() {
    if (runInfo) return runInfo;
    runInfo = {};
    EV.forEach(function (e) {
      var r = runInfo[e[RUN]];
      if (!r) r = runInfo[e[RUN]] = { first: e, last: e, count: 0, kind: null, why: undefined };
      r.last = e; r.count++;
      // the run's why: the first message without a note of the Alembic hook before it ("[data change] ...")
      if (r.why === undefined && !/^\[[a-z][A-Za-z -]*\] /.test(str(e[MSG]))) r.why = e[MSG];
      var k = str(e[KIND]);
      if (k !== "intent" && k !== "abandon" && k !== "alembic") r.kind = k;
    });
    Object.keys(runInfo).forEach(function (n) { if (runInfo[n].why === undefined) runInfo[n].why = runInfo[n].first[MSG]; });
    return runInfo;
  }
  views.revisions = function (root) {
    var all = D.revs.map(function (r) {
      return { id: r[0], title: r[1], runs: r[2], in_effect: r[4] === 1,
        change: r[3].map(function (c) { return typeof c === "number" ? [c, null] : c; }) };
    }).filter(function (r) {
      return r.runs.some(function (n) { var x = runs()[n]; return x.last[SEQ] > LO && x.first[SEQ] <= HI; });
    });
    var expand = h("button", { type: "button", id: "rev-expand" }, "Open all on this page");
    var filter = h("input", { type: "search", id: "rev-filter", placeholder: "revision or title" });
    add(root, h("div", { "class": "controls" }, h("label", null, "Revisions matching", filter), expand));
    add(root, h("p", { "class": "muted" }, all.length + " revisions; each shows its runs and, as its change, the ops and " + D.dialect + " DDL of its latest apply."));
    var status = h("p", { id: "rev-status", "aria-live": "polite" });
    var prev = h("button", { type: "button" }, "\u2190 Previous"), next = h("button", { type: "button" }, "Next \u2192");
    add(root, h("div", { "class": "pager" }, prev, next, status));
    var list = h("div", { id: "revision-list" });
    add(root, list);
    var page = 0, shown = all, PER = 100;
    function draw() {
      var pages = Math.max(1, Math.ceil(shown.length / PER));
      if (page >= pages) page = pages - 1;
      clear(list);
      var frag = document.createDocumentFragment();
      shown.slice(page * PER, page * PER + PER).forEach(function (r) { frag.appendChild(item(r)); });
      list.appendChild(frag);
      status.textContent = shown.length ? "Revisions " + fmt(page * PER + 1) + "\u2013" + fmt(Math.min(shown.length, page * PER + PER)) +
        " of " + fmt(shown.length) + " (page " + (page + 1) + " of " + pages + ")" : "No revision matches.";
      prev.disabled = page === 0;
      next.disabled = page >= pages - 1;
    }
    prev.addEventListener("click", function () { page--; draw(); });
    next.addEventListener("click", function () { page++; draw(); });
    var timer = null;
    filter.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = filter.value.trim().toLowerCase();
        shown = q ? all.filter(function (r) { return (r.id + "\u0001" + (r.title || "")).toLowerCase().indexOf(q) >= 0; }) : all;
        page = 0;
        draw();
      }, 150);
    });
    function item(r) {
      var info = runs();
      var lastApply = null;
      r.runs.forEach(function (n) { if (info[n].kind === "apply" || info[n].kind === "baseline") lastApply = info[n]; });
      var title = r.title || (lastApply && lastApply.why !== null ? str(lastApply.why) : "");
      var flags = 0;
      r.change.forEach(function (c) { var e = eventAt(c[0]); if (e) flags |= e[FLAGS]; });
      var d = h("details", { "class": "revision", "data-revision": r.id },
        h("summary", null, h("strong", null, r.id), " ", title ? "\u2014 " + title + " " : "",
          h("span", { "class": "badge " + (r.in_effect ? "good" : "") }, r.in_effect ? "IN EFFECT" : "NOT IN EFFECT"),
          " " + r.change.length + " op" + (r.change.length === 1 ? "" : "s") + ", " + r.runs.length + " run" + (r.runs.length === 1 ? "" : "s"),
          marks(flags & (LOSS | IRREV | DATA))));
      var filled = false;
      function fill() {
        if (filled) return;
        filled = true;
        var rb = h("tbody");
        r.runs.forEach(function (n) {
          var x = info[n];
          add(rb, h("tr", null, h("td", null, x.kind || "intent"), h("td", { "class": "mono" }, when(iso(x.first[AT]))),
            h("td", null, "@" + x.first[SEQ] + "\u2013@" + x.last[SEQ] + " (" + x.count + ")"), h("td", null, who(x.first)),
            h("td", null, str(x.why) || "")));
        });
        add(d, h("table", null, h("caption", null, "Runs"), h("thead", null, h("tr", null, h("th", null, "Kind"), h("th", null, "When"),
          h("th", null, "Seqs"), h("th", null, "Who"), h("th", null, "Why"))), rb));
        var ob = h("tbody"), sql = [];
        r.change.forEach(function (c) {
          var e = eventAt(c[0]);
          add(ob, h("tr", null, h("td", null, String(c[0])), h("td", null, e ? str(e[DESC]) : "", e ? marks(e[FLAGS]) : null)));
          if (c[1] && c[1].length) {
            var prefix = (e && e[FLAGS] & LOSS ? "-- DATA LOSS: " : e && e[FLAGS] & IRREV ? "-- IRREVERSIBLE: " : "-- ") + (e ? str(e[DESC]) : "");
            sql.push(prefix.replace(/\n/g, " ") + "\n" + c[1].map(function (s) { return s.replace(/;\s*$/, "") + ";"; }).join("\n"));
          }
        });
        add(d, h("table", null, h("caption", null, "Ops (latest apply)"), h("thead", null, h("tr", null, h("th", null, "Seq"), h("th", null, "Operation"))), ob));
        add(d, h("h4", null, "DDL (" + D.dialect + ")"));
        add(d, h("pre", { "class": "ddl" }, h("code", null, sql.length ? sql.join("\n\n") :
          D.ddl ? "-- no DDL (nothing applied, or data changes only)" : "-- DDL left out of this report (--no-ddl)")));
      }
      d.addEventListener("toggle", fill);
      d.fill = fill;
      return d;
    }
    draw();
    expand.addEventListener("click", function () {
      var all = list.querySelectorAll("details.revision");
      for (var i = 0; i < all.length; i++) { all[i].fill(); all[i].open = true; }
    });
  };

  // ---------------------------------------------------------------------------------------------
  // Schema states: replay the table changes (tc) up to a seq
  // ---------------------------------------------------------------------------------------------
  var TK = D.tk, COLS = D.cols, TV = D.tv, TC = D.tc;
  function stateAt(seq) {
    var map = {};
    for (var i = 0; i < TC.length && TC[i][0] <= seq; i++) {
      if (TC[i][2] < 0) delete map[TC[i][1]]; else map[TC[i][1]] = TC[i][2];
    }
    return map;
  }
  function tableName(k) { var key = TK[k]; return (key[0] !== null ? str(key[0]) + "." : "") + str(key[1]); }
  function sortedKeys(map) {
    return Object.keys(map).map(Number).sort(function (a, b) { var x = tableName(a), y = tableName(b); return x < y ? -1 : x > y ? 1 : 0; });
  }
  var points = null;
  function runPoints() {
    if (points) return points;
    points = { list: [], revEnd: {} };
    var info = runs(), seen = {};
    Object.keys(info).map(Number).sort(function (a, b) { return a - b; }).forEach(function (n) {
      var x = info[n];
      if (x.kind !== "apply" && x.kind !== "revert" && x.kind !== "baseline") return;
      var seq = x.last[SEQ];
      if (x.kind !== "revert" && x.first[REV] !== null) points.revEnd[str(x.first[REV])] = seq;
      if (seen[seq]) return;
      seen[seq] = true;
      points.list.push([seq, x]);
    });
    return points;
  }
  // A select of the runs' end points near the selected one (a long ledger has tens of thousands),
  // with base and head; the text box next to it reaches every revision and every seq.
  function pointOptions(selected) {
    var NEAR = 150;
    var list = runPoints().list;
    var at = 0;
    while (at < list.length && list[at][0] < selected) at++;
    var from = Math.max(0, at - NEAR), to = Math.min(list.length, at + NEAR);
    var opts = [h("option", { value: "0" }, "base (@0, before every event)")];
    if (from > 0) opts.push(h("option", { value: "", disabled: "disabled" }, "\u2026 " + fmt(from) + " earlier runs: type a revision or @SEQ"));
    list.slice(from, to).forEach(function (p) {
      var x = p[1];
      opts.push(h("option", { value: String(p[0]) }, "@" + p[0] + " after " + x.kind + " of " + (str(x.first[REV]) || "(no revision)") + ", " + when(iso(x.first[AT]))));
    });
    if (to < list.length) opts.push(h("option", { value: "", disabled: "disabled" }, "\u2026 " + fmt(list.length - to) + " later runs: type a revision or @SEQ"));
    var head = EV.length ? EV[EV.length - 1][SEQ] : 0;
    if (head && !opts.some(function (o) { return o.value === String(head); })) opts.push(h("option", { value: String(head) }, "@" + head + " head"));
    if (!opts.some(function (o) { return o.value === String(selected); })) {
      opts.push(h("option", { value: String(selected) }, "@" + selected + " (event)"));
    }
    opts.forEach(function (o) { if (o.value === String(selected)) o.selected = true; });
    return opts;
  }
  // "@12", "base", "head", a revision id, or "12" when no revision has that id -> a seq; null when it names nothing.
  function parsePoint(text) {
    var v = text.trim();
    var head = EV.length ? EV[EV.length - 1][SEQ] : 0;
    if (v === "base") return 0;
    if (v === "head" || v === "@head") return head;
    var end = v.charAt(0) === "@" ? undefined : runPoints().revEnd[v];  // as on the command line: @N is a seq
    if (end !== undefined) return end;
    if (/^@?\d+$/.test(v)) { var n = Number(v.replace("@", "")); return n <= head ? n : null; }
    return null;
  }
  function pointBox(id, label, value, onPoint) {
    var input = h("input", { type: "text", id: id, value: "@" + value, spellcheck: "false", "aria-describedby": id + "-help" });
    var help = h("span", { id: id + "-help", "class": "muted" }, "");
    input.addEventListener("change", function () {
      var seq = parsePoint(input.value);
      if (seq === null) { input.setAttribute("aria-invalid", "true"); help.textContent = "not a revision or @SEQ of this ledger"; return; }
      input.removeAttribute("aria-invalid");
      help.textContent = "";
      onPoint(seq);
    });
    return { input: input, label: h("label", null, label, input, help) };
  }
  function describePoint(seq) {
    if (seq === 0) return "base";
    var e = eventAt(seq);
    return "@" + seq + (e ? " (" + str(e[KIND]) + (e[REV] !== null ? " of " + str(e[REV]) : "") + ", " + when(iso(e[AT])) + ")" : "");
  }
  function colText(c) {
    var col = COLS[c];
    return { name: str(col[0]), type: str(col[1]), nullable: col[2] === 1, dflt: str(col[3]), comment: str(col[4]), extra: str(col[5]) };
  }

  var sc = null, firstPoint = null;
  function schemaPoint(seq) {
    if (!sc) firstPoint = seq;  // the view is drawn once, at this point
    go("schema");
    if (sc.current() !== seq) sc.setPoint(seq);
  }
  views.schema = function (root) {
    var sel = h("select", { id: "sc-point" });
    var box = pointBox("sc-seq", "or a revision, or an event (@SEQ)", HI, function (seq) { sc.setPoint(seq); });
    var seqIn = box.input;
    var filter = h("input", { type: "search", id: "sc-filter", placeholder: "table name" });
    var both = h("div", { "class": "controls" }, h("label", null, "Point (a revision's run)", sel), box.label,
      h("label", null, "Tables matching", filter));
    add(root, both);
    var summary = h("p", { id: "sc-summary", "aria-live": "polite" });
    var diagram = h("div", { "class": "diagram", id: "diagram" });
    var list = h("div", { "class": "tables-list", id: "sc-tables" });
    var columnsBox = h("input", { type: "checkbox", id: "sc-columns" });
    var columnsLabel = h("label", { "class": "muted" }, columnsBox, " draw every column of all the tables (slow for hundreds)");
    columnsBox.addEventListener("change", function () { drawState(); });
    add(root, summary, h("h3", null, "Entity-relationship diagram"), columnsLabel, diagram, h("h3", null, "Tables"), list);
    var current = firstPoint !== null ? firstPoint : HI;
    sc = { current: function () { return current; } };
    sc.setPoint = function (seq) {
      current = seq;
      clear(sel); add(sel, pointOptions(seq));
      seqIn.value = "@" + seq;
      drawState();
    };
    function drawState() {
      var map = stateAt(current);
      var q = filter.value.trim().toLowerCase();
      var keys = sortedKeys(map);
      var shown = q ? keys.filter(function (k) { return tableName(k).toLowerCase().indexOf(q) >= 0; }) : keys;
      summary.textContent = keys.length + " table" + (keys.length === 1 ? "" : "s") + " at " + describePoint(current) +
        (q ? "; " + shown.length + " match \u201c" + filter.value + "\u201d" : "") +
        (integ.fold_stopped !== null && current >= integ.fold_stopped ? " (the fold stopped at seq " + integ.fold_stopped + ")" : "");
      clear(diagram);
      diagram.appendChild(erDiagram(map, shown, q, columnsBox.checked));
      columnsLabel.hidden = shown.length <= COMPACT;
      clear(list);
      var limit = 50;
      function more(from) {
        var frag = document.createDocumentFragment();
        shown.slice(from, from + limit).forEach(function (k) { frag.appendChild(tableSection(k, map[k])); });
        list.appendChild(frag);
        if (from + limit < shown.length) {
          var b = h("button", { type: "button" }, "Show " + Math.min(limit, shown.length - from - limit) + " more tables");
          b.addEventListener("click", function () { list.removeChild(b); more(from + limit); });
          list.appendChild(b);
        }
      }
      more(0);
    }
    sel.addEventListener("change", function () { sc.setPoint(Number(sel.value)); });
    var timer = null;
    filter.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(drawState, 150); });
    sc.setPoint(current);
  };

  function tableSection(k, v) {
    var t = TV[v], name = tableName(k);
    var pk = t[2] ? t[2][1].map(str) : [];
    var fkCols = {};
    t[3].forEach(function (f) { f[1].forEach(function (c) { fkCols[str(c)] = true; }); });
    var body = h("tbody");
    t[1].forEach(function (c) {
      var col = colText(c);
      var keys = [];
      if (pk.indexOf(col.name) >= 0) keys.push("PK");
      if (fkCols[col.name]) keys.push("FK");
      add(body, h("tr", null, h("td", { "class": "mono" }, col.name), h("td", { "class": "mono" }, col.type),
        h("td", null, col.nullable ? "NULL" : "NOT NULL"), h("td", { "class": "mono" }, col.dflt || ""),
        h("td", null, keys.join(", ")), h("td", null, [col.extra, col.comment].filter(Boolean).join("; "))));
    });
    var items = [];
    if (t[2]) items.push("primary key " + (str(t[2][0]) || "(unnamed)") + " (" + pk.join(", ") + ")");
    t[3].forEach(function (f) {
      items.push("foreign key " + (str(f[0]) || "(unnamed)") + " (" + f[1].map(str).join(", ") + ") \u2192 " +
        (f[2] !== null ? str(f[2]) + "." : "") + str(f[3]) + " (" + f[4].map(str).join(", ") + ")" +
        (f[5] !== null ? " ON DELETE " + str(f[5]) : "") + (f[6] !== null ? " ON UPDATE " + str(f[6]) : ""));
    });
    t[4].forEach(function (u) { items.push("unique " + (str(u[0]) || "(unnamed)") + " (" + u[1].map(str).join(", ") + ")"); });
    t[5].forEach(function (c) { items.push("check " + (str(c[0]) || "(unnamed)") + ": " + str(c[1])); });
    t[6].forEach(function (i) { items.push((i[2] ? "unique index " : "index ") + (str(i[0]) || "(unnamed)") + " (" + i[1].map(str).join(", ") + ")"); });
    return h("section", { "class": "table", "data-table": name },
      h("h3", null, name, t[7] !== null ? h("span", { "class": "muted" }, " \u2014 " + str(t[7])) : null),
      h("table", null, h("thead", null, h("tr", null, h("th", null, "Column"), h("th", null, "Type"), h("th", null, "Null"),
        h("th", null, "Default"), h("th", null, "Key"), h("th", null, "Notes"))), body),
      items.length ? h("ul", null, items.map(function (x) { return h("li", { "class": "mono" }, x); })) : null);
  }

  // ---------------------------------------------------------------------------------------------
  // The ER diagram, drawn as SVG: tables in a grid, related tables side by side (breadth-first
  // along foreign keys), one path per foreign key.
  // ---------------------------------------------------------------------------------------------
  var NS = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, text) {
    var el = document.createElementNS(NS, tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) el.setAttribute(k, String(attrs[k]));
    if (text !== undefined) el.textContent = text;
    return el;
  }
  var COMPACT = 60;
  function erDiagram(map, shown, q, full) {
    var byName = {};
    Object.keys(map).forEach(function (k) { byName[tableName(Number(k))] = Number(k); });
    var want = {};
    shown.forEach(function (k) { want[k] = true; });
    var edges = [];
    Object.keys(map).forEach(function (k) {
      k = Number(k);
      TV[map[k]][3].forEach(function (f) {
        var target = byName[(f[2] !== null ? str(f[2]) + "." : "") + str(f[3])];
        if (target !== undefined) edges.push([k, target, f]);
      });
    });
    if (q) edges.forEach(function (e) { if (want[e[0]] || want[e[1]]) { want[e[0]] = true; want[e[1]] = true; } });
    var keys = sortedKeys(map).filter(function (k) { return want[k]; });
    var root = svg("svg", { role: "img", "aria-labelledby": "er-title", xmlns: NS });
    root.appendChild(svg("title", { id: "er-title" }, "Entity-relationship diagram: " + keys.length + " tables, " + edges.length + " foreign keys"));
    if (!keys.length) { root.setAttribute("width", 300); root.setAttribute("height", 30); root.appendChild(svg("text", { x: 8, y: 20 }, "no tables")); return root; }
    var adj = {};
    edges.forEach(function (e) { (adj[e[0]] = adj[e[0]] || []).push(e[1]); (adj[e[1]] = adj[e[1]] || []).push(e[0]); });
    var order = [], seen = {};
    keys.forEach(function (k) {
      if (seen[k]) return;
      var queue = [k]; seen[k] = true;
      while (queue.length) {
        var x = queue.shift(); order.push(x);
        (adj[x] || []).forEach(function (y) { if (!seen[y] && want[y]) { seen[y] = true; queue.push(y); } });
      }
    });
    // A big diagram shows each table's name and size only (thousands of column lines make the
    // page slow to lay out and the picture unreadable); filtering, or the box, shows columns.
    var compact = keys.length > COMPACT && !full;
    var MAXCOLS = compact ? 0 : 24, LINE = 16, HEAD = 22, GAP = compact ? 40 : 60, CH = 7.3;
    var boxes = {};
    order.forEach(function (k) {
      var t = TV[map[k]];
      var pk = t[2] ? t[2][1].map(str) : [];
      var fkCols = {};
      t[3].forEach(function (f) { f[1].forEach(function (c) { fkCols[str(c)] = true; }); });
      var lines = t[1].slice(0, MAXCOLS).map(function (c) {
        var col = colText(c);
        var mark = (pk.indexOf(col.name) >= 0 ? "PK" : "") + (fkCols[col.name] ? "FK" : "");
        return [mark, col.name + " " + col.type + (col.nullable ? "" : " NOT NULL")];
      });
      if (compact) lines.push(["", t[1].length + " columns" + (t[3].length ? ", " + t[3].length + " FK" : "")]);
      else if (t[1].length > MAXCOLS) lines.push(["", "\u2026 " + (t[1].length - MAXCOLS) + " more columns"]);
      var widest = tableName(k).length;
      lines.forEach(function (l) { widest = Math.max(widest, l[1].length + 5); });
      boxes[k] = { w: Math.min(340, Math.max(140, Math.ceil(widest * CH) + 16)), h: HEAD + lines.length * LINE + 6, lines: lines };
    });
    var perRow = Math.max(1, Math.ceil(Math.sqrt(order.length * 1.4)));
    var x = GAP / 2, y = GAP / 2, rowH = 0, width = 0, col = 0;
    order.forEach(function (k) {
      var b = boxes[k];
      if (col === perRow) { col = 0; x = GAP / 2; y += rowH + GAP; rowH = 0; }
      b.x = x; b.y = y; x += b.w + GAP; rowH = Math.max(rowH, b.h); width = Math.max(width, x); col++;
    });
    var height = y + rowH + GAP / 2;
    root.setAttribute("width", Math.ceil(width));
    root.setAttribute("height", Math.ceil(height));
    root.setAttribute("viewBox", "0 0 " + Math.ceil(width) + " " + Math.ceil(height));
    var defs = svg("defs", {});
    var marker = svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 8, markerHeight: 8, orient: "auto-start-reverse" });
    marker.appendChild(svg("path", { d: "M0,0 L10,5 L0,10 z", fill: "#5a6b85" }));
    defs.appendChild(marker);
    root.appendChild(defs);
    var links = svg("g", { "class": "links" });
    root.appendChild(links);
    edges.forEach(function (e) {
      var a = boxes[e[0]], b = boxes[e[1]];
      if (!a || !b) return;
      var f = e[2], path;
      if (a === b) {
        path = "M" + (a.x + a.w) + "," + (a.y + 12) + " c40,0 40,30 0,30";
      } else {
        var right = b.x + b.w / 2 >= a.x + a.w / 2;
        var x1 = right ? a.x + a.w : a.x, y1 = a.y + HEAD / 2;
        var x2 = right ? b.x : b.x + b.w, y2 = b.y + HEAD / 2;
        if (Math.abs((a.x + a.w / 2) - (b.x + b.w / 2)) < 1) { x1 = a.x + a.w; x2 = b.x + b.w; right = true; }
        var dx = Math.max(30, Math.abs(x2 - x1) / 3) * (right ? 1 : -1);
        path = "M" + x1 + "," + y1 + " C" + (x1 + dx) + "," + y1 + " " + (x2 - dx) + "," + y2 + " " + x2 + "," + y2;
      }
      var p = svg("path", { "class": "fk", d: path, "marker-end": "url(#arrow)" });
      p.appendChild(svg("title", {}, tableName(e[0]) + " (" + f[1].map(str).join(", ") + ") references " + tableName(e[1]) + " (" + f[4].map(str).join(", ") + ")"));
      links.appendChild(p);
    });
    order.forEach(function (k) {
      var b = boxes[k], name = tableName(k);
      var g = svg("g", { "class": "entity" + (q && name.toLowerCase().indexOf(q) >= 0 ? " hit" : ""), transform: "translate(" + b.x + "," + b.y + ")",
        tabindex: compact ? -1 : 0, role: "group", "aria-label": "table " + name + ", " + TV[map[k]][1].length + " columns", "data-table": name });
      g.appendChild(svg("rect", { "class": "box", width: b.w, height: b.h }));
      g.appendChild(svg("rect", { "class": "head", width: b.w, height: HEAD }));
      var label = name.length * CH > b.w - 12 ? name.slice(0, Math.floor((b.w - 12) / CH) - 1) + "\u2026" : name;
      g.appendChild(svg("text", { "class": "name", x: 6, y: 15 }, label));
      b.lines.forEach(function (l, i) {
        var t = svg("text", { x: 6, y: HEAD + 13 + i * LINE });
        var text = (l[0] ? l[0] + " " : "   ") + l[1];
        var fit = Math.floor((b.w - 12) / CH);
        t.textContent = text.length > fit ? text.slice(0, fit - 1) + "\u2026" : text;
        g.appendChild(t);
      });
      g.appendChild(svg("title", {}, name));
      root.appendChild(g);
    });
    return root;
  }

  // ---------------------------------------------------------------------------------------------
  // Diff between two points
  // ---------------------------------------------------------------------------------------------
  function itemsOf(t) {
    var out = {};
    if (t[2]) out["primary key " + (str(t[2][0]) || "")] = "(" + t[2][1].map(str).join(", ") + ")";
    t[3].forEach(function (f) { out["foreign key " + (str(f[0]) || "")] = "(" + f[1].map(str).join(", ") + ") \u2192 " + (f[2] !== null ? str(f[2]) + "." : "") + str(f[3]) + " (" + f[4].map(str).join(", ") + ")" + (f[5] !== null ? " ON DELETE " + str(f[5]) : ""); });
    t[4].forEach(function (u) { out["unique " + (str(u[0]) || "")] = "(" + u[1].map(str).join(", ") + ")"; });
    t[5].forEach(function (c) { out["check " + (str(c[0]) || "")] = str(c[1]); });
    t[6].forEach(function (i) { out[(i[2] ? "unique index " : "index ") + (str(i[0]) || "")] = "(" + i[1].map(str).join(", ") + ")"; });
    if (t[7] !== null) out["comment"] = str(t[7]);
    return out;
  }
  function colDesc(c) { return c.type + (c.nullable ? "" : " NOT NULL") + (c.dflt ? " DEFAULT " + c.dflt : ""); }
  function compare(a, b) {
    var lines = [];
    var keys = {};
    Object.keys(a).concat(Object.keys(b)).forEach(function (k) { keys[k] = true; });
    sortedKeys(keys).forEach(function (k) {
      var name = tableName(k);
      if (!(k in b)) { lines.push(["dropped", "drop table " + name, LOSS]); return; }
      if (!(k in a)) { lines.push(["added", "create table " + name + " (" + TV[b[k]][1].map(function (c) { return colText(c).name; }).join(", ") + ")", 0]); return; }
      if (a[k] === b[k]) return;
      var ta = TV[a[k]], tb = TV[b[k]];
      var ca = {}, cb = {};
      ta[1].forEach(function (c) { ca[colText(c).name] = c; });
      tb[1].forEach(function (c) { cb[colText(c).name] = c; });
      Object.keys(ca).forEach(function (n) {
        if (!(n in cb)) lines.push(["dropped", "drop column " + name + "." + n, LOSS]);
        else if (ca[n] !== cb[n]) {
          var x = colText(ca[n]), y = colText(cb[n]);
          lines.push(["changed", "alter column " + name + "." + n + ": " + colDesc(x) + " \u2192 " + colDesc(y), x.type !== y.type ? LOSS : 0]);
        }
      });
      Object.keys(cb).forEach(function (n) { if (!(n in ca)) lines.push(["added", "add column " + name + "." + n + " " + colDesc(colText(cb[n])), 0]); });
      var ia = itemsOf(ta), ib = itemsOf(tb);
      Object.keys(ia).forEach(function (n) {
        if (!(n in ib)) lines.push(["dropped", "drop " + n + " on " + name + " " + ia[n], 0]);
        else if (ia[n] !== ib[n]) lines.push(["changed", n + " on " + name + ": " + ia[n] + " \u2192 " + ib[n], 0]);
      });
      Object.keys(ib).forEach(function (n) { if (!(n in ia)) lines.push(["added", "add " + n + " on " + name + " " + ib[n], 0]); });
    });
    return lines;
  }
  views.diff = function (root) {
    var from = LO, to = HI;
    var a = h("select", { id: "diff-a" }, pointOptions(LO)), b = h("select", { id: "diff-b" }, pointOptions(HI));
    var boxA = pointBox("diff-seq-a", "or a revision or @SEQ", LO, function (seq) { from = seq; redraw(); });
    var boxB = pointBox("diff-seq-b", "or a revision or @SEQ", HI, function (seq) { to = seq; redraw(); });
    add(root, h("div", { "class": "controls" }, h("label", null, "From point", a), boxA.label, h("label", null, "To point", b), boxB.label));
    var out = h("div", { id: "diff-out", "aria-live": "polite" });
    add(root, out);
    function draw(from, to) {
      clear(out);
      var lines = compare(stateAt(from), stateAt(to));
      add(out, h("p", null, "From " + describePoint(from) + " to " + describePoint(to) + ": " + (lines.length ? lines.length + " change" + (lines.length === 1 ? "" : "s") : "no differences") + "."));
      if (lines.length) {
        add(out, h("ul", { id: "diff-lines" }, lines.map(function (l) {
          var tag = l[0] === "added" ? "ins" : l[0] === "dropped" ? "del" : "span";
          return h("li", { "class": l[0] }, h(tag, null, "[" + l[0].toUpperCase() + "] "), l[1], marks(l[2]));
        })));
      }
      if (D.diff && from === LO && to === HI) {
        add(out, h("h3", null, "As operations and " + D.dialect + " DDL (schema-ledger diff @" + LO + " @" + HI + ")"));
        if (!D.diff.length) add(out, h("p", null, "No operations."));
        else {
          add(out, h("ol", { id: "diff-ops" }, D.diff.map(function (o) { return h("li", { "class": "mono" }, o[0], marks(o[1])); })));
          add(out, h("pre", { "class": "ddl" }, h("code", null, D.diff.map(function (o) {
            return "-- " + o[0].replace(/\n/g, " ") + "\n" + o[2].map(function (s) { return s.replace(/;\s*$/, "") + ";"; }).join("\n");
          }).join("\n\n"))));
        }
      }
    }
    function redraw() {
      boxA.input.value = "@" + from; boxB.input.value = "@" + to;
      clear(a); add(a, pointOptions(from)); clear(b); add(b, pointOptions(to));
      draw(from, to);
    }
    a.addEventListener("change", function () { from = Number(a.value); redraw(); });
    b.addEventListener("change", function () { to = Number(b.value); redraw(); });
    draw(LO, HI);
  };

  // ---------------------------------------------------------------------------------------------
  // Drills
  // ---------------------------------------------------------------------------------------------
  views.drills = function (root) {
    if (!D.drills.length) { add(root, h("p", { id: "no-drills" }, "No drill is recorded in this ledger (run `schema-ledger drill --record`).")); return; }
    var body = h("tbody");
    D.drills.forEach(function (d) {
      add(body, h("tr", { "class": d.passed ? "drill" : "drill problem" },
        h("td", null, String(d.seq)), h("td", { "class": "mono" }, when(d.at)),
        h("td", null, whoOf(d.by, d.os, d.db, d.host)),
        h("td", null, h("span", { "class": "badge " + (d.passed ? "good" : "bad") }, d.passed ? "PASSED" : "FAILED")),
        h("td", null, d.rows.length + " revisions" + (d.head ? " up to " + d.head : "") + " (" + d.source + ")" +
          (d.ledger_head ? "; ledger at seq " + d.ledger_head[0] + ", " + short(d.ledger_head[1]) : "")),
        h("td", null, d.dialect + ", " + d.scratch), h("td", null, d.msg || "")));
    });
    add(root, h("table", { id: "drill-table" }, h("thead", null, h("tr", null, h("th", null, "Seq"), h("th", null, "When"), h("th", null, "Who"),
      h("th", null, "Verdict"), h("th", null, "Covered"), h("th", null, "Where"), h("th", null, "Why"))), body));
    D.drills.forEach(function (d) {
      var rb = h("tbody");
      function m(v) { return v === null || v === undefined ? "not reached" : v ? "ok" : "FAIL"; }
      d.rows.forEach(function (r) {
        add(rb, h("tr", null, h("td", null, r[0]), h("td", null, m(r[1])), h("td", null, m(r[2])), h("td", null, m(r[3])),
          h("td", null, r[4].join("; ") || "-"), h("td", null, r[5].join("; ") || "-")));
      });
      add(root, h("details", null, h("summary", null, "Drill at seq " + d.seq + ": " + (d.passed ? "passed" : "FAILED") + ", per revision"),
        h("table", null, h("thead", null, h("tr", null, h("th", null, "Revision"), h("th", null, "Up"), h("th", null, "Down"), h("th", null, "Again"),
          h("th", null, "Irreversible"), h("th", null, "Data-loss warnings"))), rb),
        d.failures.length ? h("ul", null, d.failures.map(function (f) { return h("li", null, "FAILED: " + f); })) : null));
    });
  };

  // ---------------------------------------------------------------------------------------------
  // Keyboard and print
  // ---------------------------------------------------------------------------------------------
  document.addEventListener("keydown", function (ev) {
    var tag = (ev.target && ev.target.tagName) || "";
    if (ev.key === "/" && tag !== "INPUT" && tag !== "SELECT" && tag !== "TEXTAREA") {
      var box = document.querySelector("section:not([hidden]) input[type=search]");
      if (box) { ev.preventDefault(); box.focus(); }
    }
  });
  window.addEventListener("beforeprint", function () {
    var list = document.querySelectorAll("section:not([hidden]) details");
    for (var i = 0; i < list.length; i++) { if (list[i].fill) list[i].fill(); list[i].open = true; }
  });

  show(location.hash.slice(1) || "integrity");
  document.documentElement.setAttribute("data-ready", String(Math.round(performance.now())));
})();
