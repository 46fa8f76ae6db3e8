// Atrium admin UI: small enhancements over server-rendered pages. Every
// form works without this file; it adds saving phases as they change,
// batch uploads with progress, toasts, a warning before unsaved edits are
// left behind, one-click copy, confirmations and local times.
(function () {
  "use strict";

  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  // Toasts: confirmations stay in view at the bottom of the window, however
  // far the page is scrolled: the server's flash after a redirect and the
  // script's own. Errors stay until dismissed; the others go after 8 s
  // unless pointed at or focused.
  var toasts = document.querySelector("[data-toasts]");
  function keepToast(p) {
    var close = document.createElement("button");
    close.type = "button";
    close.className = "toast-close";
    close.setAttribute("aria-label", "Dismiss");
    close.textContent = "×";
    close.addEventListener("click", function () { p.remove(); });
    p.appendChild(close);
    if (p.classList.contains("flash-error")) return;
    var timer = 0;
    var arm = function () { clearTimeout(timer); timer = setTimeout(function () { p.remove(); }, 8000); };
    var hold = function () { clearTimeout(timer); };
    p.addEventListener("mouseenter", hold);
    p.addEventListener("focusin", hold);
    p.addEventListener("mouseleave", arm);
    p.addEventListener("focusout", arm);
    arm();
  }
  // A toast with a key replaces the previous one of that key (a run of
  // saves shows one toast, not a pile).
  function toast(text, kind, key) {
    if (!toasts) return;
    $all(".toast", toasts).forEach(function (t) { if (key && t.getAttribute("data-key") === key) t.remove(); });
    var p = document.createElement("p");
    if (key) p.setAttribute("data-key", key);
    p.className = "toast flash flash-" + (kind || "ok");
    p.textContent = text;
    toasts.appendChild(p);
    while (toasts.children.length > 2) toasts.removeChild(toasts.firstElementChild);
    keepToast(p);
  }
  if (toasts) $all(".toast", toasts).forEach(keepToast);

  // Unsaved edits: leaving the page warns while any edit is not saved yet
  // (a form typed in and not submitted; a phase field whose save has not
  // succeeded; files chosen and not uploaded).
  var dirty = [];
  function setDirty(key, on) {
    var i = dirty.indexOf(key);
    if (on && i < 0) dirty.push(key);
    if (!on && i >= 0) dirty.splice(i, 1);
  }
  function tracked(form) {
    return form && (form.getAttribute("method") || "").toLowerCase() === "post" &&
      !form.hasAttribute("data-phases") && !form.hasAttribute("data-upload");
  }
  ["input", "change"].forEach(function (type) {
    document.addEventListener(type, function (ev) {
      var form = ev.target.form;
      if (tracked(form)) setDirty(form, true);
    });
  });
  document.addEventListener("submit", function (ev) { if (!ev.defaultPrevented) setDirty(ev.target, false); });
  document.addEventListener("reset", function (ev) { setDirty(ev.target, false); });
  window.addEventListener("beforeunload", function (ev) {
    if (!dirty.length) return;
    ev.preventDefault();
    ev.returnValue = "";
  });

  // A note next to a field: "Saved", "Saving…", or its error.
  function fieldNote(input, text, kind) {
    var label = input.closest("label") || input.parentNode;
    $all(".field-error, .field-note", label).forEach(function (el) { el.remove(); });
    input.removeAttribute("aria-invalid");
    if (!text) return;
    var el = document.createElement(kind === "error" ? "p" : "span");
    el.className = kind === "error" ? "field-error" : "field-note field-note-" + kind;
    el.textContent = text;
    if (kind === "error") input.setAttribute("aria-invalid", "true");
    label.appendChild(el);
  }
  function labelOf(input) {
    var l = input.closest("label");
    var t = l && l.querySelector(".label");
    return t ? t.textContent.trim() : input.name;
  }
  // An API message names the field by its API name; say its label.
  function humanize(message, field, label) {
    if (message && message.indexOf(field + " ") === 0) return label + message.slice(field.length);
    return message;
  }

  // Progress bars of a room and of the project, from the phases' statuses
  // (studio.Progress: completed / not skipped, rounded half up).
  function progressOf(fieldsets) {
    var done = 0, counted = 0;
    fieldsets.forEach(function (fs) {
      var st = fs.getAttribute("data-status");
      if (st === "skipped") return;
      if (st === "completed") done++;
      counted++;
    });
    return counted ? Math.floor((200 * done + counted) / (2 * counted)) : 0;
  }
  function setProgress(wrap, value) {
    var bar = wrap && wrap.querySelector("progress");
    if (!bar) return;
    bar.value = value;
    bar.textContent = value + "%";
    var num = wrap.querySelector(".progress-num");
    if (num) num.textContent = value + "%";
  }

  // Phases: the room's form saves each field as it changes, through the
  // JSON API (PATCH /api/phases/{id}), without reloading the page; without
  // JS the form's one Save button posts all five phases.
  $all("form[data-phases]").forEach(function (form) {
    var save = form.querySelector("[data-phases-save]");
    var hint = form.querySelector("[data-phases-hint]");
    var room = form.closest(".room");
    var roomName = room && room.querySelector("h3") ? room.querySelector("h3").textContent.trim() : "";
    if (!window.fetch || !save) return;
    save.hidden = true;
    if (hint) hint.hidden = false;
    var queue = Promise.resolve();
    var timers = {};
    var syncDone = function (fs) {
      var status = fs.querySelector("select[name$='.status']");
      var done = fs.querySelector("input[name$='.completedAt']");
      if (status && done) done.disabled = status.value !== "completed";
    };
    $all("fieldset[data-phase]", form).forEach(syncDone);
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    form.addEventListener("input", function (ev) { if (ev.target.name) setDirty(ev.target, true); });
    form.addEventListener("change", function (ev) {
      var input = ev.target, name = input.name || "", dot = name.lastIndexOf(".");
      if (dot < 0) return;
      setDirty(input, true);
      syncDone(input.closest("fieldset"));
      // A date input fires change as each part is typed: save once it rests.
      clearTimeout(timers[name]);
      var go = function () {
        fieldNote(input, "Saving…", "pending");
        queue = queue.then(function () { return send(name.slice(0, dot), name.slice(dot + 1), input); });
      };
      if (input.type === "date") timers[name] = setTimeout(go, 600); else go();
    });
    function send(id, field, input) {
      var body = {};
      body[field] = input.value;
      var fs = input.closest("fieldset");
      var phase = fs.querySelector("legend").textContent.trim();
      var failed = function (message) {
        fieldNote(input, message, "error");
        fs.classList.add("phase-invalid");
        toast(roomName + " · " + phase + ": not saved. " + message, "error", "phases");
      };
      return fetch("/api/phases/" + encodeURIComponent(id), {
        method: "PATCH",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json" },
        body: JSON.stringify(body)
      }).then(function (res) {
        return res.json().catch(function () { return null; }).then(function (data) {
          if (res.ok && data && data.id === id) {
            // The server's rules decide: completing stamps today, leaving
            // completed clears the date.
            fs.setAttribute("data-status", data.status);
            fs.className = fs.className.replace(/\bphase-[a-z_]+/, "phase-" + data.status);
            var done = fs.querySelector("input[name$='.completedAt']");
            if (done && input !== done) done.value = data.completedAt || "";
            if (input.value === body[field]) setDirty(input, false);
            fieldNote(input, "Saved", "ok");
            if (!fs.querySelector(".field-error")) fs.classList.remove("phase-invalid");
            if (done && input !== done && field === "status") fieldNote(done, "", "");
            setProgress(room && room.querySelector(".room-progress"), progressOf($all("fieldset[data-phase]", form)));
            var all = progressOf($all("form[data-phases] fieldset[data-phase]"));
            setProgress(document.querySelector(".overall"), all);
            // Hidden rooms do not count for the client: both figures show
            // while they differ.
            var both = document.querySelector(".progress-both");
            if (both) {
              var client = progressOf($all("article.room:not([data-hidden]) form[data-phases] fieldset[data-phase]"));
              both.querySelector("[data-client-progress]").textContent = client;
              both.querySelector("[data-all-progress]").textContent = all;
              both.hidden = client === all;
            }
            toast(roomName + " · " + phase + ": " + labelOf(input).toLowerCase() + " saved.", "ok", "phases");
            return;
          }
          if (res.status === 401) return failed("You are signed out: sign in again in another tab, then change the field again.");
          var err = (data && data.error) || {};
          failed(humanize(err.message, field, labelOf(input)) || "The server answered " + res.status + ". Change the field again to retry.");
        });
      }, function () { failed("The connection was lost. Change the field again to retry."); });
    }
  });

  // Uploads in batches: many files (the picker, or dropped onto the
  // renderings), each with a title from its file name that can be edited,
  // a progress bar and its own result; two at a time, to the JSON API
  // (XHR, for upload progress). The room and description apply to the
  // batch. Afterwards the renderings list is fetched again and swapped in,
  // so that the results of the batch stay on screen. Without JS the form
  // posts one file.
  function titleOf(name) {
    var t = name.replace(/\.[^.]+$/, "").replace(/[_-]+/g, " ").replace(/\s+/g, " ").trim();
    if (!t) return name.slice(0, 200);
    if (t === t.toLowerCase() || t === t.toUpperCase()) t = t.toLowerCase();
    return (t.charAt(0).toUpperCase() + t.slice(1)).slice(0, 200);
  }
  function size(n) {
    return n < 1048576 ? Math.max(1, Math.round(n / 1024)) + " KB" : (n / 1048576).toFixed(1) + " MB";
  }
  $all("form[data-upload]").forEach(function (form) {
    var picker = form.querySelector("input[type=file]");
    var list = form.querySelector("[data-upload-list]");
    var fail = form.querySelector("[data-upload-fail]");
    var button = form.querySelector("[data-upload-submit]");
    var area = form.closest("section") || form;
    if (!window.FormData || !window.XMLHttpRequest || !picker || !list) return;
    var single = form.querySelector("[data-upload-title]");
    if (single) {
      single.hidden = true;
      single.querySelector("input").required = false;
    }
    picker.multiple = true;
    picker.required = false;
    $all("[data-upload-batch]", form).forEach(function (el) { el.hidden = false; });
    $all("[data-upload-single]", form).forEach(function (el) { el.hidden = true; });
    var items = [], running = 0, uploaded = [];

    function label() {
      var n = items.filter(function (it) { return it.state === "waiting" || it.state === "failed"; }).length;
      button.textContent = n > 1 ? "Upload " + n + " files" : "Upload";
      setDirty(form, n > 0 || running > 0);
    }
    function add(files) {
      Array.prototype.forEach.call(files, function (file) {
        var li = document.createElement("li");
        li.className = "upload-item";
        var field = document.createElement("label");
        field.className = "field field-compact";
        var cap = document.createElement("span");
        cap.className = "label";
        cap.textContent = "Title of " + file.name;
        var title = document.createElement("input");
        title.type = "text";
        title.required = true;
        title.maxLength = 200;
        title.value = titleOf(file.name);
        field.appendChild(cap);
        field.appendChild(title);
        var row = document.createElement("div");
        row.className = "upload-row";
        var bar = document.createElement("progress");
        bar.max = 100;
        bar.value = 0;
        bar.setAttribute("aria-label", "Upload of " + file.name);
        var state = document.createElement("span");
        state.className = "small upload-state";
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "btn btn-small btn-quiet";
        remove.textContent = "Remove";
        var hidden = document.createElement("span");
        hidden.className = "visually-hidden";
        hidden.textContent = " " + file.name;
        remove.appendChild(hidden);
        row.appendChild(bar);
        row.appendChild(state);
        row.appendChild(remove);
        li.appendChild(field);
        li.appendChild(row);
        list.appendChild(li);
        var it = { file: file, li: li, title: title, bar: bar, note: state, remove: remove };
        remove.addEventListener("click", function () {
          items.splice(items.indexOf(it), 1);
          li.remove();
          list.hidden = !items.length;
          label();
        });
        set(it, "waiting", "Ready · " + size(file.size));
        items.push(it);
      });
      list.hidden = !items.length;
      fail.hidden = true;
      label();
    }
    function set(it, state, text) {
      it.state = state;
      it.li.setAttribute("data-state", state);
      it.note.textContent = text;
      it.remove.hidden = state === "uploading" || state === "queued";
      it.title.disabled = state !== "waiting" && state !== "failed";
      var err = it.li.querySelector(".field-error");
      if (err) err.remove();
    }
    var maxBytes = +form.getAttribute("data-max-bytes") || 0;
    function start(it) {
      if (maxBytes && it.file.size > maxBytes) {
        // The server would refuse it after the whole transfer: say so now.
        running++;
        set(it, "uploading", "");
        setTimeout(function () { end(it, "", "The file is larger than " + form.getAttribute("data-max") + ": it was not sent."); }, 0);
        return;
      }
      running++;
      set(it, "uploading", "Uploading… 0%");
      var data = new FormData();
      data.append("title", it.title.value);
      data.append("roomId", form.querySelector("[name=roomId]").value);
      data.append("description", form.querySelector("[name=description]").value);
      data.append("file", it.file, it.file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("data-upload"));
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) return;
        var pct = Math.round(100 * e.loaded / e.total);
        it.bar.value = pct;
        it.note.textContent = pct < 100 ? "Uploading… " + pct + "%" : "Processing the image…";
      });
      var done = function (id, message) { end(it, id, message); };
      xhr.addEventListener("load", function () {
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
        if (xhr.status === 201 && body && body.id) return done(body.id);
        if (xhr.status === 401) return done("", "You are signed out: sign in again in another tab, then upload again.");
        done("", (body && body.error && body.error.message) || "The upload failed (" + xhr.status + "). Please try again.");
      });
      xhr.addEventListener("error", function () { done("", "The connection was lost during the upload. Please try again."); });
      xhr.send(data);
    }
    function end(it, id, message) {
      running--;
      if (id) {
        it.bar.value = 100;
        set(it, "done", "Uploaded as a draft");
        uploaded.push(id);
      } else {
        it.bar.value = 0;
        set(it, "failed", "Not uploaded");
        var p = document.createElement("p");
        p.className = "field-error";
        p.textContent = message;
        it.li.appendChild(p);
      }
      next();
    }
    function next() {
      var queued = function () { return items.filter(function (it) { return it.state === "queued"; })[0]; };
      while (running < 2 && queued()) start(queued());
      if (running) return;
      button.disabled = false;
      var failed = items.filter(function (it) { return it.state === "failed"; }).length;
      var done = uploaded.length;
      uploaded = [];
      label();
      if (!done && !failed) return;
      var text = done + (done === 1 ? " rendering" : " renderings") + " uploaded as drafts" + (failed ? "; " + failed + " not uploaded: see the list." : ".");
      toast(text, failed ? "error" : "ok");
      if (done) refresh();
    }
    // Fetch the page again and swap in its renderings list.
    function refresh() {
      fetch(location.pathname, { credentials: "same-origin", headers: { "Accept": "text/html" } }).then(function (res) {
        return res.ok ? res.text() : Promise.reject(res.status);
      }).then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector("#renderings > .renderings, #renderings > .empty");
        var old = area.querySelector("#renderings > .renderings, #renderings > .empty");
        if (!fresh || !old) return;
        var known = $all("li[id^='rendering-']", old).map(function (li) { return li.id; });
        var swapped = document.importNode(fresh, true);
        old.parentNode.replaceChild(swapped, old);
        if (swapped.matches("ul.renderings")) reorderable(swapped);
        $all("li[id^='rendering-']", area).forEach(function (li) { if (known.indexOf(li.id) < 0) li.classList.add("is-new"); });
        localTimes(area);
        items.filter(function (it) { return it.state === "done"; }).forEach(function (it) {
          items.splice(items.indexOf(it), 1);
          it.li.remove();
        });
        list.hidden = !items.length;
      }).catch(function () { toast("The renderings list could not be refreshed: reload the page to see the new renderings.", "error"); });
    }

    picker.addEventListener("change", function () {
      add(picker.files);
      picker.value = "";
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var todo = items.filter(function (it) { return it.state === "waiting" || it.state === "failed"; });
      if (!todo.length) {
        fail.textContent = "Choose one or more image files first, or drop them onto the renderings.";
        fail.hidden = false;
        picker.focus();
        return;
      }
      fail.hidden = true;
      button.disabled = true;
      todo.forEach(function (it) { set(it, "queued", "Waiting…"); });
      next();
    });
    // Drop files anywhere on the renderings area.
    var depth = 0;
    var hasFiles = function (ev) { return ev.dataTransfer && Array.prototype.indexOf.call(ev.dataTransfer.types || [], "Files") >= 0; };
    area.addEventListener("dragenter", function (ev) {
      if (!hasFiles(ev)) return;
      ev.preventDefault();
      depth++;
      area.classList.add("is-drop");
    });
    area.addEventListener("dragover", function (ev) {
      if (!hasFiles(ev)) return;
      ev.preventDefault();
      ev.dataTransfer.dropEffect = "copy";
    });
    area.addEventListener("dragleave", function () { if (--depth <= 0) { depth = 0; area.classList.remove("is-drop"); } });
    area.addEventListener("drop", function (ev) {
      if (!hasFiles(ev)) return;
      ev.preventDefault();
      depth = 0;
      area.classList.remove("is-drop");
      add(ev.dataTransfer.files);
      form.scrollIntoView({ block: "nearest" });
    });
  });

  // One-click copy: navigator.clipboard, else select the text and copy.
  $all("[data-copy]").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("data-copy"));
    var note = button.parentNode.querySelector("[data-copied]");
    if (!input) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = input.value;
      var ok = function () {
        var label = button.textContent;
        button.textContent = "Copied";
        if (note) note.textContent = "Link copied to the clipboard.";
        setTimeout(function () {
          button.textContent = label === "Copied" ? "Copy" : label;
          if (note) note.textContent = "";
        }, 2000);
      };
      var fallback = function () {
        input.focus();
        input.select();
        input.setSelectionRange(0, text.length);
        var done = false;
        try { done = document.execCommand("copy"); } catch (e) { done = false; }
        if (done) ok(); else if (note) note.textContent = "Press Ctrl+C (⌘C) to copy.";
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(ok, fallback);
      } else {
        fallback();
      }
    });
  });
  $all("[data-select-all]").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });

  // Confirmations: ask here, and tell the server it was confirmed; without
  // JS the server shows a confirmation page instead. Delegated, so that
  // forms drawn after load (the renderings after a batch) ask too.
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form.hasAttribute || !form.hasAttribute("data-confirm")) return;
    if (!window.confirm(form.getAttribute("data-confirm"))) {
      ev.preventDefault();
      return;
    }
    if (!form.querySelector("input[name=confirmed]")) {
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = "confirmed";
      hidden.value = "1";
      form.appendChild(hidden);
    }
  }, true);

  // Link expiry: the date input only matters for "on a date".
  $all("form[data-link-form]").forEach(function (form) {
    var on = form.querySelector("[data-expiry-on]");
    var sync = function () {
      var picked = form.querySelector("input[name=expires]:checked");
      var isDate = picked && picked.value === "date";
      on.hidden = !isDate;
      on.querySelector("input").required = isDate;
    };
    $all("input[name=expires]", form).forEach(function (r) {
      r.addEventListener("change", function () {
        sync();
        if (r.value === "date") on.querySelector("input").focus();
      });
    });
    sync();
  });

  // The page after an upload says so once; a reload should not say it again.
  if (window.history && history.replaceState && /[?&]uploaded=/.test(location.search)) {
    history.replaceState(null, "", location.pathname + location.hash);
  }

  // Times are rendered in UTC; show them in the viewer's time zone.
  function localTimes(root) {
    if (!window.Intl || !Intl.DateTimeFormat) return;
    var fmt = {
      date: new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" }),
      datetime: new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" })
    };
    $all("time[data-local]", root).forEach(function (el) {
      var d = new Date(el.getAttribute("datetime"));
      var f = fmt[el.getAttribute("data-local")];
      if (!isNaN(d) && f) {
        el.title = el.textContent;
        el.textContent = f.format(d);
        el.removeAttribute("data-local");
      }
    });
  }
  localTimes(document);

  // Drag and drop to reorder renderings: an enhancement of the Up and Down
  // buttons, which do the same without JS and from the keyboard. The order
  // dropped goes to the API as positions 1, 2, ... (PATCH
  // /api/renderings/{id} {"position"}), then the page reloads to show it.
  // A batch upload's refresh swaps the list in anew and calls it again.
  $all("ul.renderings").forEach(reorderable);
  function reorderable(list) {
    var dragged = null;
    var items = function () { return $all("li.rendering", list); };
    items().forEach(function (li) {
      li.draggable = true;
      li.addEventListener("dragstart", function (e) {
        dragged = li;
        li.classList.add("is-dragging");
        if (e.dataTransfer) { e.dataTransfer.effectAllowed = "move"; e.dataTransfer.setData("text/plain", li.id); }
      });
      li.addEventListener("dragend", function () { li.classList.remove("is-dragging"); });
      li.addEventListener("dragover", function (e) {
        if (!dragged || dragged === li) return;
        e.preventDefault();
        var r = li.getBoundingClientRect();
        // One column (a phone): above or below; a grid: left or right.
        var after = li.offsetWidth > list.offsetWidth * 0.6 ? e.clientY > r.top + r.height / 2 : e.clientX > r.left + r.width / 2;
        list.insertBefore(dragged, after ? li.nextSibling : li);
      });
    });
    list.addEventListener("dragover", function (e) { if (dragged) e.preventDefault(); });
    list.addEventListener("drop", function (e) {
      if (!dragged) return;
      e.preventDefault();
      dragged.classList.remove("is-dragging");
      dragged = null;
      list.setAttribute("aria-busy", "true");
      Promise.all(items().map(function (li, i) {
        return fetch("/api/renderings/" + li.id.replace("rendering-", ""), {
          method: "PATCH", credentials: "same-origin",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ position: i + 1 })
        }).then(function (res) { if (!res.ok) throw new Error(res.status); });
      })).then(function () { location.hash = "renderings"; location.reload(); }, function () {
        list.removeAttribute("aria-busy");
        var msg = document.createElement("p");
        msg.className = "form-error";
        msg.setAttribute("role", "alert");
        msg.textContent = "The new order could not be saved completely. Reload the page to see the order as saved.";
        list.parentNode.insertBefore(msg, list);
      });
    });
  }
})();
