// The voting page: join with the code, follow the facilitator, vote. User text only ever
// goes through textContent, so a statement or name holding HTML stays text.
"use strict";

const $ = (id) => document.getElementById(id);
const TOKEN_KEY = "maturity-tui-token";
const WATCHDOG_MS = 40000; // the server sends a keep-alive every 15 s
let token = sessionStorage.getItem(TOKEN_KEY);
let state = null;
let stream = null;

function show(view) {
  for (const id of ["join-view", "vote-view", "wait-view"]) $(id).hidden = id !== view;
}

function banner(text) {
  $("banner").textContent = text || "";
  $("banner").hidden = !text;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

async function api(method, path, body) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = "Bearer " + token;
  const response = await fetch(path, {
    method, headers, cache: "no-store", body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  if (response.status !== 204) data = await response.json().catch(() => null);
  return { status: response.status, data };
}

// --- Joining ----------------------------------------------------------------------------

async function join(name) {
  const code = $("code").value;
  $("join-error").textContent = "";
  let reply;
  try {
    reply = await api("POST", "/api/join", name === undefined ? { code } : { code, name });
  } catch {
    $("join-error").textContent = "Cannot reach the room. Are you on the same network?";
    return;
  }
  if (reply.status === 200) {
    token = reply.data.token;
    sessionStorage.setItem(TOKEN_KEY, token);
    $("names").hidden = true;
    show("wait-view");
    follow();
  } else if (reply.status === 403 && reply.data && Array.isArray(reply.data.names)) {
    offerNames(reply.data.names, name !== undefined);
  } else if (reply.status === 429) {
    $("join-error").textContent = "Too many tries. Wait a few seconds.";
  } else {
    $("join-error").textContent = (reply.data && reply.data.error) || "Could not join.";
  }
}

function offerNames(names, wasTaken) {
  const list = $("name-list");
  list.replaceChildren();
  for (const name of names) {
    const button = element("button", "choice", name);
    button.type = "button";
    button.addEventListener("click", () => join(name));
    list.append(button);
  }
  $("names").hidden = false;
  if (wasTaken) $("join-error").textContent = "That name was just taken. Pick yours again.";
  if (!names.length) $("join-error").textContent = "Every name is taken. Ask the facilitator.";
}

function leave(message) {
  token = null;
  sessionStorage.removeItem(TOKEN_KEY);
  if (stream) stream.abort();
  banner("");
  show("join-view");
  $("join-error").textContent = message;
}

// --- Following the facilitator (server-sent events over fetch: it can send the token) ----

async function follow() {
  let delay = 1000;
  while (token) {
    const controller = new AbortController();
    stream = controller;
    let watchdog = 0;
    const arm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => controller.abort(), WATCHDOG_MS);
    };
    let farewell = null;
    try {
      arm();
      const response = await fetch("/api/events", {
        headers: { Authorization: "Bearer " + token }, cache: "no-store", signal: controller.signal,
      });
      if (response.status === 401) {
        leave("The room does not know this device any more. Join again.");
        return;
      }
      if (!response.ok) throw new Error("HTTP " + response.status);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        arm();
        banner("");
        delay = 1000;
        buffer += value;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          farewell = handleEvent(buffer.slice(0, end)) || farewell;
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      // A dropped or stalled connection: fall through and reconnect.
    }
    clearTimeout(watchdog);
    if (!token || stream !== controller) return;
    if (farewell === "revoked") {
      leave("The facilitator released your name. Join again.");
      return;
    }
    banner(farewell === "closed"
      ? "The facilitator closed the room. Waiting for it to open again…"
      : "Connection lost. Reconnecting…");
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 8000);
  }
}

function handleEvent(block) {
  let event = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (line.startsWith("event:")) event = line.slice(6).trim();
    else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
  }
  if (event === "state") render(JSON.parse(data.join("\n")));
  return event === "revoked" || event === "closed" ? event : null;
}

// --- Showing the indicator ----------------------------------------------------------------

function render(next) {
  const moved = !state || !next.indicator || !state.indicator
    || state.indicator.id !== next.indicator.id;
  state = next;
  $("team").textContent = next.team;
  $("who").textContent = next.you ? "You: " + next.you : "Anonymous vote";
  const current = next.indicator;
  if (!current) {
    show("wait-view");
    return;
  }
  show("vote-view");
  const parts = [`Indicator ${current.position} of ${current.total}`,
    `Level ${current.level} · ${current.level_name}`];
  if (current.dimension) parts.push(current.dimension);
  $("where").textContent = parts.join(" · ");
  $("statement").textContent = current.statement;
  $("guidance").textContent = current.guidance || "";
  $("guidance-box").hidden = !current.guidance;
  renderScale(next);
  if (moved) setSaved("");
  $("withdraw").hidden = next.my_vote === null;
  const expected = next.voting === "named" ? ` of ${next.participants.length}` : "";
  $("progress").textContent = `${next.vote_count}${expected} voted`
    + (next.revealed ? " · revealed" : " · votes stay hidden until the reveal");
  renderTally(next);
}

function renderScale(next) {
  const box = $("scale");
  const focused = document.activeElement && document.activeElement.dataset.value;
  box.replaceChildren();
  for (const point of next.scale) {
    const button = element("button", "choice");
    button.type = "button";
    button.dataset.value = String(point.value);
    button.setAttribute("aria-pressed", String(point.value === next.my_vote));
    button.append(element("span", "value", String(point.value)), element("span", "label", point.label));
    button.addEventListener("click", () => vote(point.value));
    box.append(button);
    if (focused === String(point.value)) button.focus();
  }
}

function renderTally(next) {
  const tally = next.tally;
  $("tally").hidden = !tally;
  if (!tally) return;
  const most = Math.max(1, ...tally.histogram.map((row) => row.count));
  const bars = $("bars");
  bars.replaceChildren();
  for (const row of tally.histogram) {
    const point = next.scale.find((p) => p.value === row.value);
    const line = element("div", "bar-row");
    const bar = element("div", "bar");
    bar.style.width = (100 * row.count / most) + "%";
    bar.hidden = row.count === 0;
    line.append(element("span", "label", `${row.value} ${point ? point.label : ""}`),
      element("div", "track"), element("span", "count", String(row.count)));
    line.children[1].append(bar);
    bars.append(line);
  }
  const median = tally.median === null ? "–" : String(tally.median);
  $("summary").textContent = `${tally.count} votes · median ${median}`
    + (tally.contested ? " · contested: worth discussing" : "");
}

// --- Voting --------------------------------------------------------------------------------

function setSaved(text, isError) {
  $("saved").textContent = text;
  $("saved").classList.toggle("error", Boolean(isError));
}

async function send(method, body, onDone) {
  setSaved("Saving…");
  let reply;
  try {
    reply = await api(method, "/api/vote", body);
  } catch {
    setSaved("Not saved: no connection. Try again.", true);
    return;
  }
  if (reply.status === 204) onDone();
  else if (reply.status === 401) leave("The room does not know this device any more. Join again.");
  else if (reply.status === 409) setSaved("Not saved: the facilitator moved on.", true);
  else if (reply.status === 429) setSaved("Not saved: too fast. Try again in a moment.", true);
  else setSaved("Not saved: " + ((reply.data && reply.data.error) || reply.status), true);
}

function vote(value) {
  if (!state || !state.indicator) return;
  const label = (state.scale.find((p) => p.value === value) || {}).label || "";
  send("PUT", { indicator: state.indicator.id, value }, () => {
    state.my_vote = value;
    renderScale(state);
    $("withdraw").hidden = false;
    setSaved(`Saved ✓ Your vote: ${value} · ${label}`);
  });
}

function withdraw() {
  if (!state || !state.indicator) return;
  send("DELETE", { indicator: state.indicator.id }, () => {
    state.my_vote = null;
    renderScale(state);
    $("withdraw").hidden = true;
    setSaved("Vote withdrawn ✓");
  });
}

document.addEventListener("keydown", (event) => {
  // Digits vote by scale position, like the facilitator's keyboard.
  if ($("vote-view").hidden || event.ctrlKey || event.metaKey || event.altKey) return;
  const position = Number(event.key);
  if (state && Number.isInteger(position) && position >= 1 && position <= state.scale.length) {
    vote(state.scale[position - 1].value);
  }
});

$("join-form").addEventListener("submit", (event) => {
  event.preventDefault();
  join();
});
$("withdraw").addEventListener("click", withdraw);

const invited = new URLSearchParams(location.hash.slice(1)).get("code");
if (invited) $("code").value = invited;
if (token) {
  show("wait-view");
  follow();
} else {
  show("join-view");
}
