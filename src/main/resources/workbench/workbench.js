// The analyst workbench: the Apache KIE DMN editor (served by this application, DMNEditor from
// dmn-editor-standalone.js) opened on the active model, and Validate: the edited model through the same gate as a
// reload, without saving anything. The page reaches only its own server (relative URLs on location.origin, so that
// credentials typed into the address bar are never part of a request URL).
"use strict";

const workbench = (window.workbench = { ready: false, editor: null, model: null, lastValidation: null });

function call(path, options) {
  return fetch(new URL(path, window.location.origin), { credentials: "same-origin", ...options }).then(async (r) => {
    const body = await r.json().catch(() => ({}));
    if (!r.ok && r.status !== 422) {
      throw new Error(body.detail || body.title || "HTTP " + r.status);
    }
    return body;
  });
}

function text(id, value) {
  document.getElementById(id).textContent = value;
}

function list(id, names) {
  const ul = document.getElementById(id);
  ul.replaceChildren(...names.map((n) => Object.assign(document.createElement("li"), { textContent: n })));
}

function status(kind, message) {
  const s = document.getElementById("status");
  s.className = kind;
  s.textContent = message;
}

function showMessages(result) {
  const section = document.getElementById("messages");
  section.hidden = false;
  text("summary", result.valid
    ? "valid: no errors, " + result.warnings + " warning(s) or note(s); nothing was saved"
    : "refused: " + result.errors + " error(s); the active rule set is unchanged");
  const rows = result.messages.map((m) => {
    const tr = document.createElement("tr");
    tr.className = m.severity;
    for (const v of [m.severity, m.file, m.decision ?? "", m.row > 0 ? String(m.row) : "", m.column ?? "", m.text]) {
      tr.appendChild(Object.assign(document.createElement("td"), { textContent: v }));
    }
    return tr;
  });
  section.querySelector("tbody").replaceChildren(...rows);
}

async function validate() {
  const button = document.getElementById("validate");
  button.disabled = true;
  status("", "validating\u2026");
  try {
    const dmn = await workbench.editor.getContent();
    const result = await call("/workbench/api/validate", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ file: workbench.model.file, dmn }),
    });
    workbench.lastValidation = result;
    showMessages(result);
    status(result.valid ? "valid" : "refused", result.valid ? "valid" : "refused: " + result.errors + " error(s)");
  } catch (e) {
    status("refused", "validation failed: " + e.message);
  } finally {
    button.disabled = false;
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

async function start() {
  const model = await call("/workbench/api/model");
  workbench.model = model;
  text("model", model.file);
  text("version", model.version);
  list("files", model.files);
  list("tests", model.tests);
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
  const button = document.getElementById("validate");
  button.addEventListener("click", validate);
  button.disabled = false;
  workbench.validate = validate;
  workbench.ready = true;
  status("", "editing " + model.file + " (rule set " + model.version + ")");
}

start().catch((e) => status("refused", "the workbench could not start: " + e.message));
