// The analyst workbench: the Apache KIE DMN editor (served by this application, DMNEditor from
// dmn-editor-standalone.js) opened on the active model; Validate (the edited model through the same gate as a reload),
// Test (the test tables, as edited below the editor, against it) and Simulate (the what-if on the scored customers),
// without saving anything; Deploy as active or, when a challenger folder is configured, as the challenger for its share
// of the customers (with a key of the role deploy) and, from the History, Rollback. The page reaches only
// its own server (relative URLs on location.origin, so that credentials typed into the address bar are never part of
// a request URL), and every POST says it comes from this page (X-Requested-With), which the server requires of a
// request authorized by the browser's Basic credentials.
"use strict";

const workbench = (window.workbench = {
  ready: false, editor: null, model: null, lastValidation: null, lastTest: null, lastSimulation: null,
  lastDeploy: null, lastRollback: null, history: null,
});

function call(path, options) {
  return fetch(new URL(path, window.location.origin), { credentials: "same-origin", ...options }).then(async (r) => {
    const body = await r.json().catch(() => ({}));
    if (!r.ok && r.status !== 422) {
      const e = new Error(body.detail || body.title || "HTTP " + r.status);
      e.status = r.status;
      e.body = body;
      throw e;
    }
    return body;
  });
}

function post(path, body) {
  return call(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Requested-With": "valuetier-workbench" },
    body: JSON.stringify(body),
  });
}

function el(tag, props, ...children) {
  const e = Object.assign(document.createElement(tag), props || {});
  e.append(...children);
  return e;
}

function text(id, value) {
  document.getElementById(id).textContent = value;
}

function list(id, names) {
  document.getElementById(id).replaceChildren(...names.map((n) => el("li", { textContent: n })));
}

function status(kind, message) {
  const s = document.getElementById("status");
  s.className = kind;
  s.textContent = message;
}

function show(view) {
  for (const v of document.querySelectorAll("#panel .view")) {
    v.hidden = v.id !== view;
  }
  for (const t of document.querySelectorAll("#tabs button")) {
    t.setAttribute("aria-selected", String(t.dataset.view === view));
  }
}

function row(cells, className) {
  const tr = el("tr", { className: className || "" });
  for (const c of cells) {
    tr.appendChild(c instanceof Node ? el("td", {}, c) : el("td", { textContent: c ?? "" }));
  }
  return tr;
}

function showMessages(result, summary) {
  text("summary", summary);
  const rows = result.messages.map((m) =>
    row([m.severity, m.file, m.decision, m.row > 0 ? String(m.row) : "", m.column, m.text], m.severity));
  document.querySelector("#messages tbody").replaceChildren(...rows);
  show("messages");
}

// The edited rule set as every request sends it: the model from the editor and the test tables from their text areas.
async function candidate() {
  const tests = {};
  for (const area of document.querySelectorAll("#tables textarea")) {
    tests[area.dataset.file] = area.value;
  }
  return { file: workbench.model.file, dmn: await workbench.editor.getContent(), tests };
}

// Runs one action of the page with its button disabled; a failure shows in the status line.
async function action(id, doing, work) {
  const button = document.getElementById(id);
  button.disabled = true;
  status("", doing + "\u2026");
  try {
    await work();
  } catch (e) {
    status("refused", id + " failed: " + e.message);
  } finally {
    button.disabled = id.startsWith("deploy") && !workbench.model.can_deploy;
  }
}

function validate() {
  return action("validate", "validating", async () => {
    const result = await post("/workbench/api/validate", await candidate());
    workbench.lastValidation = result;
    showMessages(result, result.valid
      ? "valid: no errors, " + result.warnings + " warning(s) or note(s); nothing was saved"
      : "refused: " + result.errors + " error(s); the active rule set is unchanged");
    status(result.valid ? "valid" : "refused", result.valid ? "valid" : "refused: " + result.errors + " error(s)");
  });
}

function showTests(result) {
  text("test-summary", result.passed
    ? "all " + result.cases + " case(s) passed"
    : result.failed + " of " + result.cases + " case(s) failed" + (result.problems.length ? ", "
      + result.problems.length + " problem(s) reading the tables" : ""));
  const tables = result.tables.map((t) => {
    const cases = [...t.cases].sort((a, b) => Number(a.passed) - Number(b.passed) || a.line - b.line);
    const rows = cases.map((c) => {
      const columns = el("span", {}, ...c.columns.map((col) => el("span", {
        className: col.ok ? "ok" : "fail",
        textContent: col.ok ? col.column + ": " + col.expected
          : col.column + ": expected " + col.expected + ", actual " + (col.actual ?? "-"),
      })));
      if (c.error) {
        columns.append(el("span", { className: "fail", textContent: "error: " + c.error }));
      }
      return row([c.passed ? "passed" : "FAILED", String(c.line), c.name, columns], c.passed ? "passed" : "failed");
    });
    return el("div", {}, el("h3", { textContent: t.file }), el("table", {},
      el("thead", {}, row(["", "line", "case", "expected \u2192 actual"])), el("tbody", {}, ...rows)));
  });
  document.getElementById("test-tables").replaceChildren(...tables);
  list("uncovered", result.uncovered);
  list("problems", result.problems);
  show("results");
}

function test() {
  return action("test", "testing", async () => {
    const result = await post("/workbench/api/test", await candidate());
    workbench.lastTest = result;
    if (!result.valid) {
      showMessages(result, "the model does not validate, so the tests did not run");
      status("refused", "not valid: see the messages");
      return;
    }
    showTests(result);
    status(result.passed ? "valid" : "refused", result.passed ? "all " + result.cases + " test cases passed"
      : result.failed + " of " + result.cases + " test case(s) failed");
  });
}

const TIERS = ["Platinum", "Gold", "Silver", "Bronze", "At Risk", "New"];

function tierOrder(names) {
  const known = TIERS.filter((t) => names.has(t));
  return known.concat([...names].filter((t) => !TIERS.includes(t)).sort());
}

function showSimulation(result) {
  const m = result.tier_migration;
  const examples = result.migration_examples || {};
  const tiers = new Set(Object.keys(m));
  Object.values(m).forEach((to) => Object.keys(to).forEach((t) => tiers.add(t)));
  const order = tierOrder(tiers);
  text("simulation-summary", result.customers + " scored customers: " + result.tier_changes + " change tier, "
    + result.action_changes + " change action (active " + result.active_rule_set + " against the edited rule set "
    + result.candidate_rule_set + "); nothing was saved");
  const head = el("tr", {}, el("th", { textContent: "active \u2193 / edited \u2192" }),
    ...order.map((t) => el("th", { textContent: t })));
  document.querySelector("#matrix thead").replaceChildren(head);
  const rows = order.map((from) => el("tr", {}, el("th", { textContent: from }), ...order.map((to) => {
    const n = (m[from] || {})[to] || 0;
    const ids = (examples[from] || {})[to] || [];
    const td = el("td", { className: n === 0 ? "zero" : from === to ? "same" : "moved" });
    td.dataset.from = from;
    td.dataset.to = to;
    td.append(el("span", { className: "count", textContent: String(n) }));
    if (ids.length) {
      td.append(el("small", { textContent: (from === to ? " action changed, e.g. " : " e.g. ") + ids.join(", ") }));
    }
    return td;
  })));
  document.querySelector("#matrix tbody").replaceChildren(...rows);
  const actions = Object.entries(result.action_counts).map(([a, c]) => {
    const delta = c.candidate - c.active;
    return row([a, String(c.active), String(c.candidate), delta > 0 ? "+" + delta : String(delta)],
      delta === 0 ? "" : "changed");
  });
  document.querySelector("#actions tbody").replaceChildren(...actions);
  show("simulation");
}

function simulate() {
  return action("simulate", "simulating on the scored customers", async () => {
    const result = await post("/workbench/api/simulate", await candidate());
    workbench.lastSimulation = result;
    if (!result.valid) {
      showMessages(result, "the edited model is refused, so nothing was simulated");
      status("refused", "not valid: see the messages");
      return;
    }
    showSimulation(result);
    status("valid", result.tier_changes + " tier change(s), " + result.action_changes + " action change(s)");
  });
}

// What a refused deploy or rollback says: the gate's messages and the failed test cases.
function showRefusal(result) {
  const failures = (result.failures || []).map((f) => ({
    severity: "error", file: f.file, decision: "", row: f.line, column: "",
    text: "test case '" + f.name + "': " + (f.error || f.mismatches.map((x) => x.column + " expected " + x.expected
      + ", actual " + x.actual).join("; ")),
  }));
  showMessages({ messages: result.messages.concat(failures) }, result.result);
}

async function reloadModel(intoEditor) {
  const model = await call("/workbench/api/model");
  if (intoEditor) {
    await workbench.editor.setContent(model.file, model.dmn);
  }
  showModel(model);
  await history();
}

// Deploy as the active rule set (as = "active") or as the challenger for its configured share of the customers.
function deploy(as) {
  const challenger = as === "challenger";
  return action(challenger ? "deploy-challenger" : "deploy", "deploying", async () => {
    const message = document.getElementById("message").value.trim();
    if (!message) {
      status("refused", "say in a few words what the change does before deploying");
      return;
    }
    const body = { ...(await candidate()), message, base: workbench.model.version, as: challenger ? as : "active" };
    try {
      const result = await post("/workbench/api/deploy", body);
      workbench.lastDeploy = { status: result.activated ? 200 : result.result === "UNCHANGED" ? 200 : 422, ...result };
      if (!result.activated && result.result !== "UNCHANGED") {
        showRefusal(result);
        status("refused", "not deployed: " + result.result);
        return;
      }
      document.getElementById("message").value = "";
      await reloadModel(false);
      show("history");
      status("valid", challenger
        ? (result.activated ? "deployed as challenger: version " + result.version + " " + result.challenger_decides
          : "nothing changed: version " + result.version + " stays the challenger")
        : result.activated ? "deployed: version " + result.version + " is active"
          : "nothing changed: version " + result.version + " stays active");
    } catch (e) {
      workbench.lastDeploy = { status: e.status, detail: e.message };
      throw e;
    }
  });
}

async function rollback(version) {
  status("", "rolling back to " + version + "\u2026");
  try {
    const result = await post("/workbench/api/rollback", { version, message: "rollback from the workbench" });
    workbench.lastRollback = result;
    if (!result.activated) {
      showRefusal(result);
      status("refused", "not rolled back: " + result.result);
      return;
    }
    await reloadModel(true);
    show("history");
    status("valid", "rolled back: version " + result.version + " is active");
  } catch (e) {
    workbench.lastRollback = { status: e.status, detail: e.message };
    status("refused", "rollback failed: " + e.message);
  }
}

async function history() {
  const h = await call("/workbench/api/history");
  workbench.history = h;
  text("history-summary", "active: " + h.active + (h.challenger ? "; challenger: " + h.challenger + " ("
    + h.challenger_decides + ")" : "") + "; Rollback makes an earlier version active again (deploy key)");
  let current = false;
  const rows = h.activations.map((a) => {
    // the newest champion record is the active version; challenger records are marked and never "current"
    const isCurrent = a.role !== "challenger" && !current;
    current = current || isCurrent;
    const back = a.version === h.active || !workbench.model.can_deploy ? ""
      : el("button", { type: "button", textContent: "Rollback" });
    if (back) {
      back.dataset.version = a.version;
      back.addEventListener("click", () => rollback(a.version));
    }
    return row([a.activated_at, a.version, a.role, a.reason, a.author, a.message, a.note, back],
      (isCurrent ? "current" : "") + (a.role === "challenger" ? " challenger" : ""));
  });
  document.querySelector("#history tbody").replaceChildren(...rows);
}

function showTables(tables) {
  const section = document.getElementById("tables");
  section.querySelectorAll("div.table").forEach((d) => d.remove());
  for (const [file, csv] of Object.entries(tables)) {
    const area = el("textarea", { value: csv, spellcheck: false, rows: 8 });
    area.dataset.file = file;
    area.setAttribute("aria-label", file);
    section.appendChild(el("div", { className: "table" }, el("h3", { textContent: file }), area));
  }
}

// The editor's frame tells its page when the model is loaded (the notification kogitoEditor_ready of the editor
// envelope's message bus); a request made before that fails inside the frame.
function editorReady(container) {
  return new Promise((resolve) => {
    window.addEventListener("message", function ready(e) {
      const frame = container.querySelector("iframe");
      if (frame && e.source === frame.contentWindow && e.data && e.data.type === "kogitoEditor_ready") {
        window.removeEventListener("message", ready);
        resolve();
      }
    });
  });
}

function showModel(model) {
  workbench.model = model;
  text("model", model.file);
  text("version", model.version);
  list("files", model.files);
  list("tests", model.tests);
  showTables(model.test_tables);
}

async function start() {
  const model = await call("/workbench/api/model");
  showModel(model);
  const container = document.getElementById("editor");
  const ready = editorReady(container);
  workbench.editor = DMNEditor.open({
    container,
    initialContent: Promise.resolve(model.dmn),
    initialFileNormalizedPosixPathRelativeToTheWorkspaceRoot: model.file,
    readOnly: false,
    onError: () => status("refused", "the DMN editor could not open " + model.file),
  });
  await ready;
  for (const [id, run] of [["validate", validate], ["test", test], ["simulate", simulate],
    ["deploy", () => deploy("active")], ["deploy-challenger", () => deploy("challenger")]]) {
    const button = document.getElementById(id);
    button.addEventListener("click", run);
    button.disabled = false;
  }
  const asChallenger = document.getElementById("deploy-challenger");
  if (model.challenger_configured) {
    asChallenger.textContent = "Deploy as challenger (" + model.challenger_decides.replace("decides ", "") + ")";
    asChallenger.title = "The edited rule set " + model.challenger_decides + " (the others keep the active one)"
      + (model.challenger ? "; it replaces challenger " + model.challenger : "");
    asChallenger.hidden = false;
  }
  if (!model.can_deploy) {
    for (const d of [document.getElementById("deploy"), asChallenger]) {
      d.disabled = true;
      d.title = "Deploy and Rollback need a key with the role deploy";
    }
    document.getElementById("message").hidden = true;
  }
  for (const t of document.querySelectorAll("#tabs button")) {
    t.addEventListener("click", () => show(t.dataset.view));
  }
  Object.assign(workbench, { validate, test, simulate, deploy, rollback, history, reloadModel });
  await history().catch((e) => status("refused", "the history could not be read: " + e.message));
  workbench.ready = true;
  status("", "editing " + model.file + " (rule set " + model.version + ")");
}

start().catch((e) => status("refused", "the workbench could not start: " + e.message));
