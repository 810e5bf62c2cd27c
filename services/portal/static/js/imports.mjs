// The import form: the file is sent as the request body to POST /api/v1/imports, and the progress
// bar follows the JSON lines the API streams back (progress..., then the result with each row's
// error, already in the page's language since the request asks for it).
const form = document.getElementById("import-form");
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
}

async function send(event) {
  event.preventDefault();
  const file = form.elements.file.files[0];
  if (!file) return;
  const query = new URLSearchParams({
    kind: form.elements.kind.value,
    file_name: file.name,
    dry_run: String(form.elements.dry_run.checked),
    reason: form.elements.reason.value,
  });
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
    return;
  }
  const reader = answer.body.pipeThrough(new TextDecoderStream()).getReader();
  let pending = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    pending += value;
    const lines = pending.split("\n");
    pending = lines.pop();
    for (const line of lines) if (line.trim()) show(JSON.parse(line));
  }
  if (pending.trim()) show(JSON.parse(pending));
}

form.addEventListener("submit", send);
