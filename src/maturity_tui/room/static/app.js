// The voting page: join with the code, follow the facilitator, vote. User text only ever
// goes through textContent, so a statement or name holding HTML stays text.
"use strict";

const $ = (id) => document.getElementById(id);
const TOKEN_KEY = "maturity-tui-token";
const WATCHDOG_MS = 40000; // the server sends a keep-alive every 15 s
const CONFIRM_MS = 4000; // a vote with no answer by then is "not confirmed"
let token = stored();
let state = null;
let stream = null;
let pending = null; // the vote or withdrawal sent and not answered yet
let timebox = null; // {remaining, running, at}: the facilitator's countdown as last heard
// A board's colours each have a letter, so a card reads without colour too.
const COLOR_LETTERS = { red: "R", amber: "A", green: "G" };
const TRENDS = [
  { trend: "up", arrow: "↑", label: "Getting better" },
  { trend: "same", arrow: "→", label: "Staying the same" },
  { trend: "down", arrow: "↓", label: "Getting worse" },
];

// The token lives in localStorage: it survives reloads and new tabs, so reopening the link
// rejoins. Some private modes refuse storage; the page then works for this tab only.
function stored() {
  try { return localStorage.getItem(TOKEN_KEY); } catch { return null; }
}

function store(value) {
  try {
    if (value) localStorage.setItem(TOKEN_KEY, value);
    else localStorage.removeItem(TOKEN_KEY);
  } catch { /* storage refused: nothing to keep */ }
}

function show(view) {
  for (const id of ["join-view", "vote-view", "wait-view"]) $(id).hidden = id !== view;
}

function banner(text, action, onAction) {
  $("banner-text").textContent = text || "";
  $("banner").hidden = !text;
  $("banner-action").hidden = !action;
  $("banner-action").textContent = action || "";
  $("banner-action").onclick = onAction || null;
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

// A refusal in words: what happened and, when the room said so, when to try again.
function refusal(reply, fallback) {
  if (reply.status === 429) {
    const wait = (reply.data && reply.data.retry_after) || 5;
    return `The room is busy (too many requests from your network). Try again in ${wait} s.`;
  }
  if (reply.status === 503) return "The room is full right now. Try again in a few seconds.";
  return (reply.data && reply.data.error) || fallback;
}

// --- Joining ----------------------------------------------------------------------------

async function describeRoom() {
  let reply;
  try {
    reply = await api("GET", "/api/room");
  } catch {
    $("join-error").textContent = "Cannot reach the room. Check the address and your network.";
    return;
  }
  if (reply.status !== 200) {
    $("join-error").textContent = refusal(reply, "The room did not answer.");
    return;
  }
  $("team").textContent = reply.data.team;
  $("join-title").textContent = "Join " + reply.data.team + "'s room";
  const length = reply.data.code_length;
  $("code-label").textContent = `Join code: ${length} characters, as on the facilitator's screen`;
  $("code").placeholder = "•".repeat(length);
}

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
    store(token);
    $("names").hidden = true;
    show("wait-view");
    follow();
  } else if (reply.status === 403 && reply.data && Array.isArray(reply.data.names)) {
    $("join-form").hidden = true; // the code was right: only the name is left to give
    offerNames(reply.data.names, name !== undefined);
  } else {
    $("join-error").textContent = refusal(reply, "Could not join.");
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
  store(null);
  if (stream) stream.abort();
  banner("");
  $("join-form").hidden = false;
  $("names").hidden = true;
  show("join-view");
  $("join-error").textContent = message;
  describeRoom();
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
    let refused = null;
    try {
      arm();
      const response = await fetch("/api/events", {
        headers: { Authorization: "Bearer " + token }, cache: "no-store", signal: controller.signal,
      });
      if (response.status === 401) {
        leave("The room does not know this device any more. Join again.");
        return;
      }
      if (!response.ok) {
        refused = { status: response.status, data: await response.json().catch(() => null) };
        throw new Error("HTTP " + response.status);
      }
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
    if (farewell === "replaced") {
      banner("This room is open in another tab or window.", "Use it here", () => {
        banner("");
        follow();
      });
      return;
    }
    if (refused) banner(refusal(refused, "The room refused to connect.") + " Reconnecting…");
    else if (farewell === "closed") banner("The facilitator closed the room. Waiting for it…");
    else banner("Connection lost. Reconnecting…");
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
  return ["revoked", "closed", "replaced"].includes(event) ? event : null;
}

// --- Showing the indicator ----------------------------------------------------------------

function render(next) {
  const moved = !state || !next.indicator || !state.indicator
    || state.indicator.id !== next.indicator.id;
  state = next;
  $("team").textContent = next.team;
  $("who").textContent = next.you ? "You: " + next.you : "Anonymous vote";
  timebox = next.timebox ? { ...next.timebox, at: Date.now() } : null;
  showTimebox();
  const current = next.indicator;
  if (!current) {
    show("wait-view");
    return;
  }
  show("vote-view");
  const parts = [`Indicator ${current.position} of ${current.total}`];
  if (current.level_heading) parts.push(current.level_heading);
  if (current.dimension) parts.push(current.dimension);
  $("where").textContent = parts.join(" · ");
  $("statement").textContent = current.statement;
  $("guidance").textContent = current.guidance || "";
  $("guidance-box").hidden = !current.guidance;
  if (moved) {
    pending = null;
    setSaved("");
    $("guidance-box").open = false;
  }
  renderScale(next);
  renderTrends(next);
  // Revealed: the votes are locked until the facilitator starts a re-vote.
  $("scale").hidden = next.revealed;
  $("trend-box").hidden = next.revealed || !next.asks_trend;
  $("withdraw").hidden = next.revealed || !hasVoted(next);
  if (next.revealed) {
    pending = null;
    $("retry").hidden = true;
    setSaved("");
  }
  const expected = next.voting === "named" ? ` of ${next.participants.length}` : "";
  $("progress").textContent = `${next.vote_count}${expected} voted · ` + (next.revealed
    ? "votes locked until the facilitator starts a re-vote"
    : "votes stay hidden until the reveal");
  renderVoters(next);
  renderTally(next);
}

function renderVoters(next) {
  // Names only, never values: who has voted, and who the room still waits for (a vote,
  // and a trend when the model asks for one).
  const voted = new Set(next.voted);
  const trended = new Set(next.trend_voted || []);
  const waiting = next.participants.filter(
    (name) => !voted.has(name) || (next.asks_trend && !trended.has(name)));
  $("voters").hidden = next.voting !== "named" || next.revealed;
  $("voters").textContent = `Voted: ${next.voted.join(", ") || "nobody yet"}`
    + (waiting.length ? ` · Waiting for: ${waiting.join(", ")}` : "");
}

function hasVoted(next) {
  return next.my_vote !== null || Boolean(next.my_trend);
}

// What stands for a point: its colour's letter on a board, else its value (0.25 too).
function mark(point) {
  return point.color ? COLOR_LETTERS[point.color] : String(point.value);
}

function pointOf(next, value) {
  return next.scale.find((p) => p.value === value) || { value, label: "", color: null };
}

function markElement(point) {
  return element("span", point.color ? `value swatch ${point.color}` : "value", mark(point));
}

function renderScale(next) {
  const box = $("scale");
  const focused = document.activeElement && document.activeElement.dataset.value;
  box.replaceChildren();
  // Every mark as wide as the widest (0.25 beside 1), so the labels line up.
  box.style.setProperty("--mark-chars", Math.max(...next.scale.map((p) => mark(p).length)));
  for (const point of next.scale) {
    const button = element("button", point.color ? `choice ${point.color}` : "choice");
    button.type = "button";
    button.dataset.value = String(point.value);
    // Highlighted only once the room confirmed it; a vote on its way is only outlined.
    button.setAttribute("aria-pressed", String(point.value === next.my_vote));
    button.classList.toggle("sending", Boolean(pending && pending.value === point.value));
    button.append(markElement(point), element("span", "label", point.label));
    button.addEventListener("click", () => vote(point.value));
    box.append(button);
    if (focused === String(point.value)) button.focus();
  }
}

function renderTrends(next) {
  const box = $("trends");
  const focused = document.activeElement && document.activeElement.dataset.trend;
  box.replaceChildren();
  if (!next.asks_trend) return;
  for (const { trend, arrow, label } of TRENDS) {
    const button = element("button", "choice");
    button.type = "button";
    button.dataset.trend = trend;
    button.setAttribute("aria-pressed", String(trend === next.my_trend));
    button.classList.toggle("sending", Boolean(pending && pending.trend === trend));
    button.append(element("span", "value", arrow), element("span", "label", label));
    button.addEventListener("click", () => voteTrend(trend));
    box.append(button);
    if (focused === trend) button.focus();
  }
}

function renderTally(next) {
  const tally = next.tally;
  $("tally").hidden = !tally;
  if (!tally) return;
  const agreed = tally.agreed === null ? null : pointOf(next, tally.agreed);
  $("agreed").textContent = agreed === null ? "No agreed value yet"
    : `Agreed: ${mark(agreed)} · ${agreed.label}`;
  $("agreed").className = agreed && agreed.color ? agreed.color : "";
  renderTrendTally(next, tally);
  const most = Math.max(1, ...tally.histogram.map((row) => row.count));
  const bars = $("bars");
  bars.replaceChildren();
  for (const row of tally.histogram) {
    const line = element("div", "bar-row");
    const point = pointOf(next, row.value);
    const bar = element("div", point.color ? `bar ${point.color}` : "bar");
    bar.style.width = (100 * row.count / most) + "%";
    bar.hidden = row.count === 0;
    line.append(element("span", "label", `${mark(point)} ${point.label}`),
      element("div", "track"), element("span", "count", String(row.count)));
    line.children[1].append(bar);
    bars.append(line);
  }
  // A board's median lies between colours: its count per colour says more.
  const board = next.scale.every((point) => point.color);
  const median = tally.median === null ? "–" : String(tally.median);
  $("summary").textContent = `${tally.count} votes` + (board ? "" : ` · median ${median}`)
    + (tally.contested ? " · contested: worth discussing" : "");
}

// The trend the room agreed, with how many voted each way.
function renderTrendTally(next, tally) {
  const box = $("agreed-trend");
  box.hidden = !next.asks_trend || !tally.trends;
  if (box.hidden) return;
  const counts = TRENDS.map(({ trend }) => {
    const row = tally.trends.find((r) => r.trend === trend);
    return `${row ? row.count : 0} ${trend}`;
  }).join(", ");
  const agreed = TRENDS.find((t) => t.trend === tally.agreed_trend);
  box.textContent = (agreed ? `Trend: ${agreed.arrow} ${agreed.label.toLowerCase()}` : "No trend votes")
    + ` · ${counts}`;
}

function showTimebox() {
  const box = $("timebox");
  box.hidden = !timebox;
  if (!timebox) return;
  const elapsed = timebox.running ? Math.floor((Date.now() - timebox.at) / 1000) : 0;
  const left = timebox.remaining - elapsed;
  const clock = `${Math.floor(Math.abs(left) / 60)}:${String(Math.abs(left) % 60).padStart(2, "0")}`;
  box.textContent = (left < 0 ? `over by ${clock}` : `${clock} left`) + (timebox.running ? "" : ", paused");
  box.classList.toggle("over", left < 0);
}

// --- Voting --------------------------------------------------------------------------------

function setSaved(text, isError) {
  $("saved").textContent = text;
  $("saved").classList.toggle("error", Boolean(isError));
}

// Sent, then confirmed by the room (204), refused with a reason, or, with no answer within
// CONFIRM_MS, "not confirmed" with a retry: never "saved" before the room says so.
async function send(attempt) {
  pending = attempt;
  setSaved("Sending…");
  $("retry").hidden = true;
  if (state) {
    renderScale(state);
    renderTrends(state);
  }
  const unanswered = setTimeout(() => {
    if (pending !== attempt) return;
    setSaved("Not confirmed: the room has not answered yet.", true);
    $("retry").hidden = false;
  }, CONFIRM_MS);
  let reply;
  try {
    reply = await api(attempt.method, "/api/vote", attempt.body);
  } catch {
    reply = null;
  }
  clearTimeout(unanswered);
  if (pending !== attempt) return; // a retry or another vote took its place
  if (reply === null || reply.status >= 500) {
    setSaved("Not confirmed: " + (reply ? refusal(reply, "the room failed") : "no connection."), true);
    $("retry").hidden = false;
    return;
  }
  pending = null;
  if (reply.status === 204) attempt.done();
  else if (reply.status === 401) leave("The room does not know this device any more. Join again.");
  else setSaved("Not saved: " + refusal(reply, "HTTP " + reply.status), true);
  if (state) {
    renderScale(state);
    renderTrends(state);
  }
}

function vote(value) {
  if (!state || !state.indicator || state.revealed) return;
  const point = pointOf(state, value);
  send({
    method: "PUT", body: { indicator: state.indicator.id, value }, value,
    done: () => {
      state.my_vote = value;
      $("withdraw").hidden = false;
      setSaved(`Saved ✓ Your vote: ${mark(point)} · ${point.label}`);
    },
  });
}

function voteTrend(trend) {
  if (!state || !state.indicator || state.revealed || !state.asks_trend) return;
  const { arrow, label } = TRENDS.find((t) => t.trend === trend);
  send({
    method: "PUT", body: { indicator: state.indicator.id, trend }, trend,
    done: () => {
      state.my_trend = trend;
      $("withdraw").hidden = false;
      setSaved(`Saved ✓ Your trend: ${arrow} ${label.toLowerCase()}`);
    },
  });
}

function withdraw() {
  if (!state || !state.indicator || state.revealed) return;
  send({
    method: "DELETE", body: { indicator: state.indicator.id }, value: null,
    done: () => {
      state.my_vote = null;
      state.my_trend = null;
      $("withdraw").hidden = true;
      setSaved("Vote withdrawn ✓");
    },
  });
}

const TREND_KEYS = { u: "up", s: "same", d: "down" }; // as in `maturity-tui join`

document.addEventListener("keydown", (event) => {
  // Digits vote by scale position, like the facilitator's keyboard; u, s, d the trend.
  if ($("vote-view").hidden || event.ctrlKey || event.metaKey || event.altKey) return;
  const position = Number(event.key);
  if (state && Number.isInteger(position) && position >= 1 && position <= state.scale.length) {
    vote(state.scale[position - 1].value);
  } else if (state && state.asks_trend && TREND_KEYS[event.key]) {
    voteTrend(TREND_KEYS[event.key]);
  }
});

$("join-form").addEventListener("submit", (event) => {
  event.preventDefault();
  join();
});
$("withdraw").addEventListener("click", withdraw);
$("retry").addEventListener("click", () => { if (pending) send(pending); });
setInterval(showTimebox, 1000);

const invited = new URLSearchParams(location.hash.slice(1)).get("code");
if (invited) $("code").value = invited;
if (token) {
  show("wait-view");
  follow();
} else {
  show("join-view");
  describeRoom();
}
