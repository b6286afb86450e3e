/*
 * Live updates (DESIGN §6): one WebSocket per page, the protocol of notifications/live/consumers.py.
 *
 * A page says what it listens to with data attributes, and the server renders everything:
 *   - an element with data-live-stream="agency.12" data-live-seq="40": the stream and the last
 *     number the page was rendered with;
 *   - elements with data-live-region and an id: the parts of the page that are fetched again
 *     (from data-live-refresh-url if given, else the page's address; always a GET, with an
 *     X-Live-Refresh header) and swapped in place when a message of
 *     the page's streams arrives. A part the user is typing in or has opened is left alone and
 *     offers its update instead, so nobody loses what they were writing.
 * The header's bell follows the user's own stream (body data-live-user) on every page.
 *
 * A lost connection shows a quiet "reconnecting" badge after a moment, retries with growing
 * pauses, and on reconnecting asks for everything after the last numbers it saw.
 */
(function () {
  "use strict";

  const body = document.body;
  if (!body.dataset.liveUrl || !("WebSocket" in window)) { return; }

  const PING_MS = 25000;
  const REFRESH_DELAY_MS = 150;   // messages that arrive together cause one fetch
  const QUIET_MS = 1500;          // a blip shorter than this shows nothing
  const MAX_RETRY_MS = 30000;

  const userStream = body.dataset.liveUser;
  const positions = new Map([[userStream, Number(body.dataset.liveUserSeq) || 0]]);
  const pageStreams = new Set();
  // A page shown in answer to a POST (an action refused, its form kept) names its GET address:
  // fetching or reloading the POST's address must never send the action again.
  const refreshSource = document.querySelector("[data-live-refresh-url]");
  const refreshUrl = refreshSource ? refreshSource.dataset.liveRefreshUrl : location.href;
  for (const element of document.querySelectorAll("[data-live-stream]")) {
    const name = element.dataset.liveStream;
    pageStreams.add(name);
    positions.set(name, Number(element.dataset.liveSeq) || 0);
  }

  const status = document.getElementById("live-status");
  const announcer = document.getElementById("live-announce");
  let socket = null;
  let attempts = 0;
  let pingTimer = null;
  let quietTimer = null;
  let refreshTimer = null;
  let refreshing = false;
  let refreshAgain = false;
  let waitingFor = 0;

  function setState(state) {
    body.dataset.live = state;
    if (!status) { return; }
    status.dataset.state = state;
    if (state === "reconnecting" || state === "signed-out") {
      const text = state === "signed-out" ? status.dataset.signedOut : status.dataset.reconnecting;
      status.querySelector(".live-status-text").textContent = text;
      if (state === "signed-out") {
        status.hidden = false;
      } else if (!quietTimer) {
        quietTimer = setTimeout(function () { status.hidden = false; }, QUIET_MS);
      }
    } else {
      clearTimeout(quietTimer);
      quietTimer = null;
      status.hidden = true;
    }
  }

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(message)); }
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + body.dataset.liveUrl);
    socket.addEventListener("open", function () {
      attempts = 0;
      const streams = {};
      positions.forEach(function (seq, name) { streams[name] = seq; });
      waitingFor = positions.size;
      send({type: "subscribe", streams: streams});
      clearInterval(pingTimer);
      pingTimer = setInterval(function () { send({type: "ping"}); }, PING_MS);
    });
    socket.addEventListener("message", function (event) { receive(JSON.parse(event.data)); });
    socket.addEventListener("close", function (event) {
      clearInterval(pingTimer);
      if (event.code === 4001) { setState("signed-out"); return; }
      setState("reconnecting");
      attempts += 1;
      // 0.5 s, 1 s, 2 s … up to 30 s, with jitter so a restarted server is not hit all at once.
      const pause = Math.min(MAX_RETRY_MS, 500 * Math.pow(2, attempts - 1)) * (0.75 + Math.random() / 2);
      setTimeout(connect, pause);
    });
  }

  function receive(message) {
    switch (message.type) {
      case "hello":
        showUnread(message.unread);
        break;
      case "subscribed":
      case "denied":
        if (message.type === "denied") { positions.delete(message.stream); }
        waitingFor -= 1;
        if (waitingFor <= 0) { setState("live"); }
        break;
      case "reset":
        positions.set(message.stream, message.seq);
        if (pageStreams.has(message.stream)) { scheduleRefresh(); }
        break;
      case "issue.changed":
      case "inbox.changed":
      case "warnings.raised":
        if (!positions.has(message.stream) || message.seq <= positions.get(message.stream)) { return; }
        positions.set(message.stream, message.seq);
        if (message.type === "inbox.changed") {
          showUnread(message.unread);
          if (message.new && announcer) {
            announcer.textContent = announcer.dataset.newNotifications.replace("%(count)s", message.unread);
          }
        }
        if (pageStreams.has(message.stream)) { scheduleRefresh(); }
        break;
    }
  }

  function showUnread(count) {
    if (typeof count !== "number") { return; }
    for (const badge of document.querySelectorAll(".nav-unread")) {
      badge.textContent = count;
      badge.hidden = count === 0;
    }
  }

  // --- swapping the page's live parts ---------------------------------------------------------

  function scheduleRefresh() {
    if (document.hidden) { refreshAgain = true; return; }  // done when the tab is shown again
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refresh, REFRESH_DELAY_MS);
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && refreshAgain && !refreshing) { refreshAgain = false; refresh(); }
  });

  async function refresh() {
    if (refreshing) { refreshAgain = true; return; }
    refreshing = true;
    refreshAgain = false;
    try {
      const response = await fetch(refreshUrl, {
        headers: {"X-Live-Refresh": "1"}, credentials: "same-origin", cache: "no-store",
      });
      if (response.ok && !response.redirected) {
        swapRegions(new DOMParser().parseFromString(await response.text(), "text/html"));
      } else {
        // Signed out, or the page is no longer ours to see: let the server say so.
        location.assign(refreshUrl);
        return;
      }
    } catch (error) {
      refreshAgain = true;  // offline for a moment; try again with the next message or ping
    } finally {
      refreshing = false;
    }
    if (refreshAgain) { scheduleRefresh(); }
  }

  function swapRegions(fresh) {
    for (const current of document.querySelectorAll("[data-live-region][id]")) {
      const replacement = fresh.getElementById(current.id);
      if (!replacement) { continue; }
      if (inUse(current)) {
        offerUpdate(current, replacement);
      } else {
        replace(current, replacement);
      }
    }
    body.dataset.liveRefreshed = String(Number(body.dataset.liveRefreshed || 0) + 1);
  }

  function replace(current, replacement) {
    const before = new Map();
    for (const item of current.querySelectorAll("[data-live-key]")) {
      before.set(item.dataset.liveKey, item.dataset.liveVersion || "");
    }
    const adopted = document.importNode(replacement, true);
    current.replaceWith(adopted);
    // New and changed rows flash once, so the eye finds what moved.
    for (const item of adopted.querySelectorAll("[data-live-key]")) {
      const was = before.get(item.dataset.liveKey);
      if (before.size && (was === undefined || was !== (item.dataset.liveVersion || ""))) {
        item.classList.add("live-flash");
      }
    }
  }

  function inUse(region) {
    if (region.contains(document.activeElement) && document.activeElement !== document.body) { return true; }
    for (const field of region.querySelectorAll("textarea, input:not([type=hidden]), select")) {
      if (field.type === "checkbox" || field.type === "radio") {
        if (field.checked !== field.defaultChecked) { return true; }
      } else if (field.tagName === "SELECT") {
        // With no option marked selected in the HTML, a single select starts on its first.
        const marked = Array.prototype.some.call(field.options, function (option) { return option.defaultSelected; });
        for (let i = 0; i < field.options.length; i += 1) {
          const option = field.options[i];
          const initially = marked || field.multiple ? option.defaultSelected : i === 0;
          if (option.selected !== initially) { return true; }
        }
      } else if (field.type !== "file" ? field.value !== field.defaultValue : field.files.length) {
        return true;
      }
    }
    return Boolean(region.querySelector("form .collapse.show, .collapse.show form, [data-live-keep]"));
  }

  function offerUpdate(region, replacement) {
    let offer = region.querySelector(":scope > .live-offer");
    if (!offer) {
      offer = document.createElement("div");
      offer.className = "live-offer alert alert-info py-1 px-2 small d-flex align-items-center gap-2";
      offer.setAttribute("role", "status");
      const text = document.createElement("span");
      text.textContent = body.dataset.liveOfferText || "";
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-outline-primary ms-auto";
      button.textContent = body.dataset.liveOfferButton || "↻";
      offer.append(text, button);
      region.prepend(offer);
    }
    offer.querySelector("button").onclick = function () { replace(region, replacement); };
  }

  setState("connecting");
  connect();
})();
