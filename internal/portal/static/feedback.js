// Atrium client page, feedback: loaded by portal.js on first use. The
// forms post to the client API; the thread and the "new since your last
// visit" line follow live updates. Text is only ever set as text.
window.atriumFeedback = function (h) {
  "use strict";
  var el = h.el, f = h.f, L = h.L, form = h.form, nameIn = form && form.elements.name;
  try { if (nameIn && !nameIn.value) nameIn.value = localStorage.atriumName || ""; } catch (x) { /* no storage */ }

  // send posts feedback; done runs once the studio has it. An error is
  // shown in the form f.
  function send(body, fm, done) {
    var name = nameIn.value.trim(), e = fm.querySelector(".fb__err");
    if (name) { body.name = name; try { localStorage.atriumName = name; } catch (x) { /* no storage */ } }
    if (e) e.remove();
    fetch(h.main.dataset.events.replace(/\/events.*/, "/feedback"), { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
      .then(function (res) {
        return res.json().then(function (j) {
          if (!res.ok) throw new Error(j.error && j.error.message);
          h.announce(L.st);
          done();
        });
      })
      .catch(function (x) {
        fm.prepend(el("p", { class: "fb__err", role: "alert" }, x.message || L.ns));
      });
  }

  // open shows the optional comment and the send button under a rendering's
  // Approve or Request changes button b.
  function open(b) {
    var box = b.closest(".tile__body"), dec = b.dataset.dec, old = box.querySelector("form");
    if (old) old.remove();
    var ta = el("textarea", { rows: "2", maxlength: "2000", "aria-label": L.co, placeholder: L.co });
    var cancel = el("button", { class: "button", type: "button" }, L.ca);
    var fm = el("form", { class: "tile__form" }, ta,
      el("div", { class: "tile__fb" }, el("button", { class: "button" }, dec === "approved" ? L.sa : L.sr), cancel));
    fm.onsubmit = function (e) {
      e.preventDefault();
      send({ renderingId: b.value, decision: dec, message: ta.value }, fm, function () { fm.remove(); b.focus(); });
    };
    cancel.onclick = function () { fm.remove(); b.focus(); };
    box.append(fm);
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
    box.replaceChildren.apply(box, v.feedback.map(function (m) {
      var t = titles[m.renderingId], q = t ? "\u201c" + t + "\u201d" : L.ar;
      var what = m.decision === "approved" ? f(L.aa, q) : m.decision ? f(L.ac, q) : t ? f(L.ab, q) : "";
      return el("li", { class: "msg msg--" + m.from },
        el("p", { class: "msg__meta" }, el("b", null, m.name || L.ci), " \u00b7 ", h.timeEl(m.at, true)),
        what ? el("p", { class: "msg__what" }, what) : null,
        m.message ? el("p", { class: "msg__text" }, m.message) : null);
    }));
    if (box.textContent !== before && last && last.from === "studio") h.announce(f(L.nm, last.name));
  }

  // news is the line under the project's name, as the server writes it.
  function news(v) {
    var n = h.$("news"), r = v.renderings.filter(function (x) { return x.isNew; }).length, p = 0, parts = [];
    v.rooms.forEach(function (room) { room.phases.forEach(function (ph) { if (ph.isNew) p++; }); });
    if (r) parts.push(f(L.nn[r > 1 ? 1 : 0], r));
    if (p) parts.push(f(L.np[p > 1 ? 1 : 0], p));
    var line = v.link.previousVisitAt && parts.length ? f(L.si, parts.length > 1 ? f(L.an, parts[0], parts[1]) : parts[0],
      h.formatDate(v.link.previousVisitAt, true).slice(0, -5)) : "";
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
