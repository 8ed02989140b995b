// Review page: keyboard and mouse editing. Every action is a POST that the server saves at once; the
// answer is the re-rendered table body, swapped in place so the reviewer keeps their position.
(function () {
  "use strict";
  const table = document.getElementById("links");
  if (!table) return;
  const docId = table.dataset.doc;
  let selected = 0;
  let side = "zh";
  let busy = false;

  const rows = () => table.tBodies[0].rows;

  function select(index, scroll = true, remember = true) {
    const all = rows();
    if (!all.length) return;
    selected = Math.max(0, Math.min(index, all.length - 1));
    table.querySelectorAll("tr.selected").forEach((tr) => tr.classList.remove("selected"));
    table.querySelectorAll("td.active-side").forEach((td) => td.classList.remove("active-side"));
    const row = all[selected];
    row.classList.add("selected");
    row.querySelector("td.side." + side).classList.add("active-side");
    if (scroll) row.scrollIntoView({ block: "nearest" });
    // The URL remembers the row across reloads; not set while loading, when the browser would scroll to it.
    if (remember) history.replaceState(null, "", "#link-" + row.dataset.pos);
  }

  function refreshHeader() {
    const body = table.tBodies[0];
    // The header's forms live outside the swapped rows: give them the state the rows now show.
    document.querySelectorAll("#doc-tools input[name=state]").forEach((input) => { input.value = body.dataset.state; });
    const progress = document.getElementById("progress");
    progress.textContent = body.dataset.reviewed + " / " + body.dataset.links + " links reviewed";
    document.getElementById("undo").disabled = body.dataset.edits === "0";
    const whole = document.getElementById("review-document");
    const done = body.dataset.documentReviewed === "1";
    whole.value = done ? "unreview-document" : "review-document";
    whole.textContent = done ? "Document reviewed ✓" : "Mark document reviewed";
  }

  function toast(message) {
    let box = document.getElementById("toast");
    if (!box) {
      box = document.createElement("div");
      box.id = "toast";
      box.setAttribute("role", "alert");
      document.body.appendChild(box);
    }
    box.textContent = message;
    box.classList.add("show");
    clearTimeout(box.hideTimer);
    box.hideTimer = setTimeout(() => box.classList.remove("show"), 4000);
  }

  // Resolves to true when the server saved the edit.
  async function post(fields) {
    if (busy) return false;
    busy = true;
    // The state of the links this page shows: an edit made on a view that changed since is refused.
    fields.state = table.tBodies[0].dataset.state;
    try {
      const response = await fetch("/doc/" + docId + "/edit", {
        method: "POST",
        headers: { "X-Duizhao-Fetch": "1" },
        body: new URLSearchParams(fields),
      });
      const text = await response.text();
      const page = new DOMParser().parseFromString(
        response.ok ? "<table>" + text + "</table>" : text, "text/html");
      if (!response.ok) {
        const message = page.querySelector(".message");
        toast(message ? message.textContent : "The server refused the edit (" + response.status + ").");
        return false;
      }
      table.replaceChild(document.importNode(page.querySelector("tbody"), true), table.tBodies[0]);
      refreshHeader();
      select(selected, false);
      return true;
    } catch (err) {
      toast("Could not reach the server: the edit was not saved.");
      return false;
    } finally {
      busy = false;
    }
  }

  function act(action, extra) {
    const row = rows()[selected];
    if (!row) return Promise.resolve(false);
    return post(Object.assign({ action: action, position: row.dataset.pos }, extra || {}));
  }

  // The next link that still needs a look: not reviewed, and flagged or not confidently aligned.
  function nextToCheck() {
    const all = rows();
    for (let i = selected + 1; i < all.length; i++) {
      const c = all[i].classList;
      if (!c.contains("reviewed") && (c.contains("flagged") || !c.contains("conf-high"))) return i;
    }
    toast("No unreviewed flagged or uncertain link below this one.");
    return selected;
  }

  // Buttons are plain forms (they work without JavaScript); intercept them to stay on the page.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    // getAttribute: the forms' buttons are named "action", which hides the form's own action property.
    if (!(form.getAttribute("action") || "").endsWith("/doc/" + docId + "/edit")) return;
    event.preventDefault();
    const fields = Object.fromEntries(new FormData(form));
    if (event.submitter && event.submitter.name) fields[event.submitter.name] = event.submitter.value;
    const row = form.closest("tr.link");
    if (row) select(Array.prototype.indexOf.call(rows(), row), false);
    post(fields);
  });

  table.addEventListener("click", (event) => {
    const row = event.target.closest("tr.link");
    if (!row || event.target.closest("button")) return;
    const cell = event.target.closest("td.side");
    if (cell) side = cell.dataset.lang;
    select(Array.prototype.indexOf.call(rows(), row), false);
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    const row = rows()[selected];
    const keys = {
      j: () => select(selected + 1),
      k: () => select(selected - 1),
      ArrowLeft: () => { side = "zh"; select(selected); },
      ArrowRight: () => { side = "en"; select(selected); },
      h: () => { side = "zh"; select(selected); },
      l: () => { side = "en"; select(selected); },
      m: () => act("merge"),
      s: () => act("split"),
      "[": () => act("move:" + side + ":up"),
      ArrowUp: () => act("move:" + side + ":up"),
      "]": () => act("move:" + side + ":down"),
      ArrowDown: () => act("move:" + side + ":down"),
      r: () => {
        // marking a link reviewed moves on to the next one, as a reviewer reads down the page
        const marking = !(row && row.dataset.reviewed === "1");
        act(marking ? "review" : "unreview").then((saved) => { if (saved && marking) select(selected + 1); });
      },
      n: () => select(nextToCheck()),
      u: () => post({ action: "undo" }),
    };
    const handler = keys[event.key];
    if (!handler) return;
    event.preventDefault();
    handler();
  });

  const fromHash = /^#link-(\d+)$/.exec(location.hash);
  refreshHeader();
  select(fromHash ? Number(fromHash[1]) : 0, Boolean(fromHash), false);
})();
