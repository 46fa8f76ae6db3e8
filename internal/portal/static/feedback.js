// Atrium client page, feedback: loaded by portal.js on first use. The
// forms post to the client API; the thread and the "new since your last
// visit" line follow live updates. Text is only ever set as text.
window.atriumFeedback = function (h) {
  "use strict";
  var el = h.el, form = h.form, nameIn = form && form.elements.name;
  try { if (nameIn && !nameIn.value) nameIn.value = localStorage.atriumName || ""; } catch (x) { /* no storage */ }

  // send posts feedback; done runs once the studio has it. An error is
  // shown in the form f.
  function send(body, f, done) {
    var name = nameIn.value.trim(), e = f.querySelector(".fb__err");
    if (name) { body.name = name; try { localStorage.atriumName = name; } catch (x) { /* no storage */ } }
    if (e) e.remove();
    fetch(h.main.dataset.events.replace(/\/events.*/, "/feedback"), { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
      .then(function (res) {
        return res.json().then(function (j) {
          if (!res.ok) throw new Error(j.error && j.error.message);
          h.announce("Sent to the studio. Thank you.");
          done();
        });
      })
      .catch(function (x) {
        f.prepend(el("p", { class: "fb__err", role: "alert" }, x.message || "Not sent. Please try again."));
      });
  }

  // open shows the optional comment and the send button under a rendering's
  // Approve or Request changes button b.
  function open(b) {
    var box = b.closest(".tile__body"), dec = b.dataset.dec, old = box.querySelector("form");
    if (old) old.remove();
    var ta = el("textarea", { rows: "2", maxlength: "2000", "aria-label": "Comment (optional)", placeholder: "Comment (optional)" });
    var cancel = el("button", { class: "button", type: "button" }, "Cancel");
    var f = el("form", { class: "tile__form" }, ta,
      el("div", { class: "tile__fb" }, el("button", { class: "button" }, dec === "approved" ? "Send approval" : "Send request"), cancel));
    f.onsubmit = function (e) {
      e.preventDefault();
      send({ renderingId: b.value, decision: dec, message: ta.value }, f, function () { f.remove(); b.focus(); });
    };
    cancel.onclick = function () { f.remove(); b.focus(); };
    box.append(f);
    ta.focus();
  }

  function submit() {
    var els = form.elements, body = { message: els.message.value }, d = form.querySelector("[name=decision]:checked");
    if (els.renderingId && els.renderingId.value) body.renderingId = els.renderingId.value;
    if (d && d.value) body.decision = d.value;
    send(body, form, function () { els.message.value = ""; });
  }

  function thread(v) {
    var box = document.querySelector(".thread"), titles = {}, before, last = v.feedback[v.feedback.length - 1];
    if (!box) return;
    before = box.textContent;
    v.renderings.forEach(function (r) { titles[r.id] = r.title; });
    box.replaceChildren.apply(box, v.feedback.map(function (f) {
      var t = titles[f.renderingId], q = t ? "\u201c" + t + "\u201d" : "a rendering";
      var what = f.decision === "approved" ? "Approved " + q : f.decision ? "Asked for changes on " + q : t ? "About " + q : "";
      return el("li", { class: "msg msg--" + f.from },
        el("p", { class: "msg__meta" }, el("b", null, f.name || "Client"), " \u00b7 ", h.timeEl(f.at, true)),
        what ? el("p", { class: "msg__what" }, what) : null,
        f.message ? el("p", { class: "msg__text" }, f.message) : null);
    }));
    if (box.textContent !== before && last && last.from === "studio") h.announce("New message from " + last.name);
  }

  // news is the line under the project's name, as the server writes it.
  function news(v) {
    var n = h.$("news"), r = v.renderings.filter(function (x) { return x.isNew; }).length, p = 0, parts = [];
    v.rooms.forEach(function (room) { room.phases.forEach(function (ph) { if (ph.isNew) p++; }); });
    if (r) parts.push(r + (r > 1 ? " new renderings" : " new rendering"));
    if (p) parts.push(p + (p > 1 ? " completed phases" : " completed phase"));
    var line = v.link.previousVisitAt && parts.length ? parts.join(" and ") + " since " + h.formatDate(v.link.previousVisitAt, true).slice(0, -5) : "";
    if (!n && line) document.getElementById("project-name").after(n = el("p", { class: "news", "data-bind": "news" }));
    if (n) {
      h.text(n, line);
      n.hidden = !line;
    }
  }

  return {
    open: open,
    submit: submit,
    apply: function (v) { news(v); thread(v); }
  };
};
