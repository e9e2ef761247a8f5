// Renders /api/targets. Every value goes in with textContent, never as HTML: container names and labels come from
// outside the relay.
"use strict";

function cell(row, text, cls) {
  const td = document.createElement("td");
  td.textContent = text == null ? "" : String(text);
  if (cls) {
    td.className = cls;
  }
  row.appendChild(td);
  return td;
}

function fill(tbodyOf, rows, columns, emptyText) {
  const tbody = document.querySelector(tbodyOf + " tbody");
  const fresh = document.createElement("tbody");
  if (rows.length === 0) {
    const tr = fresh.insertRow();
    const td = cell(tr, emptyText, "empty");
    td.colSpan = columns;
  }
  return { tbody: tbody, fresh: fresh };
}

function time(iso) {
  return iso ? iso.replace("T", " ").replace(/\.\d+Z$/, "Z") : "";
}

function task(t) {
  if (t.taskArn) {
    return t.taskArn;
  }
  return t.group ? "group " + t.group : "";
}

function renderTargets(targets) {
  const f = fill("#targets", targets, 13, "no targets");
  for (const t of targets) {
    const tr = f.fresh.insertRow();
    tr.dataset.state = t.state;
    tr.dataset.id = t.id;
    cell(tr, t.state === "up" ? "up" : "down: " + t.failure, "state");
    cell(tr, time(t.since), "since");
    cell(tr, task(t), "arn");
    cell(tr, t.family + (t.revision ? ":" + t.revision : ""), "family");
    cell(tr, t.container + (t.ecsContainer && t.ecsContainer !== t.container ? " (" + t.ecsContainer + ")" : ""),
      "container");
    cell(tr, t.containerPort, "port");
    cell(tr, t.address + t.path, "address");
    cell(tr, t.format, "format");
    cell(tr, Object.entries(t.names || {}).map(e => e[0] + ": " + e[1]).join(", "), "key");
    cell(tr, time(t.fetchedAt), "fetched");
    cell(tr, t.tookMs + " ms", "took");
    const failures = Object.entries(t.failures || {}).map(e => e[0] + " " + e[1]).join(", ");
    cell(tr, t.detail, "detail");
    cell(tr, failures, "failures");
  }
  f.tbody.replaceWith(f.fresh);
}

function renderSinks(sinks) {
  const rows = Object.entries(sinks || {});
  const f = fill("#sinks", rows, 2, "no sinks");
  for (const [name, s] of rows) {
    const tr = f.fresh.insertRow();
    tr.dataset.sink = name;
    tr.dataset.state = s.up ? "up" : "down";
    cell(tr, name, "name");
    cell(tr, s.state, "state");
  }
  f.tbody.replaceWith(f.fresh);
}

function renderDiscovery(sources) {
  const f = fill("#discovery", sources, 4, "no target sources");
  for (const s of sources) {
    const tr = f.fresh.insertRow();
    tr.dataset.state = s.up ? "up" : "down";
    cell(tr, s.source, "source");
    cell(tr, s.up ? "up" : "down", "state");
    cell(tr, time(s.since), "since");
    cell(tr, s.error, "detail");
  }
  f.tbody.replaceWith(f.fresh);
}

function render(v) {
  const c = v.cycle;
  document.getElementById("cycle").textContent = c.sequence === 0 ? "no cycle yet" :
    "cycle " + c.sequence + " at " + time(c.time) + ", " + c.durationMs + " ms: " + c.up + " of " + c.targets +
    " targets up";
  renderTargets(v.targets);
  renderSinks(v.sinks);
  renderDiscovery(v.discovery);
}

let refreshMs = 5000;

async function refresh() {
  const status = document.getElementById("status");
  try {
    const r = await fetch("api/targets", { cache: "no-store", credentials: "same-origin" });
    if (!r.ok) {
      throw new Error("HTTP " + r.status);
    }
    const v = await r.json();
    render(v);
    refreshMs = Math.min(Math.max(v.intervalSeconds, 2), 15) * 1000;
    status.className = "";
    status.textContent = "updated " + time(v.generatedAt) + "; refreshes every " + refreshMs / 1000 + " s";
  } catch (e) {
    status.className = "error";
    status.textContent = "cannot load /api/targets: " + e.message + " (retrying)";
  }
  setTimeout(refresh, refreshMs);
}

refresh();
