/* vellum serve: live reload and the build-error overlay. Injected by the preview server
   into every HTML page (never part of a theme or of a built site). Listens to the server's
   event stream: `reload` reloads the page keeping the scroll position, `error` shows the
   errors of a failed build over the last good page. */
(function () {
  "use strict";
  var me = document.currentScript;
  var generation = me ? me.getAttribute("data-generation") : "";
  var SCROLL_KEY = "vellum-serve-scroll";
  var OVERLAY_ID = "vellum-error-overlay";

  /* ----- Scroll position across reloads ----- */
  function restoreScroll() {
    var saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(SCROLL_KEY) || "null");
      sessionStorage.removeItem(SCROLL_KEY);
    } catch (e) { return; }
    if (!saved || saved.path !== location.pathname) return;
    var go = function () { window.scrollTo(saved.x || 0, saved.y || 0); };
    if (document.readyState === "complete") go(); else window.addEventListener("load", go);
  }
  function reload() {
    try {
      sessionStorage.setItem(SCROLL_KEY, JSON.stringify({ path: location.pathname, x: window.scrollX, y: window.scrollY }));
    } catch (e) { /* storage disabled: reload at the top */ }
    location.reload();
  }

  /* ----- Error overlay (same markup as the server renders on load) ----- */
  function removeOverlay() {
    var old = document.getElementById(OVERLAY_ID);
    if (old && old.parentNode) old.parentNode.removeChild(old);
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function showErrors(errors) {
    removeOverlay();
    var box = el("div");
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alert");
    var panel = el("div", "vellum-overlay-panel");
    var close = el("button", "vellum-overlay-close", "\u00d7");
    close.type = "button";
    close.setAttribute("aria-label", "Dismiss build errors");
    close.addEventListener("click", removeOverlay);
    panel.appendChild(close);
    panel.appendChild(el("h2", "", "Build failed (" + errors.length + (errors.length === 1 ? " error" : " errors") + ")"));
    panel.appendChild(el("p", "", "Showing the last good build. Fix the file and the page reloads."));
    var list = el("ul");
    errors.forEach(function (err) {
      var item = el("li");
      var at = err.file + (err.line ? ":" + err.line + (err.col ? ":" + err.col : "") : "");
      item.appendChild(el("code", "vellum-overlay-at", at));
      item.appendChild(document.createTextNode(" "));
      item.appendChild(el("span", "vellum-overlay-msg", err.message));
      list.appendChild(item);
    });
    panel.appendChild(list);
    box.appendChild(panel);
    document.body.appendChild(box);
  }

  /* ----- Event stream ----- */
  restoreScroll();
  if (!window.EventSource) return;
  var source = new EventSource("/__vellum/events?generation=" + encodeURIComponent(generation || ""));
  source.addEventListener("reload", function () {
    source.close();
    reload();
  });
  source.addEventListener("error", function (ev) {
    /* Connection errors are `error` events too; the browser reconnects by itself, and the
       server then sends whatever this page missed. */
    if (typeof ev.data !== "string") return;
    try { showErrors(JSON.parse(ev.data).errors || []); } catch (e) { /* malformed event */ }
  });
})();
