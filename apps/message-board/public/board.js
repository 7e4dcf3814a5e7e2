// Tiny Message Board: live updates and a confirmation before clearing. The page works fully
// without this script; it only adds to it. Served as a file because the page's
// Content-Security-Policy (default-src 'self') forbids inline script.
"use strict";

(() => {
  const board = document.getElementById("board");
  const clearForm = document.getElementById("clear-form");
  if (clearForm) {
    // Without script the button leads to a confirmation page; with it, a dialog asks and the
    // form then clears in one step.
    clearForm.addEventListener("submit", (event) => {
      if (!window.confirm("Clear every message on the board? This cannot be undone.")) {
        event.preventDefault();
        return;
      }
      const button = event.submitter ?? clearForm.querySelector("button[name=clear]");
      if (button) button.value = "confirm";
    });
  }

  // Room left in a message, counted as the server counts it: UTF-8 bytes, line breaks as LF.
  const textarea = document.getElementById("message");
  const room = document.getElementById("message-room");
  const maxBytes = Number(textarea?.dataset.maxBytes);
  if (textarea && room && maxBytes > 0) {
    const encoder = new TextEncoder();
    let last = "";
    const update = () => {
      const used = encoder.encode(textarea.value.replace(/\r\n?/g, "\n")).length;
      const left = maxBytes - used;
      const text =
        left >= 0
          ? `${left} of ${maxBytes} bytes left.`
          : `${-left} bytes too long: the limit is ${maxBytes} bytes.`;
      // Only changes are written, so the polite live region does not chatter.
      if (text !== last) room.textContent = last = text;
      room.classList.toggle("over", left < 0);
    };
    textarea.addEventListener("input", update);
    update();
  }

  const liveUrl = board?.dataset.live;
  if (!liveUrl || typeof EventSource !== "function") return;
  const list = document.getElementById("messages");
  const empty = document.getElementById("empty");
  const formatTime = timeFormatter(board.dataset.timeZone);

  // The same shape as the server's: "Mon 23 Nov 2026, 19:58:36 CET".
  function timeFormatter(timeZone) {
    const fields = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      weekday: "short",
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    const zoneNames = ["en-US", "en-GB"].map(
      (locale) => new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: "short" }),
    );
    return (iso) => {
      const date = new Date(iso);
      if (Number.isNaN(date.getTime())) return iso;
      const part = {};
      for (const { type, value } of fields.formatToParts(date)) part[type] = value;
      let zone = "";
      for (const format of zoneNames) {
        const name = format.formatToParts(date).find((p) => p.type === "timeZoneName")?.value ?? "";
        if (!/^(GMT|UTC)[+-\u2212]/.test(name)) {
          zone = name;
          break;
        }
        zone ||= name;
      }
      return `${part.weekday} ${part.day} ${part.month} ${part.year}, ${part.hour}:${part.minute}:${part.second} ${zone}`;
    };
  }

  // The server's rendering of control characters: a labelled box with the ASCII name (NUL, ESC,
  // DEL) or, for a C1 control, the code point.
  const C0_NAMES =
    "NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US".split(
      " ",
    );
  function visibleText(value) {
    const nodes = [];
    let last = 0;
    for (const match of value.matchAll(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g)) {
      nodes.push(value.slice(last, match.index));
      const code = match[0].charCodeAt(0);
      const hex = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
      const span = document.createElement("span");
      span.className = "control";
      span.title = `control character ${hex}`;
      span.textContent = code < 0x20 ? C0_NAMES[code] : code === 0x7f ? "DEL" : hex;
      nodes.push(span);
      last = match.index + 1;
    }
    nodes.push(value.slice(last));
    return nodes;
  }

  // Built with textContent, never innerHTML: message text stays text.
  function renderMessage(message) {
    const item = document.createElement("li");
    item.id = `m-${message.id}`;
    const text = document.createElement("pre");
    text.className = "text";
    text.append(...visibleText(message.text));
    const posted = document.createElement("p");
    posted.className = "posted";
    const time = document.createElement("time");
    time.dateTime = message.postedAt;
    time.textContent = formatTime(message.postedAt);
    posted.append("Posted: ", time);
    item.append(text, posted);
    return item;
  }

  // EventSource reconnects by itself and sends Last-Event-ID, so nothing is missed or doubled.
  const source = new EventSource(liveUrl);
  source.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    if (document.getElementById(`m-${message.id}`)) return;
    list.append(renderMessage(message));
    empty.hidden = true;
  });
  source.addEventListener("clear", () => {
    list.replaceChildren();
    empty.hidden = false;
  });
  board.dataset.liveState = "connecting";
  source.addEventListener("open", () => {
    board.dataset.liveState = "open";
  });
  source.addEventListener("error", () => {
    board.dataset.liveState = source.readyState === EventSource.CLOSED ? "closed" : "reconnecting";
  });
})();
