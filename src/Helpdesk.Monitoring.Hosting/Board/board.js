// The helpdesk board: the queue, the incident page and (for admins) the deliveries, over the service's own API.
// Plain JavaScript, no build step.
// Every text from an incident (Nagios output, notes) is set as text, never as HTML.
"use strict";

const state = { me: null, users: [], filters: null, refreshTimer: null, lastRefresh: 0, view: null, source: null, afterSignIn: null };

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function notice(text, good) {
  const box = document.getElementById("notice");
  const line = el("p", { class: good ? "good" : "" }, text);
  box.append(line);
  setTimeout(() => line.remove(), 6000);
}

async function api(path, options) {
  const response = await fetch(path, { credentials: "same-origin", ...options });
  let body = null;
  const type = response.headers.get("content-type") || "";
  if (type.includes("json")) body = await response.json();
  if (!response.ok) {
    const error = new Error((body && (body.detail || body.title)) || `the service answered ${response.status}`);
    error.status = response.status;
    error.body = body;
    throw error;
  }
  return body;
}

// The API's outcomes that changed nothing, as a person reads them ("repeated" alone did not say so).
const outcomeWords = { repeated: "already so, nothing changed", redelivered: "done before (the same request again), nothing changed" };

// A retried action must not act twice: each form submission has one key, kept until it succeeds.
async function act(number, verb, payload, form) {
  form.dataset.key = form.dataset.key || crypto.randomUUID();
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const result = await api(`/api/v1/incidents/${encodeURIComponent(number)}/${verb}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Idempotency-Key": form.dataset.key },
      body: JSON.stringify(payload),
    });
    delete form.dataset.key;
    form.reset();
    notice(`${number}: ${outcomeWords[result.outcome] || result.outcome}`, true);
    await showIncident(number);
  } catch (error) {
    if (error.status !== undefined && error.status < 500) delete form.dataset.key;
    notice(`${number}: ${error.message}`);
  } finally {
    button.disabled = false;
  }
}

function age(iso) {
  const seconds = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} d`;
}

function countdown(incident) {
  const sla = incident.sla || {};
  const responding = incident.status === "open" && sla.responseDueAt && !sla.responseBreached;
  const due = responding ? sla.responseDueAt : sla.resolutionDueAt;
  const what = responding ? "response" : "resolution";
  if (sla.pausedAt) return { text: "paused (maintenance)", breached: false };
  if (incident.status === "open" && sla.responseBreached || sla.resolutionBreached) {
    return { text: `${sla.resolutionBreached ? "resolution" : "response"} breached`, breached: true };
  }
  if (!due || incident.status === "resolved" || incident.status === "closed") return { text: "–", breached: false };
  const left = (Date.parse(due) - Date.now()) / 1000;
  if (left <= 0) return { text: `${what} due now`, breached: true };
  const minutes = Math.floor(left / 60), seconds = Math.floor(left % 60);
  const text = minutes >= 120 ? `${Math.round(minutes / 60)} h` : `${minutes}:${String(seconds).padStart(2, "0")}`;
  return { text: `${what} in ${text}`, breached: false };
}

function slaCell(incident) {
  const c = countdown(incident);
  return el("span", { class: c.breached ? "breached" : "due-ok", "data-due": "1" }, c.text);
}

// ---- signing in ---------------------------------------------------------------------------------------------------

async function whoAmI() {
  try {
    const session = await api("/api/v1/session");
    state.me = session.user;
  } catch {
    state.me = null;
  }
  const who = document.getElementById("who");
  who.replaceChildren();
  if (state.me) {
    if (state.me.role === "admin") who.append(el("a", { href: "#/deliveries" }, "Deliveries"));
    who.append(el("span", {}, `${state.me.displayName} (${state.me.role}, ${state.me.tier || "no tier"})`),
      el("button", { type: "button", class: "secondary", onclick: signOut }, "Sign out"));
  } else {
    who.append(el("a", { href: "#/sign-in", onclick: rememberWhereTo }, "Sign in"));
  }
}

async function signOut() {
  await fetch("/api/v1/session", { method: "DELETE", credentials: "same-origin" });
  state.me = null;
  location.hash = "#/sign-in";
  await whoAmI();
}

// A person who follows a link to an incident (from a mail, a chat message) and is asked to sign in first goes on to
// that incident afterwards, not to the queue; so does one who reads it and signs in to act on it.
function rememberWhereTo() {
  if (location.hash !== "#/sign-in") state.afterSignIn = location.hash;
}

function askToSignIn() {
  rememberWhereTo();
  location.hash = "#/sign-in";
}

function showSignIn() {
  const main = document.getElementById("main");
  const form = el("form", { class: "signin", "aria-labelledby": "signin-title" },
    el("h2", { id: "signin-title" }, "Sign in"),
    el("p", { class: "muted" }, "With your user name and password, or with an API token instead."),
    el("label", { for: "signin-user" }, "User name"),
    el("input", { id: "signin-user", name: "user", autocomplete: "username" }),
    el("label", { for: "signin-password" }, "Password"),
    el("input", { id: "signin-password", name: "password", type: "password", autocomplete: "current-password" }),
    el("label", { for: "signin-token" }, "or API token"),
    el("input", { id: "signin-token", name: "token", type: "password", autocomplete: "off" }),
    el("p", {}, el("button", { type: "submit" }, "Sign in")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const body = data.get("token") ? { token: data.get("token") } : { user: data.get("user"), password: data.get("password") };
    try {
      await api("/api/v1/session", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      await whoAmI();
      connectLive();
      location.hash = state.afterSignIn || "#/";
      state.afterSignIn = null;
    } catch (error) {
      notice(error.message);
    }
  });
  main.replaceChildren(form);
  document.getElementById("signin-user").focus();
}

// ---- the queue ------------------------------------------------------------------------------------------------------

function defaultFilters() {
  return { status: ["open", "acknowledged"], team: "", tier: "", priority: "", customer: "", host: "", sort: "newest", assignedTo: "", archived: false };
}

// The width at which the style sheet stops laying the board out for a phone.
const wide = matchMedia("(min-width: 48rem)");

function filterForm() {
  const f = state.filters;
  const statusBox = el("div", { class: "checks", role: "group", "aria-labelledby": "status-label" },
    ["open", "acknowledged", "resolved", "closed"].map((s) => el("label", {},
      el("input", { type: "checkbox", name: "status", value: s, checked: f.status.includes(s) }), s)));
  const select = (id, label, name, options, value) => el("div", {},
    el("label", { for: id }, label),
    el("select", { id, name }, options.map(([v, t]) => el("option", { value: v, selected: v === value }, t))));
  const text = (id, label, name, value) => el("div", {}, el("label", { for: id }, label), el("input", { id, name, value }));
  const form = el("form", { class: "filters", "aria-label": "Filter the queue" },
    el("div", {}, el("span", { id: "status-label", class: "label" }, el("strong", {}, "Status")), statusBox),
    text("f-team", "Team", "team", f.team),
    select("f-tier", "Tier", "tier", [["", "any"], ["L1", "L1"], ["L2", "L2"], ["L3", "L3"]], f.tier),
    select("f-priority", "Priority", "priority", [["", "any"], ["P1", "P1"], ["P2", "P2"], ["P3", "P3"], ["P4", "P4"], ["P5", "P5"]], f.priority),
    text("f-customer", "Customer", "customer", f.customer),
    text("f-host", "Host", "host", f.host),
    el("div", {}, el("label", {}, el("input", { type: "checkbox", name: "archived", value: "true", checked: f.archived }), "Search the archive (by customer or host)")),
    select("f-sort", "Order", "sort", [["newest", "newest problem first"], ["due", "SLA due first"]], f.sort),
    el("div", {}, el("button", { type: "submit" }, "Apply")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    state.filters = { status: data.getAll("status"), team: data.get("team").trim(), tier: data.get("tier"), priority: data.get("priority"),
      customer: data.get("customer").trim(), host: data.get("host").trim(), sort: data.get("sort"), assignedTo: "", archived: data.get("archived") === "true" };
    const box = form.parentElement;
    box.querySelector("summary").textContent = filterSummary(state.filters);
    if (!wide.matches) box.open = false;
    refreshQueue();
  });
  // On a phone the filters alone would fill the first screen and push the incidents below it: there they start folded
  // under a line that says which are in force; on a wider screen they start open.
  return el("details", { class: "filter-box", open: wide.matches },
    el("summary", {}, filterSummary(f)), form);
}

function filterSummary(f) {
  const parts = f.archived ? ["the archive"] : [f.status.join(", ") || "every status"];
  for (const [key, name] of [["team", "team "], ["tier", ""], ["priority", ""], ["customer", "customer "], ["host", "host "]]) {
    if (f[key] && (!f.archived || key === "customer" || key === "host")) parts.push(name + f[key]);
  }
  if (!f.archived) parts.push(f.sort === "due" ? "SLA due first" : "newest first");
  return `Filters: ${parts.join(", ")}`;
}

function queueQuery() {
  const f = state.filters, q = new URLSearchParams();
  if (f.archived) {
    // The archive is searched by customer and host only, newest first.
    q.set("archived", "true");
    for (const key of ["customer", "host"]) if (f[key]) q.set(key, f[key]);
    q.set("pageSize", "200");
    return q.toString();
  }
  if (f.status.length) q.set("status", f.status.join(","));
  for (const key of ["team", "tier", "priority", "customer", "host", "assignedTo"]) if (f[key]) q.set(key, f[key]);
  q.set("sort", f.sort);
  q.set("pageSize", "200");
  return q.toString();
}

async function showQueue() {
  state.view = "queue";
  state.filters = state.filters || defaultFilters();
  const main = document.getElementById("main");
  main.replaceChildren(el("h2", {}, "Incident queue"), filterForm(), el("div", { id: "queue" }, el("p", { class: "muted" }, "Loading…")));
  await refreshQueue();
}

async function refreshQueue() {
  const holder = document.getElementById("queue");
  if (!holder) return;
  let page;
  try {
    page = await api(`/api/v1/incidents?${queueQuery()}`);
  } catch (error) {
    if (error.status === 401) { askToSignIn(); return; }
    holder.replaceChildren(el("p", { class: "breached" }, error.message));
    return;
  }
  const rows = page.items.map((i) => el("tr", { "data-number": i.number },
    el("td", { "data-label": "Number" }, el("a", { href: `#/incident/${i.number}` }, i.number)),
    el("td", { "data-label": "Priority", class: `prio prio-${i.priority}` }, i.priority),
    el("td", { "data-label": "Title" }, i.title),
    el("td", { "data-label": "Customer" }, i.customer || "–"),
    el("td", { "data-label": "Host / service" }, [i.host, i.service].filter(Boolean).join(" / ") || "–"),
    el("td", { "data-label": "Members" }, String(i.memberCount)),
    el("td", { "data-label": "Age" }, age(i.openedAt)),
    el("td", { "data-label": "SLA", "data-incident": JSON.stringify({ status: i.status, sla: i.sla }) }, slaCell(i)),
    el("td", { "data-label": "Tier" }, i.tier || "–"),
    el("td", { "data-label": "Status", class: "status" }, i.status),
    el("td", { "data-label": "Assigned" }, i.assignedTo || "–")));
  holder.replaceChildren(el("table", { class: "queue" },
    el("caption", {}, `${page.total} incident${page.total === 1 ? "" : "s"}${page.total > page.items.length ? `, the first ${page.items.length} shown` : ""}`),
    el("thead", {}, el("tr", {}, ["Number", "Priority", "Title", "Customer", "Host / service", "Members", "Age", "SLA", "Tier", "Status", "Assigned"]
      .map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, rows)));
}

// The countdowns move every second without asking the service anything.
function tickCountdowns() {
  for (const cell of document.querySelectorAll("td[data-incident]")) {
    cell.replaceChildren(slaCell(JSON.parse(cell.dataset.incident)));
  }
}

// ---- one incident -------------------------------------------------------------------------------------------------

function facts(pairs) {
  return el("dl", { class: "facts" }, pairs.map(([k, v]) => el("div", {}, el("dt", {}, k), el("dd", {}, v === "" || v === null || v === undefined ? "–" : v))));
}

function when(iso) {
  return iso ? new Date(iso).toLocaleString() : "–";
}

function actionForms(incident) {
  const n = incident.number, active = incident.status === "open" || incident.status === "acknowledged";
  const forms = [];
  const form = (id, title, fields, verb, payload) => {
    const f = el("form", { "aria-labelledby": `${id}-title` }, el("fieldset", {}, el("legend", { id: `${id}-title` }, title), fields,
      el("p", {}, el("button", { type: "submit" }, title))));
    f.addEventListener("submit", (event) => { event.preventDefault(); act(n, verb, payload(new FormData(f)), f); });
    forms.push(f);
  };
  const input = (id, label, name, attrs) => [el("label", { for: id }, label), el("input", { id, name, ...attrs })];
  const area = (id, label, name, attrs) => [el("label", { for: id }, label), el("textarea", { id, name, ...attrs })];
  if (active) {
    if (incident.status === "open") form("ack", "Acknowledge", input("ack-comment", "Comment (optional)", "comment"), "acknowledge", (d) => ({ comment: d.get("comment") }));
    const mayAssignOthers = state.me && (state.me.role === "lead" || state.me.role === "admin");
    const people = mayAssignOthers ? state.users : state.users.filter((u) => state.me && u.name === state.me.name);
    form("assign", "Assign", [el("label", { for: "assign-to" }, "To"),
      el("select", { id: "assign-to", name: "to", required: true }, people.map((u) => el("option", { value: u.name, selected: u.name === incident.assignedTo }, `${u.displayName} (${u.tier || u.team || u.role})`)))],
      "assign", (d) => ({ to: d.get("to") }));
    form("note", "Add note", [...area("note-text", "Note", "text", { required: true }),
      el("div", { class: "checks" }, el("label", {}, el("input", { type: "checkbox", name: "forCustomer", value: "yes" }), "For the customer (their status updates carry it)"))],
      "notes", (d) => ({ text: d.get("text"), forCustomer: d.get("forCustomer") === "yes" }));
    if (mayAssignOthers) {
      form("prio", "Change priority", [el("label", { for: "prio-value" }, "Priority"),
        el("select", { id: "prio-value", name: "priority" }, ["P1", "P2", "P3", "P4", "P5"].map((p) => el("option", { value: p, selected: p === incident.priority }, p))),
        ...input("prio-reason", "Reason", "reason", { required: true })], "priority", (d) => ({ priority: d.get("priority"), reason: d.get("reason") }));
    }
    form("resolve", "Resolve", [...area("resolve-cause", "Cause (what went wrong)", "cause", { required: true }),
      ...area("resolve-fix", "Fix (what put it right)", "fix", { required: true })], "resolve", (d) => ({ cause: d.get("cause"), fix: d.get("fix") }));
  }
  if (incident.status === "resolved") {
    form("reopen", "Reopen", input("reopen-reason", "Reason", "reason", { required: true }), "reopen", (d) => ({ reason: d.get("reason") }));
  }
  return forms;
}

async function showIncident(number) {
  state.view = number;
  const main = document.getElementById("main");
  let detail;
  try {
    detail = await api(`/api/v1/incidents/${encodeURIComponent(number)}`);
  } catch (error) {
    if (error.status === 401) { askToSignIn(); return; }
    main.replaceChildren(el("p", { class: "breached" }, error.message), el("p", {}, el("a", { href: "#/" }, "Back to the queue")));
    return;
  }
  if (state.me && state.users.length === 0) {
    try { state.users = await api("/api/v1/users"); } catch { state.users = []; }
  }
  const i = detail.incident, c = countdown(i);
  const canAct = !!state.me;
  main.replaceChildren(
    el("p", {}, el("a", { href: "#/" }, "← Queue")),
    el("h2", { id: "incident-title" }, `${i.number}: ${i.title}`),
    facts([["Priority", el("span", { class: `prio prio-${i.priority}` }, i.priority)], ["Status", i.status], ["Tier", i.tier], ["Team", i.team],
      ["Assigned to", i.assignedTo], ["Customer", i.customer], ["Host", i.host], ["Service", i.service], ["State", `${i.state} (worst ${i.worstState})`],
      ["Opened", when(i.openedAt)], ["Last seen", when(i.lastSeenAt)], ["Acknowledged", i.acknowledgedBy ? `${i.acknowledgedBy}, ${when(i.acknowledgedAt)}` : ""],
      ["Alerts", String(i.alertCount)], ["Members", String(i.memberCount)], ["Correlation", i.correlationRule]]),
    el("div", { class: "layout" },
      el("div", {},
        el("h2", {}, "Description"), el("pre", {}, i.description || i.lastOutput),
        i.resolutionCause ? [el("h2", {}, "Resolution"), facts([["Cause", i.resolutionCause], ["Fix", i.resolutionFix]])] : null,
        detail.satisfaction ? [el("h2", {}, "Customer satisfaction"), facts([["Score", `${detail.satisfaction.score} of 5`], ["Comment", detail.satisfaction.comment]])] : null,
        el("h2", {}, "SLA"),
        facts([["Now", el("span", { class: c.breached ? "breached" : "due-ok" }, c.text)], ["Calendar", i.sla.calendar], ["Response due", when(i.sla.responseDueAt)],
          ["Response", i.sla.responseBreached ? el("span", { class: "breached" }, "breached") : "within target"],
          ["Resolution due", when(i.sla.resolutionDueAt)], ["Resolution", i.sla.resolutionBreached ? el("span", { class: "breached" }, "breached") : "within target"],
          ["Escalations", String(i.sla.escalations)]]),
        el("h2", {}, `Members (${detail.members.length})`),
        detail.members.length === 0 ? el("p", { class: "muted" }, "No correlated alerts.") :
          el("table", {}, el("caption", {}, "Alerts correlated into this incident"),
            el("thead", {}, el("tr", {}, ["Host", "Service", "State", "Rule", "Last output"].map((h) => el("th", { scope: "col" }, h)))),
            el("tbody", {}, detail.members.map((m) => el("tr", {}, el("td", {}, m.host), el("td", {}, m.service || "–"),
              el("td", {}, m.recovered ? `${m.state} (recovered)` : m.state), el("td", {}, m.rule), el("td", {}, m.lastOutput))))),
        el("h2", {}, "Timeline"),
        el("ol", { class: "timeline" }, detail.timeline.map((t) => el("li", {}, el("time", { datetime: t.at }, when(t.at)), el("strong", {}, t.kind.replace(/_/g, " ")), " ", t.text))),
        el("h2", {}, "Customer history"),
        detail.history.length === 0 ? el("p", { class: "muted" }, "No earlier incidents on this host for this customer.") :
          el("table", {}, el("caption", {}, "Earlier incidents of this customer on this host"),
            el("thead", {}, el("tr", {}, ["Number", "Title", "Priority", "Status", "Opened"].map((h) => el("th", { scope: "col" }, h)))),
            el("tbody", {}, detail.history.map((h) => el("tr", {}, el("td", {}, el("a", { href: `#/incident/${h.number}` }, h.number)), el("td", {}, h.title),
              el("td", {}, h.priority), el("td", {}, h.status), el("td", {}, when(h.openedAt))))))),
      el("aside", { "aria-label": "Actions" }, el("h2", {}, "Actions"),
        canAct ? el("div", { class: "actions" }, actionForms(i)) : el("p", {}, el("a", { href: "#/sign-in", onclick: rememberWhereTo }, "Sign in"), " to act on this incident."))));
}

// ---- outbound deliveries (admins) -----------------------------------------------------------------------------------

// What each channel has waiting and has given up; once a receiver is mended, an admin sends its dead deliveries again.
async function showDeliveries() {
  state.view = "deliveries";
  const main = document.getElementById("main");
  let answer;
  try {
    answer = await api("/api/v1/deliveries?state=dead&limit=200");
  } catch (error) {
    if (error.status === 401) { askToSignIn(); return; }
    main.replaceChildren(el("p", { class: "breached" }, error.message));
    return;
  }
  const channels = answer.backlog.length === 0 ? el("p", { class: "muted" }, "No channel has a delivery waiting or given up.") :
    el("table", {}, el("caption", {}, "Each channel's backlog"),
      el("thead", {}, el("tr", {}, ["Channel", "Waiting", "Dead", "Action"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, answer.backlog.map((b) => el("tr", { "data-channel": b.channel },
        el("th", { scope: "row" }, b.channel), el("td", {}, String(b.pending)), el("td", {}, String(b.dead)),
        el("td", {}, b.dead > 0 && state.me && state.me.role === "admin" ? requeueForm(b.channel, b.dead) : "–")))));
  const dead = answer.items.length === 0 ? el("p", { class: "muted" }, "No dead delivery.") :
    el("table", {}, el("caption", {}, "Dead deliveries, newest first, with the receiver's last answer"),
      el("thead", {}, el("tr", {}, ["Channel", "Incident", "Event", "Attempts", "Queued", "Last answer"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, answer.items.map((d) => el("tr", { "data-event": d.eventId },
        el("td", {}, d.channel), el("td", {}, el("a", { href: `#/incident/${d.incident}` }, d.incident)), el("td", {}, d.event.replace(/_/g, " ")),
        el("td", {}, String(d.attempts)), el("td", {}, when(d.queuedAt)), el("td", {}, d.lastError)))));
  main.replaceChildren(el("p", {}, el("a", { href: "#/" }, "← Queue")), el("h2", {}, "Deliveries"), channels, el("h2", {}, "Given up"), dead);
}

function requeueForm(channel, dead) {
  const f = el("form", { "aria-label": `Send the dead deliveries of ${channel} again` },
    el("button", { type: "submit" }, `Send ${Math.min(dead, 1000)} again`));
  f.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = f.querySelector("button");
    button.disabled = true;
    try {
      const result = await api("/api/v1/deliveries/requeue", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ channel }) });
      notice(`${channel}: ${result.requeued} re-queued, ${result.stillDead} still dead`, true);
      await showDeliveries();
    } catch (error) {
      notice(`${channel}: ${error.message}`);
      button.disabled = false;
    }
  });
  return f;
}

// ---- live updates and routing ---------------------------------------------------------------------------------------

// A refresh runs 250 ms after the event that asks for it, and at most once a second: events that arrive meanwhile
// join the refresh already waiting. A storm sends events without a pause, so a wait that started again at each
// event (a debounce) never ended, and the queue stood still through the whole storm.
function scheduleRefresh() {
  if (state.refreshTimer) return;
  const wait = Math.max(250, state.lastRefresh + 1000 - Date.now());
  state.refreshTimer = setTimeout(() => {
    state.refreshTimer = null;
    state.lastRefresh = Date.now();
    const typing = document.activeElement?.closest("form");
    if (state.view === "queue") refreshQueue();
    else if (state.view === "deliveries") { if (!typing) showDeliveries(); }
    else if (state.view && state.view !== "sign-in" && !typing) showIncident(state.view);
  }, wait);
}

// A refused stream (not signed in yet) is not retried by the browser itself: the board tries again, and again after a sign-in.
function connectLive() {
  const live = document.getElementById("live");
  if (state.source) state.source.close();
  const source = new EventSource("/api/v1/events");
  state.source = source;
  source.addEventListener("hello", () => { live.textContent = "Live"; scheduleRefresh(); });
  source.addEventListener("incident", (event) => {
    const e = JSON.parse(event.data);
    live.textContent = `Live: ${e.number} ${e.event.replace(/_/g, " ")}`;
    if (state.view === "queue" || state.view === e.number) scheduleRefresh();
  });
  source.onerror = () => {
    live.textContent = "Reconnecting…";
    if (source.readyState === EventSource.CLOSED && state.source === source) setTimeout(() => { if (state.source === source) connectLive(); }, 3000);
  };
}

async function route() {
  const hash = location.hash || "#/";
  if (hash === "#/sign-in") { state.view = "sign-in"; showSignIn(); return; }
  if (hash === "#/deliveries") { await showDeliveries(); document.getElementById("main").focus({ preventScroll: true }); return; }
  const match = hash.match(/^#\/incident\/([A-Za-z0-9-]+)$/);
  if (match) await showIncident(match[1]);
  else await showQueue();
  document.getElementById("main").focus({ preventScroll: true });
}

async function start() {
  await whoAmI();
  if (!state.me) {
    try { await api("/api/v1/incidents?pageSize=1"); } catch (error) { if (error.status === 401) askToSignIn(); }
  }
  window.addEventListener("hashchange", route);
  await route();
  connectLive();
  setInterval(tickCountdowns, 1000);
  setInterval(scheduleRefresh, 30000);
}

start();
