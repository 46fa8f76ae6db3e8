// Atrium client page: the full-screen viewer and live updates. The page
// works without this file, which only adds to the server-rendered HTML.
// Text from the server is only ever set as text, never parsed as HTML.
(function () {
  "use strict";
  var doc = document;
  var main = doc.getElementById("main");
  var gallery = doc.querySelector("[data-bind=gallery]");
  if (!main || !gallery) return; // an error page

  // The page's words, in its language (strings.go): L.key.
  var L = JSON.parse(doc.getElementById("l10n").textContent);
  // f fills a message's %s (or %d) in order.
  function f(s) { var a = arguments, i = 1; return s.replace(/%[sd]/g, function () { return a[i++]; }); }
  function pct(n) { return L.pc.replace("0", n); }

  function $(name) { return doc.querySelector("[data-bind=" + name + "]"); }
  function all(sel, root) { return Array.prototype.slice.call((root || doc).querySelectorAll(sel)); }

  // el("a", {href: "#"}, child, "text", ...); null children are skipped.
  function el(tag, attrs) {
    var node = doc.createElement(tag);
    for (var k in attrs) if (attrs[k] != null) node.setAttribute(k, attrs[k]);
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c != null) node.append(c);
    }
    return node;
  }
  function text(node, value) { if (node && node.textContent !== value) node.textContent = value; }

  // Dates as the server writes them (locale.L.LongDate, ShortDate), UTC.
  function ymd(v) { return !v ? "" : /^\d{4}-\d\d-\d\d$/.test(v) ? v : new Date(v).toISOString().slice(0, 10); }
  function formatDate(v, short) {
    var d = ymd(v);
    return d && (short ? L.ds : L.dl).replace("Y", d.slice(0, 4)).replace("D", +d.slice(8))
      .replace("M", (short ? L.ms : L.mo).split("|")[d.slice(5, 7) - 1]);
  }
  function timeEl(v, short) { return el("time", { datetime: ymd(v) }, formatDate(v, short)); }
  // The last day a link expiring at v still opens: the date of the last
  // millisecond before v, as studio.LastDay computes it for the page.
  function lastDay(v) { return new Date(Date.parse(v) - 1).toISOString().slice(0, 10); }

  // ---- The full-screen viewer ----

  var viewer, vImg, vCount, vTitle, vRoom, vDesc, vDownload, vPrev, vNext;
  var currentId = null, lastFocus = null, touch = null;

  // A tile is known by its preview URL, which holds the rendering's id.
  function tiles() { return all(".tile", gallery); }
  function key(tile) { return tile.querySelector(".tile__link").getAttribute("href"); }
  function part(tile, sel) { var n = tile.querySelector(sel); return n ? n.textContent : ""; }

  function button(cls, label) {
    return el("button", { class: "viewer__btn ico " + cls, type: "button", "aria-label": label });
  }

  function buildViewer() {
    vImg = el("img", { class: "viewer__img", alt: "" });
    vCount = el("p", { class: "viewer__count" });
    vTitle = el("h2", { class: "viewer__title", id: "viewer-title" });
    vRoom = el("p", { class: "viewer__room" });
    vDesc = el("p", { class: "viewer__desc" });
    vDownload = el("a", { class: "button dl", download: "" }, L.do);
    vPrev = button("viewer__prev ico--prev", L.pv);
    vNext = button("viewer__next ico--next", L.nx);
    var close = button("viewer__close ico--close", L.cl);
    var stage = el("div", { class: "viewer__stage" }, vImg, vPrev, vNext);
    viewer = el("dialog", { class: "viewer", "aria-labelledby": "viewer-title", "data-testid": "viewer" },
      stage, el("div", { class: "viewer__caption" }, el("div", null, vCount, vRoom, vTitle, vDesc), vDownload), close);
    doc.body.append(viewer);

    close.onclick = closeViewer;
    vPrev.onclick = function () { step(-1); };
    vNext.onclick = function () { step(1); };
    vImg.onload = function () { vImg.classList.remove("is-loading"); };
    viewer.addEventListener("cancel", function (e) { e.preventDefault(); closeViewer(); });
    viewer.addEventListener("close", restoreFocus);
    viewer.addEventListener("keydown", onKey);
    // Swipe on touch screens; a click on the dark stage closes.
    stage.addEventListener("pointerdown", function (e) {
      touch = e.pointerType === "mouse" ? null : [e.clientX, e.clientY];
    });
    stage.addEventListener("pointerup", function (e) {
      if (!touch) return;
      var dx = e.clientX - touch[0], dy = e.clientY - touch[1];
      touch = null;
      if (Math.abs(dx) > 50 && Math.abs(dx) > 1.5 * Math.abs(dy)) step(dx < 0 ? 1 : -1);
    });
    stage.addEventListener("click", function (e) { if (e.target === stage) closeViewer(); });
  }

  function show(id) {
    var list = tiles(), i = list.findIndex(function (t) { return key(t) === id; });
    if (i < 0) return closeViewer();
    var t = list[i], preview = id;
    currentId = id;
    if (vImg.getAttribute("src") !== preview) {
      vImg.classList.add("is-loading");
      vImg.src = preview;
    }
    vImg.alt = t.querySelector("img").alt;
    text(vCount, f(L.of, i + 1, list.length));
    text(vTitle, part(t, ".tile__title"));
    text(vRoom, part(t, ".tile__room"));
    text(vDesc, part(t, ".tile__desc"));
    var dl = t.querySelector(".dl");
    vDownload.hidden = !dl;
    if (dl) vDownload.href = dl.getAttribute("href");
    vPrev.hidden = vNext.hidden = list.length < 2;
    // Fetch the neighbours' previews so that the next step is instant.
    [i - 1, i + 1].forEach(function (j) {
      var n = list[(j + list.length) % list.length];
      if (n !== t) new Image().src = key(n);
    });
  }

  function step(delta) {
    var ids = tiles().map(key);
    if (ids.length > 1) show(ids[(ids.indexOf(currentId) + delta + ids.length) % ids.length]);
  }

  function openViewer(id) {
    if (doc.body.classList.contains("is-gone")) return; // the images are gone with the link
    if (!viewer) buildViewer();
    lastFocus = doc.activeElement;
    show(id);
    doc.documentElement.classList.add("viewer-open");
    if (viewer.showModal) viewer.showModal(); else viewer.setAttribute("open", "");
    viewer.querySelector(".viewer__close").focus();
  }

  function closeViewer() {
    if (!viewer || !viewer.open) return;
    if (viewer.close) viewer.close(); else { viewer.removeAttribute("open"); restoreFocus(); }
  }

  function restoreFocus() {
    doc.documentElement.classList.remove("viewer-open");
    // If the tile went away meanwhile, land on the gallery's first one.
    var back = lastFocus && doc.body.contains(lastFocus) ? lastFocus : gallery.querySelector(".tile__link");
    if (back) back.focus();
    lastFocus = null;
  }

  function onKey(e) {
    var k = e.key;
    if (k === "ArrowLeft" || k === "ArrowRight") step(k === "ArrowLeft" ? -1 : 1);
    else if (k === "Escape") closeViewer();
    else if (k === "Tab") {
      // Keep focus inside the viewer.
      var f = all("button, a[href]", viewer).filter(function (n) { return n.offsetParent; });
      var first = f[0], last = f[f.length - 1], at = doc.activeElement;
      if (!(e.shiftKey ? at === first : at === last)) return;
      (e.shiftKey ? last : first).focus();
    } else return;
    e.preventDefault();
  }

  gallery.addEventListener("click", function (e) {
    var link = e.target.closest(".tile__link");
    if (!link || e.button || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    openViewer(link.getAttribute("href"));
  });

  // Lazy images are fetched before printing, so that the print shows all.
  addEventListener("beforeprint", function () {
    all("img[loading=lazy]").forEach(function (img) { img.loading = "eager"; });
  });

  // ---- Live updates ----

  var notice = doc.getElementById("notice"), noticeTimer;
  function announce(msg) {
    notice.textContent = msg;
    notice.hidden = false;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(function () { notice.hidden = true; }, 6000);
  }

  function contacts(s) {
    return el("p", { class: "contacts", "data-bind": "contacts" },
      s.contactEmail ? el("a", { class: "contact ico ico--mail", href: "mailto:" + s.contactEmail }, s.contactEmail) : null,
      s.contactPhone ? el("a", { class: "contact ico ico--phone", href: "tel:" + s.contactPhone.replace(/(?!^\+)\D/g, "") }, s.contactPhone) : null);
  }

  function applyStudio(s) {
    text($("studioName"), s.name || L.ys);
    text($("studioName2"), s.name || L.ts);
    var logo = $("logo");
    if (s.logoUrl && !logo) $("studioName").before(el("img", { class: "brand__logo", src: s.logoUrl, alt: "", height: "40", "data-bind": "logo" }));
    // A new logo has a new URL (its ?v=).
    if (s.logoUrl && logo && logo.getAttribute("src") !== s.logoUrl) logo.src = s.logoUrl;
    if (!s.logoUrl && logo) logo.remove();
    // The theme is inline at first (its URL in data-href): a new colour
    // brings the cached stylesheet of that colour in its place.
    var theme = doc.getElementById("theme"), href = theme.getAttribute("href") || theme.dataset.href;
    if (/^#[0-9a-f]{6}$/i.test(s.accentColor)) {
      var next = href.replace(/[0-9a-f]{6}(?=\.v\d+\.css$)/, s.accentColor.slice(1).toLowerCase());
      if (next !== href) theme.replaceWith(el("link", { rel: "stylesheet", href: next, id: "theme" }));
    }
    $("contacts").replaceWith(contacts(s));
  }

  function applyProject(v) {
    var p = v.project, target = $("targetDate"), updated = $("updatedAt");
    text($("projectName"), p.name);
    text($("clientName"), p.clientName);
    $("targetWrap").hidden = !p.targetDate;
    target.setAttribute("datetime", p.targetDate);
    text(target, formatDate(p.targetDate));
    updated.setAttribute("datetime", ymd(p.updatedAt));
    text(updated, formatDate(p.updatedAt));
    $("overall").setAttribute("aria-valuenow", p.overallProgress);
    $("ringValue").setAttribute("stroke-dasharray", p.overallProgress + " 100");
    text($("overallNum"), String(p.overallProgress));
    text($("roomCount"), String(v.rooms.length));
    doc.title = p.name + (v.studio.name ? " · " + v.studio.name : "");
  }

  function roomNode(room, i) {
    var p = pct(room.progress);
    return el("article", { class: "room", "aria-labelledby": "room-" + i },
      el("div", { class: "room__head" },
        el("h3", { class: "room__name", id: "room-" + i }, room.name),
        el("p", { class: "room__pct" }, f(L.cp, p))),
      el("progress", { class: "bar", max: "100", value: room.progress, "aria-label": f(L.ra, room.name, p) }, p),
      el.apply(null, ["ol", { class: "steps" }].concat(room.phases.map(function (ph) {
        var done = ph.status === "completed";
        return el("li", { class: "step step--" + ph.status },
          el("span", { class: "step__name" }, ph.name),
          el("span", { class: "step__state" },
            done && ph.completedAt ? timeEl(ph.completedAt, true) : L["s_" + ph.status] || L.s_not_started,
            done ? el("span", { class: "visually-hidden" }, " " + L.cd) : null,
            ph.isNew ? " " : null, ph.isNew ? badge() : null));
      }))));
  }

  function applyRooms(rooms) {
    var box = $("rooms"), old = {};
    all(".room", box).forEach(function (n) { old[part(n, ".room__name")] = n.textContent; });
    box.replaceChildren.apply(box, rooms.map(function (room, i) {
      var node = roomNode(room, i);
      // Highlight what moved.
      if (room.name in old && old[room.name] !== node.textContent) node.classList.add("room--updated");
      return node;
    }));
    $("roomsEmpty").hidden = rooms.length > 0;
  }

  // fitLong: the size of an image scaled so its long side is at most long.
  function fitLong(w, h, long) {
    if (!(w > 0 && h > 0)) return [long, Math.round(long * 2 / 3)];
    var k = Math.min(1, long / Math.max(w, h));
    return [Math.max(1, Math.round(w * k)), Math.max(1, Math.round(h * k))];
  }

  function altOf(r) { return r.title + (r.room ? ", " + r.room : ""); }

  function badge() { return el("span", { class: "badge" }, L.nw); }

  function tileBody(r) {
    var d = r.clientDecision;
    return el("div", { class: "tile__body" },
      r.isNew || d ? el("p", { class: "tags" }, r.isNew ? badge() : null, d ? el("span", { class: "dec dec--" + d }, L["d_" + d]) : null) : null,
      r.room ? el("p", { class: "tile__room" }, r.room) : null,
      el("h3", { class: "tile__title" }, r.title),
      r.description ? el("p", { class: "tile__desc" }, r.description) : null,
      r.downloadUrl ? el("a", { class: "button dl", href: r.downloadUrl }, L.dn) : null,
      fbButtons(r.id));
  }

  function tileNode(r) {
    var t = fitLong(r.width, r.height, 480), p = fitLong(r.width, r.height, 1600);
    return el("li", { class: "tile tile--new" },
      el("a", { class: "tile__link", href: r.previewUrl },
        el("img", { src: r.thumbnailUrl, srcset: r.thumbnailUrl + " " + t[0] + "w, " + r.previewUrl + " " + p[0] + "w",
          sizes: gallery.dataset.sizes, width: t[0], height: t[1], loading: "lazy", alt: altOf(r) })),
      tileBody(r));
  }

  // applyGallery keeps the tiles it has (their images stay loaded) and
  // returns the titles of the new renderings. By room (?view=rooms), the
  // rooms' order comes first, as page.go's byRoom orders them.
  function applyGallery(renderings, rooms) {
    var have = {}, added = [], names = rooms.map(function (r) { return r.name; });
    function rank(r) { var i = names.indexOf(r.room); return i < 0 ? names.length : i; }
    if (gallery.dataset.view) renderings = renderings.slice().sort(function (a, b) { return rank(a) - rank(b); });
    tiles().forEach(function (t) { have[key(t)] = t; });
    gallery.replaceChildren.apply(gallery, renderings.map(function (r) {
      var t = have[r.previewUrl];
      if (!t) return added.push(r.title), tileNode(r);
      var body = tileBody(r), old = t.querySelector(".tile__body");
      if (old.textContent !== body.textContent) old.replaceWith(body);
      t.querySelector("img").alt = altOf(r);
      return t;
    }));
    $("galleryEmpty").hidden = renderings.length > 0;
    if (viewer && viewer.open) show(currentId);
    return added;
  }

  function applyExpiry(link) {
    var p = $("expiry"), next = el("p", { class: "footer__expiry", "data-bind": "expiry" });
    if (link.expiresAt) next.append(L.eu + " ", timeEl(lastDay(link.expiresAt)), ".");
    else next.append(L.en);
    next.append(" " + L.em);
    if (next.textContent !== p.textContent) p.replaceWith(next);
  }

  // ---- Feedback: Approve and Request changes on each rendering. The
  // forms, the thread's live updates and the "new since your last visit"
  // line are in feedback.js, loaded on first use, so that a page nobody
  // answers from carries none of it.

  var form = doc.querySelector(".fb"), canFb = !!form, fbMod, fbWait;
  function fb(fn) {
    if (fbMod) return fn(fbMod);
    if (fbWait) return fbWait.push(fn);
    fbWait = [fn];
    var s = el("script", { src: main.dataset.fb });
    s.onload = function () {
      fbMod = window.atriumFeedback({ el, text, timeEl, formatDate, announce, $, form, main, L, f });
      fbWait.forEach(function (f) { f(fbMod); });
    };
    doc.head.append(s);
  }

  function fbButtons(id) {
    if (!canFb) return null;
    function b(dec, label) { return el("button", { class: "button", type: "button", "data-dec": dec, value: id }, label); }
    return el("div", { class: "tile__fb" }, b("approved", L.ap), b("changes_requested", L.rc));
  }

  if (canFb) {
    tiles().forEach(function (t) {
      t.querySelector(".tile__body").append(fbButtons(key(t).split("/")[5]));
    });
    gallery.addEventListener("click", function (e) {
      var b = e.target.closest("[data-dec]");
      if (b) fb(function (m) { m.open(b); });
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      fb(function (m) { m.submit(); });
    });
    form.addEventListener("focusin", function () { fb(Object); }); // fills in the name this device gave last
  }

  function apply(v) {
    var before = $("overallNum").textContent;
    canFb = !!form && v.link.allowFeedback;
    applyStudio(v.studio);
    applyProject(v);
    applyRooms(v.rooms);
    var added = applyGallery(v.renderings, v.rooms), zip = $("zip"), u = v.link.downloadAllUrl;
    if (u) zip.href = u;
    zip.hidden = !u || !v.renderings.length;
    applyExpiry(v.link);
    announce(added.length === 1 ? f(L.nr, added[0])
      : added.length ? f(L.nn[1], added.length)
      : before !== String(v.project.overallProgress) ? f(L.pu, pct(v.project.overallProgress))
      : L.ju);
    fb(function (m) { m.apply(v); }); // after: a new reply's notice wins
  }

  // gone shows that the link stopped working; code is the server's refusal
  // (link_expired, link_deactivated), when known.
  function gone(code) {
    doc.body.classList.add("is-gone");
    closeViewer();
    if (viewer) viewer.remove(); // no viewer, no image control: the images are gone with the link
    if (doc.querySelector(".gone")) return;
    var c = $("contacts").cloneNode(true);
    c.removeAttribute("data-bind");
    doc.querySelector(".masthead").after(el("div", { class: "gone", role: "alert", "data-testid": "notice" },
      el("div", { class: "wrap gone__in" },
        el("strong", null, code === "link_expired" ? L.ex : L.na),
        el("p", null, L.ws),
        c)));
  }

  // The stream. The page's version rides along as ?v=, so an unchanged page
  // gets nothing on connect; after a drop the browser sends Last-Event-ID.
  var url = main.dataset.events, lastId = main.dataset.version, source, delay = 5000;
  function connect() {
    source = new EventSource(url.replace(/([?&]v=)[^&]*/, "$1" + encodeURIComponent(lastId)));
    source.addEventListener("update", function (e) {
      delay = 5000;
      lastId = e.lastEventId || lastId;
      var v;
      try { v = JSON.parse(e.data); } catch (err) { return; }
      apply(v);
    });
    source.addEventListener("gone", function (e) {
      source.close();
      var code;
      try { code = JSON.parse(e.data).code; } catch (err) { /* gone all the same */ }
      gone(code);
    });
    source.onerror = function () {
      if (source.readyState !== 2) return; // CLOSED: the server refused; else the browser retries
      // Find out whether the link still works, then try again later.
      fetch(url, { method: "HEAD", cache: "no-store" }).then(function (res) {
        if (res.status === 404 || res.status === 410) gone(); else later();
      }, later);
    };
  }
  function later() {
    setTimeout(connect, delay);
    delay = Math.min(delay * 2, 120000);
  }
  if (window.EventSource && url) connect();
})();
