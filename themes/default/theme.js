/* vellum default theme behaviour. Progressive enhancement only: every page is complete
   without this file; here we hide inactive tabs and variants, add copy buttons, and wire
   the theme toggle, the mobile menu and the table-of-contents highlight. No dependencies. */
(function () {
  "use strict";
  var doc = document;
  var root = doc.documentElement;
  var KEY_THEME = "vellum-theme", KEY_TAB = "vellum-code-tab", KEY_LANG = "vellum-lang", KEY_STACK = "vellum-stack";

  function load(key) { try { return localStorage.getItem(key); } catch (e) { return null; } }
  function save(key, value) { try { localStorage.setItem(key, value); } catch (e) { /* storage disabled */ } }
  function all(sel, scope) { return Array.prototype.slice.call((scope || doc).querySelectorAll(sel)); }
  function on(el, type, fn) { if (el) el.addEventListener(type, fn); }

  /* ----- Announcements for screen readers ----- */
  var live = doc.createElement("div");
  live.className = "sr-only";
  live.setAttribute("role", "status");
  live.setAttribute("aria-live", "polite");
  function announce(text) {
    live.textContent = "";
    setTimeout(function () { live.textContent = text; }, 50);
  }

  /* ----- Theme toggle ----- */
  var darkQuery = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  function isDark() {
    return root.classList.contains("dark") || (!root.classList.contains("light") && !!darkQuery && darkQuery.matches);
  }
  function syncToggle() {
    all(".theme-toggle").forEach(function (b) { b.setAttribute("aria-pressed", isDark() ? "true" : "false"); });
  }
  function initTheme() {
    all(".theme-toggle").forEach(function (b) {
      on(b, "click", function () {
        var next = isDark() ? "light" : "dark";
        root.classList.remove("dark", "light");
        root.classList.add(next);
        save(KEY_THEME, next);
        syncToggle();
      });
    });
    if (darkQuery && darkQuery.addEventListener) darkQuery.addEventListener("change", syncToggle);
    syncToggle();
  }

  /* ----- Mobile menu ----- */
  function initMenu() {
    var section = doc.querySelector(".sections [aria-current]");
    var strip = section && section.closest("ul");
    if (strip && strip.scrollWidth > strip.clientWidth) {
      var a = section.getBoundingClientRect(), s = strip.getBoundingClientRect();
      strip.scrollLeft += a.left - s.left - (s.width - a.width) / 2;
    }
    var button = doc.querySelector(".menu-button");
    var sidebar = button && doc.getElementById(button.getAttribute("aria-controls") || "");
    if (!sidebar) { if (button) button.hidden = true; return; }
    var backdrop = null;
    function setOpen(open, restoreFocus) {
      root.classList.toggle("nav-open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) {
        backdrop = doc.createElement("div");
        backdrop.className = "nav-backdrop";
        on(backdrop, "click", function () { setOpen(false, true); });
        doc.body.appendChild(backdrop);
        var target = sidebar.querySelector('[aria-current="page"]') || sidebar.querySelector("a, summary");
        /* The sidebar becomes focusable only once its visibility style has applied. */
        if (target) requestAnimationFrame(function () { target.focus(); });
      } else {
        if (backdrop) backdrop.remove();
        backdrop = null;
        if (restoreFocus) button.focus();
      }
    }
    on(button, "click", function () { setOpen(!root.classList.contains("nav-open"), false); });
    on(doc, "keydown", function (e) {
      if (e.key === "Escape" && root.classList.contains("nav-open")) setOpen(false, true);
    });
    var wide = window.matchMedia("(min-width: 901px)");
    var closeIfWide = function () { if (wide.matches && root.classList.contains("nav-open")) setOpen(false, false); };
    if (wide.addEventListener) wide.addEventListener("change", closeIfWide);
  }

  /* ----- Tabs ----- */
  function tabKey(tab) { return (tab.getAttribute("data-lang") || tab.textContent || "").trim(); }
  function isCodeTabs(list) { return !!list.closest(".code-block"); }
  function selectTab(tab, focus) {
    var list = tab.closest('[role="tablist"]');
    if (!list) return;
    all('[role="tab"]', list).forEach(function (t) {
      var selected = t === tab;
      t.setAttribute("aria-selected", selected ? "true" : "false");
      t.tabIndex = selected ? 0 : -1;
      var panel = doc.getElementById(t.getAttribute("aria-controls") || "");
      if (panel) panel.hidden = !selected;
    });
    if (focus) tab.focus();
  }
  /* Select the tab labelled `key` in every code tablist that has one. */
  /* Tabs with a sync group (`groupId`, `syncKey`) follow each other, code tabs follow code tabs. */
  function syncGroup(list) { var box = list.closest("[data-sync]"); return box ? box.getAttribute("data-sync") : null; }
  function applyCodeTab(key, except, group) {
    all('[role="tablist"]').forEach(function (list) {
      if (list === except || (group ? syncGroup(list) !== group : !isCodeTabs(list))) return;
      var match = all('[role="tab"]', list).filter(function (t) { return tabKey(t) === key; })[0];
      if (match) selectTab(match, false);
    });
  }
  function initTabs() {
    all('[role="tablist"]').forEach(function (list) {
      var tabs = all('[role="tab"]', list).filter(function (t) { return t.hasAttribute("aria-controls"); });
      if (!tabs.length) return;
      var current = tabs.filter(function (t) { return t.getAttribute("aria-selected") === "true"; })[0] || tabs[0];
      selectTab(current, false);
      tabs.forEach(function (tab, i) {
        on(tab, "click", function () {
          selectTab(tab, false);
          var group = syncGroup(list);
          if (group) { save(KEY_TAB + ":" + group, tabKey(tab)); applyCodeTab(tabKey(tab), list, group); }
          else if (isCodeTabs(list)) { save(KEY_TAB, tabKey(tab)); applyCodeTab(tabKey(tab), list); }
        });
        on(tab, "keydown", function (e) {
          var n = tabs.length, j = -1;
          if (e.key === "ArrowRight") j = (i + 1) % n;
          else if (e.key === "ArrowLeft") j = (i - 1 + n) % n;
          else if (e.key === "Home") j = 0;
          else if (e.key === "End") j = n - 1;
          if (j < 0) return;
          e.preventDefault();
          tabs[j].click();
          tabs[j].focus();
        });
      });
    });
    var saved = load(KEY_TAB);
    if (saved) applyCodeTab(saved, null);
    all("[data-sync]").forEach(function (box) {
      var group = box.getAttribute("data-sync"), key = load(KEY_TAB + ":" + group);
      if (key) applyCodeTab(key, null, group);
    });
    revealHash();
    on(window, "hashchange", revealHash);
  }

  /* A link to a heading inside an inactive tab panel opens that panel first. */
  function revealHash() {
    var id = location.hash.slice(1);
    var t = null;
    try { t = id && doc.getElementById(decodeURIComponent(id)); } catch (e) { t = null; }
    var panel = t && t.closest('[role="tabpanel"][hidden]');
    var changed = !!panel;
    while (panel) {
      var tab = doc.querySelector('[role="tab"][aria-controls="' + panel.id + '"]');
      if (!tab) break;
      selectTab(tab, false);
      panel = panel.parentElement && panel.parentElement.closest('[role="tabpanel"][hidden]');
    }
    if (changed) t.scrollIntoView();
  }

  /* ----- Global SDK language: reference entries, language selectors, code variants ----- */
  function applyLang(lang) {
    all(".api-entry").forEach(function (entry) {
      var variants = all(".lang-variant[data-lang]", entry);
      if (!variants.some(function (v) { return v.getAttribute("data-lang") === lang; })) return;
      variants.forEach(function (v) { v.hidden = v.getAttribute("data-lang") !== lang; });
      markLang(entry, lang);
    });
    all(".language-selector select").forEach(function (s) {
      if (all("option", s).some(function (o) { return o.value === lang; })) s.value = lang;
    });
    /* Code blocks holding one <pre> per SDK: show the chosen one, or keep the current one. */
    all(".code-block").forEach(function (fig) {
      var groups = {};
      all("pre", fig).forEach(function (pre) {
        var sdk = sdkOf(pre);
        if (!sdk) return;
        var scope = pre.closest('[role="tabpanel"]') || fig;
        var key = scope.id || "fig";
        (groups[key] = groups[key] || []).push(pre);
      });
      Object.keys(groups).forEach(function (k) {
        var pres = groups[k];
        if (pres.length < 2) return;
        var hit = pres.filter(function (p) { return sdkOf(p) === lang; })[0];
        if (!hit) hit = pres.filter(function (p) { return !p.hidden; })[0] || pres[0];
        pres.forEach(function (p) { p.hidden = p !== hit; });
      });
    });
  }
  function sdkOf(pre) {
    var code = pre.querySelector("code");
    return pre.getAttribute("data-sdk") || (code && code.getAttribute("data-sdk")) || "";
  }
  function setLang(lang) { save(KEY_LANG, lang); applyLang(lang); }
  function initLang() {
    all(".lang-switcher [data-lang]").forEach(function (b) {
      if (b.tagName === "BUTTON" && !b.type) b.type = "button";
      on(b, "click", function () { setLang(b.getAttribute("data-lang")); });
    });
    all(".language-selector select").forEach(function (s) {
      if (!s.labels || !s.labels.length) { if (!s.hasAttribute("aria-label")) s.setAttribute("aria-label", "SDK language"); }
      on(s, "change", function () { setLang(s.value); });
    });
    var saved = load(KEY_LANG);
    var first = doc.querySelector(".language-selector select, .lang-switcher [data-lang]");
    var initial = saved || (first && (first.value || first.getAttribute("data-lang"))) || "js";
    applyLang(initial);
    /* Entries that lack the chosen language still need one variant shown and marked. */
    all(".api-entry").forEach(function (entry) {
      var variants = all(".lang-variant[data-lang]", entry);
      if (variants.length && variants.every(function (v) { return v.hidden; })) variants[0].hidden = false;
      var shown = variants.filter(function (v) { return !v.hidden; })[0];
      markLang(entry, shown && shown.getAttribute("data-lang"));
    });
  }
  /* The switcher's buttons are tabs: the shown language is the selected, focusable one. */
  function markLang(entry, lang) {
    all(".lang-switcher [data-lang]", entry).forEach(function (b) {
      var selected = b.getAttribute("data-lang") === lang;
      b.setAttribute("aria-selected", selected ? "true" : "false");
      b.tabIndex = selected ? 0 : -1;
    });
  }

  /* ----- Stack selection (frontend/backend radio groups) ----- */
  function initStack() {
    var picker = doc.querySelector(".stack-selection");
    if (!picker) return;
    var names = ["frontend", "backend"];
    var params = new URLSearchParams(location.search);
    var stored = {};
    try { stored = JSON.parse(load(KEY_STACK) || "{}") || {}; } catch (e) { stored = {}; }
    names.forEach(function (name) {
      var want = params.get(name) || stored[name];
      var radio = want && all('input[type="radio"][name="' + name + '"]', picker).filter(function (r) { return r.value === want; })[0];
      if (radio) radio.checked = true;
    });
    function apply() {
      var sel = {};
      names.forEach(function (name) {
        var r = picker.querySelector('input[type="radio"][name="' + name + '"]:checked');
        if (r) sel[name] = r.value;
      });
      all(".stack-variant").forEach(function (v) {
        v.hidden = names.some(function (name) {
          var set = v.getAttribute("data-" + name);
          return set !== null && sel[name] !== undefined && set.split(/\s+/).indexOf(sel[name]) < 0;
        });
      });
      syncTocVisibility();
      return sel;
    }
    on(picker, "change", function () {
      var sel = apply();
      save(KEY_STACK, JSON.stringify(sel));
      var url = new URL(location.href);
      names.forEach(function (n) { if (sel[n]) url.searchParams.set(n, sel[n]); });
      history.replaceState(history.state, "", url);
    });
    apply();
  }

  /* ----- Table of contents ----- */
  function tocLinks() { return all('.toc a[href^="#"]'); }
  function targetOf(a) {
    try { return doc.getElementById(decodeURIComponent(a.getAttribute("href").slice(1))); } catch (e) { return null; }
  }
  /* Hide entries whose heading sits inside a hidden tab, variant or language. */
  function syncTocVisibility() {
    tocLinks().forEach(function (a) {
      var t = targetOf(a);
      var li = a.parentElement;
      if (t && li) li.hidden = !!t.closest(".stack-variant[hidden], .lang-variant[hidden]");
    });
  }
  function initTocHighlight() {
    var links = tocLinks();
    if (!links.length || !("IntersectionObserver" in window)) return;
    var byId = {};
    var heads = [];
    links.forEach(function (a) { var t = targetOf(a); if (t) { byId[t.id] = a; heads.push(t); } });
    var visible = {};
    function mark() {
      var current = null;
      for (var i = 0; i < heads.length; i++) {
        if (visible[heads[i].id]) { current = heads[i]; break; }
      }
      if (!current) {
        /* Nothing in view: the last heading above the viewport is the current section. */
        for (var j = heads.length - 1; j >= 0; j--) {
          if (heads[j].getBoundingClientRect().top < 120) { current = heads[j]; break; }
        }
      }
      links.forEach(function (a) { a.removeAttribute("aria-current"); });
      if (current && byId[current.id]) byId[current.id].setAttribute("aria-current", "location");
    }
    var io = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) { visible[e.target.id] = e.isIntersecting; });
      mark();
    }, { rootMargin: "-90px 0px -55% 0px" });
    heads.forEach(function (h) { io.observe(h); });
  }

  /* ----- Copy buttons ----- */
  function visiblePre(fig) {
    return all("pre:not(.missing-snippet)", fig).filter(function (p) { return !p.closest("[hidden]") && p.getClientRects().length; })[0];
  }
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var ta = doc.createElement("textarea");
      ta.value = text;
      ta.setAttribute("readonly", "");
      ta.style.position = "fixed";
      ta.style.opacity = "0";
      doc.body.appendChild(ta);
      ta.select();
      var ok = false;
      try { ok = doc.execCommand("copy"); } catch (e) { ok = false; }
      ta.remove();
      if (ok) resolve(); else reject(new Error("copy failed"));
    });
  }
  function initCopy() {
    all("figure.code-block").forEach(function (fig) {
      if (!fig.querySelector("pre:not(.missing-snippet)")) return;
      var b = doc.createElement("button");
      b.type = "button";
      b.className = "copy-button";
      b.textContent = "Copy";
      b.setAttribute("aria-label", "Copy code");
      on(b, "click", function () {
        var pre = visiblePre(fig);
        if (!pre) return;
        copyText(pre.innerText.replace(/\n$/, "")).then(function () {
          b.textContent = "Copied";
          b.setAttribute("data-copied", "");
          announce("Copied");
          setTimeout(function () { b.textContent = "Copy"; b.removeAttribute("data-copied"); }, 1600);
        }, function () { announce("Copy failed"); });
      });
      fig.appendChild(b);
    });
  }

  /* Accessibility repairs for renderer output: task checkboxes need a name, and a link
     inside a <summary> (a heading anchor in an accordion) is nested interactive content. */
  function initA11y() {
    all('li > input[type="checkbox"]').forEach(function (box) {
      if ((box.labels && box.labels.length) || box.hasAttribute("aria-label") || box.hasAttribute("aria-labelledby")) return;
      var text = (box.parentElement.textContent || "").replace(/\s+/g, " ").trim().slice(0, 120);
      box.setAttribute("aria-label", text || "Task");
    });
    all("summary a.anchor").forEach(function (a) { a.remove(); });
  }

  /* Scrollable code and tables must be reachable by keyboard. */
  function initScrollables() {
    all("pre, .table-wrap").forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1 && !el.hasAttribute("tabindex")) el.tabIndex = 0;
    });
  }

  /* Printing shows every collapsed section. */
  function initPrint() {
    var opened = [];
    on(window, "beforeprint", function () {
      opened = all("details:not([open])");
      opened.forEach(function (d) { d.open = true; });
    });
    on(window, "afterprint", function () {
      opened.forEach(function (d) { d.open = false; });
      opened = [];
    });
  }

  function init() {
    doc.body.appendChild(live);
    [initA11y, initTheme, initMenu, initTabs, initLang, initStack, initCopy, initScrollables, syncTocVisibility, initTocHighlight, initPrint]
      .forEach(function (fn) { try { fn(); } catch (e) { if (window.console) console.error(e); } });
  }
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", init);
  else init();
})();
