// vellum search: a dialog over the prebuilt, sharded elasticlunr index in `search/`.
// Opens with "/", Ctrl-K / Cmd-K or a click on [data-search-open]; loads the index
// lazily. The query side (term analysis, elasticlunr scoring, typo fallback) is
// exported for node so tests can compare it with the elasticlunr package.
(function () {
  "use strict";
  var STOP = "a about an and are as at be by can do does for from how i if in into is it its me my of on or our so that the their them then there these this to was we what when where which who why will with you your".split(" ");
  var BOOST = { title: 3, crumbs: 2, body: 1 };

  // Must match src/search/text.rs `stem_in_place`.
  function stem(w) {
    var n = w.length;
    if (n <= 3 || /[^\x00-\x7f]|\d/.test(w)) return w;
    if (/ies$/.test(w) && n > 4) w = w.slice(0, -3) + "y";
    else if (/sses$/.test(w)) w = w.slice(0, -2);
    else if (/s$/.test(w) && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
    if (/ing$/.test(w) && w.length >= 7) w = w.slice(0, -3);
    else if (/ed$/.test(w) && w.length >= 6) w = w.slice(0, -2);
    if (/e$/.test(w) && w.length >= 5) w = w.slice(0, -1);
    return w;
  }

  // Must match src/search/text.rs `tokenize`: [{t: term, p: isPart}] per word.
  function terms(text) {
    var out = [], words = text.match(/[\p{L}\p{N}_]+(?:\.[\p{L}\p{N}_]+)*/gu) || [];
    words.forEach(function (raw) {
      var word = raw.replace(/^[_.]+|[_.]+$/g, "");
      if (!word) return;
      var low = word.toLowerCase();
      var parts = splitIdentifier(word);
      if (parts.length <= 1) {
        if (STOP.indexOf(low) < 0) out.push({ t: stem(low), p: false });
        return;
      }
      var seen = [stem(low)];
      out.push({ t: seen[0], p: false });
      parts.forEach(function (p) {
        p = p.toLowerCase();
        var t = stem(p);
        if (STOP.indexOf(p) < 0 && seen.indexOf(t) < 0) { seen.push(t); out.push({ t: t, p: true }); }
      });
    });
    return out;
  }

  // Must match text.rs `split_identifier`: a dotted path yields each segment whole,
  // then the segment's `_` and case-change parts.
  function splitSegment(w) {
    return w.split(/_+|(?<=\p{Ll})(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})/u).filter(Boolean);
  }
  function splitIdentifier(word) {
    var segs = word.split(".").filter(Boolean), out = [];
    if (segs.length <= 1) return splitSegment(word);
    segs.forEach(function (s) {
      var sub = splitSegment(s);
      out.push(s);
      if (sub.length > 1) out.push.apply(out, sub);
    });
    return out;
  }

  // The elasticlunr pipeline function `vellumTerm`: one raw query word to one term.
  function vellumTerm(token) {
    var t = terms(token)[0];
    return t ? t.t : undefined;
  }

  function shardFile(key) {
    return "s-" + key.replace(/[^a-z0-9]/gu, function (c) { return "_" + c.codePointAt(0).toString(16); }) + ".json";
  }

  function child(node, c) {
    return c !== "docs" && c !== "df" ? node[c] : undefined;
  }

  function nodeAt(root, term) {
    for (var c of term) if (!(root = root && child(root, c))) return null;
    return root;
  }

  function graft(root, key, node) {
    var chars = Array.from(key), last = chars.pop();
    chars.forEach(function (c) { root = root[c] || (root[c] = {}); });
    root[last] = Object.assign(root[last] || {}, node);
  }

  // All terms under `node` (prefix `t`) that have postings, as elasticlunr expands.
  function expand(node, t, out) {
    if (node.df > 0) out.push([t, node]);
    for (var k in node) if (child(node, k)) expand(node[k], t + k, out);
    return out;
  }

  // Terms within `max` edits of `t` in the loaded trie, an adjacent transposition
  // counting as one edit (text.rs `edit_distance`, walked over the trie).
  function fuzzy(root, t, max) {
    var out = [], a = Array.from(t);
    (function walk(node, key, row, before, last) {
      if (row[a.length] <= max && node.df > 0 && key) out.push([key, node, row[a.length]]);
      if (Math.min.apply(null, row) > max) return;
      for (var c in node) {
        if (!child(node, c)) continue;
        var next = [row[0] + 1];
        for (var j = 1; j <= a.length; j++) {
          next[j] = Math.min(next[j - 1] + 1, row[j] + 1, row[j - 1] + (a[j - 1] === c ? 0 : 1));
          if (before && j > 1 && a[j - 1] === last && a[j - 2] === c) next[j] = Math.min(next[j], before[j - 2] + 1);
        }
        walk(node[c], key + c, next, row, c);
      }
    })(root, "", Array.from({ length: a.length + 1 }, function (_, j) { return j; }), null, "");
    return out;
  }

  // A searcher over files fetched by `load(name) -> Promise<JSON>`.
  function createSearcher(load) {
    var cache = {}, grafted = {}, head = load("index.json"), roots = {}, info = {};
    function get(name) { return cache[name] || (cache[name] = load(name)); }
    function shardKeys(h, t) {
      var best = "", extra = [];
      h.shards.forEach(function (k) {
        if (t.startsWith(k) && k.length > best.length) best = k;
        else if (t.length > 1 && k.startsWith(t) && extra.length < 8) extra.push(k);
      });
      return (best ? [best] : []).concat(extra);
    }
    function ensure(h, t) {
      return Promise.all(shardKeys(h, t).map(function (k) {
        var f = shardFile(k);
        return grafted[f] || (grafted[f] = load(f).then(function (s) {
          h.fields.forEach(function (f) { if (s.index[f]) graft(roots[f] || (roots[f] = {}), k, s.index[f]); });
          Object.assign(info, s.docInfo);
        }));
      }));
    }
    // elasticlunr 0.9.5 scoring (OR, expand), plus identifier parts and typo
    // expansion for words that have no exact term.
    function rank(h, words) {
      var total = {}, n = h.documentStore.length;
      h.fields.forEach(function (f) {
        var root = roots[f] || {}, field = {}, exact = {};
        words.forEach(function (w) {
          var tokenScores = {}, keys = [];
          w.forEach(function (q) {
            var node = nodeAt(root, q.t);
            if (node) expand(node, q.t, []).forEach(function (e) { keys.push([q.t, e[0], e[1], 1]); });
            else if (!q.p) {
              var max = q.t.length > 7 ? 2 : q.t.length > 4 ? 1 : 0;
              if (max) fuzzy(root, q.t, max).forEach(function (e) { keys.push([e[0], e[0], e[1], e[2] > 1 ? 0.3 : 0.5]); });
            }
          });
          keys.forEach(function (k) {
            var docs = k[2].docs || {}, idf = 1 + Math.log(n / ((k[2].df || 0) + 1));
            var pen = k[1] === k[0] ? k[3] : (1 - (k[1].length - k[0].length) / k[1].length) * 0.15;
            for (var d in docs) {
              if (k[1] === k[0]) (exact[d] = exact[d] || {})[k[0]] = 1;
              var len = (info[d] || {})[f] || 0;
              tokenScores[d] = (tokenScores[d] || 0) + docs[d].tf * idf * (len ? 1 / Math.sqrt(len) : 1) * pen;
            }
          });
          for (var d in tokenScores) field[d] = (field[d] || 0) + tokenScores[d];
        });
        for (var d in field) {
          var hit = exact[d] ? Object.keys(exact[d]).length : 0;
          var s = (hit ? field[d] * hit / words.length : field[d]) * (BOOST[f] || 1);
          total[d] = (total[d] || 0) + s;
        }
      });
      return Object.keys(total).map(function (d) { return { ref: d, score: total[d] }; })
        .sort(function (a, b) { return b.score - a.score || a.ref - b.ref; });
    }
    // One group of terms per query word: the whole word, or its parts if unknown.
    function analyse(query) {
      return query.split(/[\s-]+/).map(function (w) {
        var ts = terms(w);
        return ts.length ? [ts[0]].concat(ts.slice(1)) : null;
      }).filter(Boolean);
    }
    function search(query, limit) {
      return head.then(function (h) {
        var words = analyse(query);
        return Promise.all(words.map(function (w) {
          return Promise.all(w.map(function (q) { return ensure(h, q.t); }));
        })).then(function () {
          words = words.map(function (w) { return nodeAt(roots.body || {}, w[0].t) || nodeAt(roots.title || {}, w[0].t) ? [w[0]] : w; });
          var ranked = rank(h, words);
          return Promise.all(ranked.slice(0, limit * 3).map(function (r) {
            var i = +r.ref;
            return get("d-" + Math.floor(i / h.chunk) + ".json").then(function (c) { return c[i % h.chunk]; });
          })).then(function (metas) {
            var seen = {}, out = [];
            metas.forEach(function (m, i) {
              var page = m[0].split("#")[0], c = seen[page] = (seen[page] || 0) + 1;
              if (c < 3) out.push({ ref: ranked[i].ref, score: ranked[i].score * (c > 1 ? 0.5 : 1), url: m[0], title: m[1], crumbs: m[2], text: m[3] });
            });
            return out.sort(function (a, b) { return b.score - a.score; }).slice(0, limit);
          });
        });
      });
    }
    return { search: search, analyse: analyse };
  }

  var api = { stem: stem, terms: terms, vellumTerm: vellumTerm, shardFile: shardFile, createSearcher: createSearcher };
  if (typeof module === "object" && module.exports) { module.exports = api; return; }
  if (typeof document === "undefined") return;

  // ---- UI ----
  var base = document.documentElement.dataset.base || "", searcher, ui, active = -1, seq = 0, opener;

  function el(tag, cls, attrs) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    return e;
  }

  // Appends `text` to `parent`, wrapping words that match a query term in <mark>.
  function highlight(parent, text, qs) {
    (text || "").split(/([\p{L}\p{N}_]+)/u).forEach(function (part, i) {
      var t = i % 2 ? stem(part.toLowerCase()) : "";
      var hit = t && qs.some(function (q) { return t.startsWith(q) || q.startsWith(t) && t.length > 3; });
      if (hit) parent.appendChild(el("mark")).textContent = part;
      else parent.appendChild(document.createTextNode(part));
    });
  }

  function build() {
    var overlay = el("div", "search-overlay", { hidden: "" });
    var dialog = el("div", "search-dialog", { role: "dialog", "aria-modal": "true", "aria-label": "Search documentation" });
    var input = el("input", "search-input", { type: "search", role: "combobox", "aria-label": "Search documentation", "aria-controls": "search-results", "aria-expanded": "false", "aria-autocomplete": "list", autocomplete: "off", placeholder: "Search docs" });
    var list = el("ul", "search-results", { id: "search-results", role: "listbox", "aria-label": "Search results" });
    var status = el("p", "search-status", { "aria-live": "polite" });
    dialog.append(input, status, list);
    overlay.appendChild(dialog);
    document.body.appendChild(overlay);
    overlay.addEventListener("mousedown", function (e) { if (e.target === overlay) close(); });
    input.addEventListener("input", run);
    dialog.addEventListener("keydown", keys);
    document.addEventListener("focusin", function (e) { if (!overlay.hidden && !dialog.contains(e.target)) input.focus(); });
    return { overlay: overlay, input: input, list: list, status: status };
  }

  function open() {
    if (!ui) ui = build();
    if (!searcher) searcher = createSearcher(function (name) {
      // A page of a locale names its locale's index (data-search); otherwise the site's.
      var index = document.documentElement.dataset.search || base + "/search";
      return fetch(index + "/" + name).then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); });
    });
    opener = document.activeElement;
    ui.overlay.hidden = false;
    ui.input.focus();
    ui.input.select();
  }

  function close() {
    ui.overlay.hidden = true;
    if (opener && opener.focus) opener.focus();
  }

  function select(i) {
    var items = ui.list.children;
    if (!items.length) return;
    active = (i + items.length) % items.length;
    Array.prototype.forEach.call(items, function (li, j) { li.firstChild.setAttribute("aria-selected", j === active ? "true" : "false"); });
    ui.input.setAttribute("aria-activedescendant", items[active].firstChild.id);
    items[active].scrollIntoView({ block: "nearest" });
  }

  function keys(e) {
    if (e.key === "Escape") { e.preventDefault(); close(); }
    else if (e.key === "ArrowDown" || e.key === "ArrowUp") { e.preventDefault(); select(active + (e.key === "ArrowDown" ? 1 : -1)); }
    else if (e.key === "Enter" && active >= 0) {
      var a = ui.list.children[active] && ui.list.children[active].querySelector("a");
      if (a) { e.preventDefault(); location.href = a.href; }
    }
  }

  function run() {
    var q = ui.input.value.trim(), mine = ++seq;
    if (!q) return render([], "", mine);
    searcher.search(q, 10).then(function (hits) { render(hits, q, mine); }, function () {
      if (mine === seq) ui.status.textContent = "Search is unavailable.";
    });
  }

  // Pages live at folder URLs: `/a/b#x` is served as `/a/b/#x` (no redirect on static hosts).
  function pageHref(u) {
    var i = u.indexOf("#"), path = i < 0 ? u : u.slice(0, i), frag = i < 0 ? "" : u.slice(i);
    return (path.charAt(path.length - 1) === "/" ? path : path + "/") + frag;
  }

  function render(hits, q, mine) {
    if (mine !== seq) return;
    var qs = terms(q).map(function (t) { return t.t; });
    ui.list.textContent = "";
    active = -1;
    ui.input.removeAttribute("aria-activedescendant");
    hits.forEach(function (h, i) {
      // The option is the link itself: an option may not contain interactive content.
      var li = el("li", "search-result", { role: "none" });
      var a = el("a", "search-link", { href: base + pageHref(h.url), tabindex: "-1", role: "option", id: "search-result-" + i, "aria-selected": "false" });
      var crumbs = el("span", "search-crumbs"), title = el("span", "search-title"), text = el("span", "search-snippet");
      crumbs.textContent = h.crumbs.join(" › ");
      highlight(title, h.title, qs);
      highlight(text, h.text, qs);
      a.append(crumbs, title, text);
      li.appendChild(a);
      li.addEventListener("mousemove", function () { if (active !== i) select(i); });
      ui.list.appendChild(li);
    });
    ui.input.setAttribute("aria-expanded", hits.length ? "true" : "false");
    ui.status.textContent = q ? (hits.length ? hits.length + " results" : "No results for “" + q + "”") : "";
    if (hits.length) select(0);
  }

  document.addEventListener("keydown", function (e) {
    var t = e.target, typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if ((e.key === "k" || e.key === "K") && (e.ctrlKey || e.metaKey) || e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      open();
    }
  });
  document.addEventListener("click", function (e) {
    var t = e.target.closest && e.target.closest("[data-search-open]");
    if (t) { e.preventDefault(); open(); }
  });
})();
