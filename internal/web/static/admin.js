// Atrium admin UI: small enhancements over server-rendered pages. Every
// form works without this file; it adds upload progress, one-click copy,
// confirmations, local times and a few conveniences.
(function () {
  "use strict";

  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  // Upload with a real progress bar: the form's fields go to the JSON API by
  // XHR (upload progress events); without JS the form posts to its action.
  $all("form[data-upload]").forEach(function (form) {
    var wrap = form.querySelector("[data-upload-progress]");
    var bar = wrap && wrap.querySelector("progress");
    var status = form.querySelector("[data-upload-status]");
    var fail = form.querySelector("[data-upload-fail]");
    var button = form.querySelector("button[type=submit]");
    form.addEventListener("submit", function (ev) {
      if (!window.FormData || !wrap) return;
      ev.preventDefault();
      $all(".field-error, [data-upload-error]", form).forEach(function (el) { el.remove(); });
      $all("[aria-invalid]", form).forEach(function (el) { el.removeAttribute("aria-invalid"); });
      fail.hidden = true;
      var data = new FormData(form);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("data-upload"));
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) return;
        var pct = Math.round(100 * e.loaded / e.total);
        bar.value = pct;
        status.textContent = pct < 100 ? "Uploading… " + pct + "%" : "Processing the image…";
      });
      xhr.addEventListener("load", function () {
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
        if (xhr.status === 201 && body && body.id) {
          bar.value = 100;
          status.textContent = "Uploaded.";
          location.assign(location.pathname + "?uploaded=" + encodeURIComponent(body.id) + "#rendering-" + body.id);
          return;
        }
        if (xhr.status === 401) { location.assign("/login?next=" + encodeURIComponent(location.pathname)); return; }
        var err = (body && body.error) || {};
        done(err.message || "The upload failed (" + xhr.status + "). Please try again.", err.field);
      });
      xhr.addEventListener("error", function () { done("The connection was lost during the upload. Please try again."); });
      xhr.addEventListener("abort", function () { done("The upload was cancelled."); });
      wrap.hidden = false;
      bar.value = 0;
      status.textContent = "Uploading… 0%";
      button.disabled = true;
      xhr.send(data);
    });
    function done(message, field) {
      button.disabled = false;
      wrap.hidden = true;
      var input = field && form.querySelector("[name='" + field + "']");
      if (input) {
        var p = document.createElement("p");
        p.className = "field-error";
        p.textContent = message;
        input.setAttribute("aria-invalid", "true");
        input.closest("label").appendChild(p);
        input.focus();
      } else {
        fail.textContent = message;
        fail.hidden = false;
      }
    }
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
  // JS the server shows a confirmation page instead.
  $all("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
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
    });
  });

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

  // Phase cells: show which ones have unsaved changes; the completion date
  // only applies to a completed phase (the server ignores it otherwise).
  $all("form[data-phase]").forEach(function (form) {
    var status = form.querySelector("select[name=status]");
    var done = form.querySelector("input[name=completedAt]");
    var sync = function () { if (status && done) done.disabled = status.value !== "completed"; };
    form.addEventListener("change", function () { form.classList.add("is-dirty"); sync(); });
    sync();
  });

  // The page after an upload says so once; a reload should not say it again.
  if (window.history && history.replaceState && /[?&]uploaded=/.test(location.search)) {
    history.replaceState(null, "", location.pathname + location.hash);
  }

  // Times are rendered in UTC; show them in the viewer's time zone.
  if (window.Intl && Intl.DateTimeFormat) {
    var fmt = {
      date: new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" }),
      datetime: new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" })
    };
    $all("time[data-local]").forEach(function (el) {
      var d = new Date(el.getAttribute("datetime"));
      var f = fmt[el.getAttribute("data-local")];
      if (!isNaN(d) && f) {
        el.title = el.textContent;
        el.textContent = f.format(d);
      }
    });
  }

  // Drag and drop to reorder renderings: an enhancement of the Up and Down
  // buttons, which do the same without JS and from the keyboard. The order
  // dropped goes to the API as positions 1, 2, ... (PATCH
  // /api/renderings/{id} {"position"}), then the page reloads to show it.
  $all("ul.renderings").forEach(function (list) {
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
  });
})();
