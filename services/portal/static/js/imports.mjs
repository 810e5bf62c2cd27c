// The import form: the file is sent as the request body to POST /api/v1/imports, and the progress
// bar follows the JSON lines the API streams back (progress..., then the result with each row's
// error, already in the page's language since the request asks for it). In sync mode the import is
// first a dry run: its counts are shown in the preview, and the same file is applied only when the
// user confirms there (issue 22).
const form = document.getElementById("import-form");
const preview = document.getElementById("import-preview");
const confirmForm = document.getElementById("import-confirm");
const counts = document.getElementById("import-counts");
const bar = document.getElementById("import-progress");
const stage = document.getElementById("import-stage");
const errors = document.getElementById("import-errors");
const stages = JSON.parse(form.dataset.stages);
const statuses = JSON.parse(form.dataset.statuses);

function fill(template, figures) {
  return template.replace(/%\((\w+)\)d/g, (_, name) => String(figures[name] ?? 0));
}

function show(update) {
  if (update.progress) {
    const { stage: name, rows_done: done, rows_total: total } = update.progress;
    bar.max = Math.max(total, 1);
    bar.value = done;
    stage.textContent = `${stages[name] ?? name}: ${done} / ${total}`;
    return;
  }
  const result = update.result;
  bar.max = Math.max(result.rows_total, 1);
  bar.value = result.status === "rejected" ? 0 : bar.max;
  stage.textContent = fill(statuses[result.status] ?? result.status,
    { changed: result.rows_changed, total: result.rows_total, errors: result.errors.length });
  const rows = errors.querySelector("tbody");
  rows.replaceChildren(...result.errors.map((error) => {
    const row = document.createElement("tr");
    const head = document.createElement("th");
    head.scope = "row";
    head.textContent = String(error.row);
    row.append(head);
    for (const text of [error.column, error.reason]) {
      const cell = document.createElement("td");
      cell.textContent = text;
      row.append(cell);
    }
    return row;
  }));
  errors.hidden = result.errors.length === 0;
  for (const cell of counts.querySelectorAll("[data-count]")) {
    cell.textContent = String(result[cell.dataset.count] ?? 0);
  }
  counts.hidden = false;
  return result;
}

// The file and the choices the preview was made of, applied as they are when the user confirms.
let pending = null;
// The page's script keeps the file: the confirm form needs no second choice of it.
for (const part of confirmForm.querySelectorAll(".confirm-file")) part.remove();

function choices(dryRun) {
  const file = form.elements.file.files[0];
  if (!file) return null;
  return {
    file,
    query: new URLSearchParams({
      kind: form.elements.kind.value,
      file_name: file.name,
      academic_year_id: form.elements.academic_year.value,
      dry_run: String(dryRun),
      reason: form.elements.reason.value,
      sync: String(form.elements.sync.checked),
      sync_order_number: form.elements.sync_order_number.value,
      sync_order_date: form.elements.sync_order_date.value,
    }),
  };
}

async function run({ file, query }) {
  bar.value = 0;
  errors.hidden = true;
  const answer = await fetch(`/api/v1/imports?${query}`, {
    method: "POST",
    body: file,
    credentials: "same-origin",
    headers: {
      "Content-Type": "application/octet-stream",
      "Accept-Language": document.documentElement.lang,
      "X-CSRF-Token": form.dataset.csrf,
    },
  }).catch(() => null);
  if (!answer || !answer.ok || !answer.body) {
    stage.textContent = form.dataset.failed;
    return null;
  }
  const reader = answer.body.pipeThrough(new TextDecoderStream()).getReader();
  let rest = "";
  let result = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    rest += value;
    const lines = rest.split("\n");
    rest = lines.pop();
    for (const line of lines) if (line.trim()) result = show(JSON.parse(line)) ?? result;
  }
  if (rest.trim()) result = show(JSON.parse(rest)) ?? result;
  return result;
}

async function send(event) {
  event.preventDefault();
  preview.hidden = true;
  pending = null;
  const previewing = form.elements.sync.checked && !form.elements.dry_run.checked;
  const request = choices(previewing || form.elements.dry_run.checked);
  if (!request) return;
  const result = await run(request);
  if (previewing && result?.status === "validated") {
    request.query.set("dry_run", "false");
    pending = request;
    preview.hidden = false;
    document.getElementById("preview-title").focus();
  }
}

async function confirm(event) {
  event.preventDefault();
  if (!pending) return;
  const request = pending;
  pending = null;
  preview.hidden = true;
  await run(request);
  document.getElementById("progress-title").focus();  // the confirm button is gone: focus the outcome
}

form.addEventListener("submit", send);
form.addEventListener("change", () => { preview.hidden = true; pending = null; });
confirmForm.addEventListener("submit", confirm);
