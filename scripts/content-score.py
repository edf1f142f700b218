#!/usr/bin/env python3
"""Content measure: does vellum show every word of a docs tree written for another tool?

For each tree (the `<name>.tgz` files of the conventions corpus, unpacked to `<name>/`, and
the WorkOS corpus, `package/.docs/organized/docs/`), unpack it into a temporary directory, run
`vellum build TREE -o OUT --no-cache`, map each source page to its output page, and count:

  pages      source pages (`.md`/`.mdx`, none under a `_`-prefixed name or `snippets/`)
             that were matched to an output page; `unmatched` counts the others. A source
             page is matched by its path (extension, `index`/`page`/`README` file names,
             `(group)` folders and `01-`-style number prefixes dropped, lower case), then by
             its frontmatter `slug`/`id`, then by a title that exactly one output page has.
  raw        pages whose article text, outside `<pre>` and `<code>`, shows MDX/JSX/container
             syntax: a `:::` container line, `<Capitalised` (a JSX tag), a `{` expression
             (`{'…'}`, `{"…"}`, `{/*`, `{name}`, `{name.x}`, `{name(`), an `export
             const|default|function|let` line, an `import … from '…'` line, or a GitHub alert
             marker (`[!NOTE]`, `[!TIP]`, `[!IMPORTANT]`, `[!WARNING]`, `[!CAUTION]`).
  holes      pages whose article holds a placeholder (`class="mdx-placeholder"`, vellum's
             "not available in this build" figure) or an element carrying `hidden`.
             `hole_names` lists the placeholders' component names: a placeholder is honest
             only when the data it stands for is absent from the tree.
  lowcov     pages under 90 % word coverage. Coverage is the share of the source page's
             distinct words that appear among the distinct words of its `<article>` text
             (code included). A word is a run of Unicode letters and digits, split at `_`,
             holding at least 4 letters, compared in lower case. Removed from the source
             before counting: the frontmatter; import/export statements (to the end of their
             brackets); JSX `{/* … */}` and HTML `<!-- … -->` comments; the info string of
             fences (the code itself counts); link targets (`](…)`, reference definitions,
             the values of `href`, `src` and `to`); tag names and attribute names (attribute
             values count, except `class`, `className`, `style`, `id` and `key`, which no
             tool shows); `{#id}` heading ids. HTML entities are decoded on both sides.
  twin       pages whose `.md` twin or `llms-full.txt` section lacks a word of the article
             (the twins must carry tab labels, callout kinds and table cells too).

Usage: content-score.py [--vellum BIN] [--corpus DIR] [--json] [--list N] [--keep DIR] [NAME ...]
  BIN defaults to target/release/vellum; DIR (holding workos-mcp-docs-server-0.1.0.tgz and
  conventions/) to ../shared/corpus beside the repository. NAME picks trees (`workos` is the
  WorkOS corpus). --list N prints the N worst pages per tree with their missing words (on
  stderr). Prints a Markdown table, or with --json one object per tree. Standard library only.
"""

import argparse
import html
import glob
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from urllib.parse import unquote

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORKOS = "workos"

# --- words -------------------------------------------------------------------------------

TOKEN = re.compile(r"[^\W_]+")


def words(text):
    """Distinct lower-case words of 4+ letters."""
    out = set()
    for t in TOKEN.findall(text):
        if t[0].isalpha() and sum(c.isalpha() for c in t) >= 4:
            out.add(t.lower())
    return out


FRONTMATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\n.*?\n---[ \t]*(?:\n|\Z)", re.S)
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})(.*)$")
ESM = re.compile(r"^(import|export)\b")
COMMENTS = re.compile(r"\{/\*.*?\*/\}|<!--.*?-->", re.S)
LINK_TARGET = re.compile(r"\]\((?:<[^>]*>|[^()\s]*(?:\([^()]*\)[^()\s]*)*)(?:\s+(\"[^\"]*\"|'[^']*'))?\)")
REF_DEF = re.compile(r"(?m)^ {0,3}\[[^\]]+\]:\s+\S+.*$")
HEADING_ID = re.compile(r"(?m)^(#{1,6}\s.*?)\s*\{#[^}]*\}\s*$")
# A tag: name, then attributes whose values may be quoted or `{…}` (two levels of braces).
BRACES = r"\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\}"
TAG = re.compile(r"<(/?)([A-Za-z][\w.:-]*)((?:[^<>\"'{}/]|\"[^\"]*\"|'[^']*'|" + BRACES + r"|/(?!>))*)/?>")
ATTR = re.compile(r"([\w:.@-]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|“[^”]*”|" + BRACES + r"|[^\s>]+))?|(" + BRACES + r")")
HIDDEN_VALUES = {"href", "src", "to", "cite", "target", "rel", "class", "classname", "style", "id", "key"}
STRING = re.compile(r"\"((?:[^\"\\\n]|\\.)*)\"|'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\]|\\.)*)`")
SVG = re.compile(r"<svg\b.*?</svg>", re.S | re.I)


def strip_esm(lines):
    """Drop import/export statements outside fences, to the end of their brackets."""
    out, fence, depth, in_esm = [], None, 0, False
    for line in lines:
        m = FENCE.match(line)
        if fence is None and not in_esm and m:
            fence = m.group(2)[0] * 3
            out.append(line)
            continue
        if fence is not None:
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
            out.append(line)
            continue
        if not in_esm and ESM.match(line):
            in_esm, depth = True, 0
        if in_esm:
            depth += sum(line.count(c) for c in "([{") - sum(line.count(c) for c in ")]}")
            if depth <= 0 and not line.rstrip().endswith((",", "=", "(", "{", "[")):
                in_esm = False
            out.append("")
            continue
        out.append(line)
    return out


def strip_fence_info(lines):
    out, fence = [], None
    for line in lines:
        m = FENCE.match(line)
        if m and (fence is None or (m.group(2)[0] == fence[0] and len(m.group(2)) >= len(fence) and not m.group(3).strip())):
            fence = None if fence is not None else m.group(2)
            out.append(m.group(1) + m.group(2))
        else:
            out.append(line)
    return out


def tag_text(m):
    """What a reader may see of a tag: its attribute values, but not its name or attribute names."""
    kept = []
    for a in ATTR.finditer(m.group(3)):
        name, value, spread = a.group(1), a.group(2), a.group(3)
        if spread:
            continue
        if value is None or (name or "").lower() in HIDDEN_VALUES:
            continue
        if value[0] in "\"'“":
            kept.append(value[1:-1])
        elif value[0] == "{":
            kept.append(expression_text(value[1:-1]))
        else:
            kept.append(value)
    return " " + " ".join(kept) + " "


def expression_text(expr):
    """What a reader may see of an attribute expression: its string literals and the text of
    the JSX inside it (with that JSX's own attribute values), not its identifiers."""
    expr = SVG.sub(svg_text, expr)
    jsx = TAG.sub(lambda m: " \u0000" + tag_text(m) + "\u0000 ", expr)
    parts = jsx.split("\u0000")
    if len(parts) == 1:
        return " ".join(a or b or c for a, b, c in STRING.findall(expr))
    # JSX inside: the text before its first tag is code, what follows is JSX text.
    return " ".join(a or b or c for a, b, c in STRING.findall(parts[0])) + " ".join(parts[1:])
    return " ".join(out)


def svg_text(m):
    """An SVG is a picture: only its `<title>` and `<text>` are words."""
    return " " + " ".join(re.findall(r"<(?:title|text)\b[^>]*>([^<]*)<", m.group(0))) + " "


INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)
EXPRESSION = re.compile(BRACES)


def prose_text(prose):
    """Markdown/MDX prose without what a reader never sees (inline code kept as is)."""
    out, pos = [], 0
    for m in INLINE_CODE.finditer(prose):
        out.append(prose_part(prose[pos : m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(prose_part(prose[pos:]))
    return "".join(out)


def prose_part(text):
    text = COMMENTS.sub(" ", text)
    text = HEADING_ID.sub(r"\1", text)
    text = REF_DEF.sub("", text)
    text = LINK_TARGET.sub(lambda m: "] " + (m.group(1) or "") + " ", text)
    text = SVG.sub(svg_text, text)
    text = TAG.sub(tag_text, text)
    # Expression children (`{'text'}`, `{items.map(…)}`): only their string literals are text.
    return EXPRESSION.sub(lambda m: " " + expression_text(m.group(0)[1:-1]) + " ", text)


def source_words(src):
    body = FRONTMATTER.sub("", src, count=1)
    lines = strip_fence_info(strip_esm(body.split("\n")))
    # Fenced code is shown verbatim: only prose between fences is transformed.
    chunks, prose, fence = [], [], None
    for line in lines:
        m = FENCE.match(line)
        if fence is None and m:
            chunks.append(prose_text("\n".join(prose)))
            prose, fence = [], m.group(2)
        elif fence is not None:
            if m and m.group(2)[0] == fence[0] and len(m.group(2)) >= len(fence):
                fence = None
            else:
                chunks.append(line)
        else:
            prose.append(line)
    chunks.append(prose_text("\n".join(prose)))
    return words(html.unescape("\n".join(chunks)))


# --- output pages ------------------------------------------------------------------------

ARTICLE = re.compile(r"<article\b[^>]*>(.*)</article>", re.S)
# Scripts, styles and the page's own actions ("View as Markdown") are not content.
DROP = re.compile(r"<(script|style|template)\b.*?</\1>|<p class=\"page-actions\">.*?</p>", re.S)
BLOCK = re.compile(r"</?(?:p|div|li|ul|ol|h[1-6]|td|th|tr|table|section|figure|figcaption|blockquote|br|hr|details|summary|dt|dd|pre)\b[^>]*>")
ANY_TAG = re.compile(r"<[^>]*>")
CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.S)


def article(page_html):
    m = ARTICLE.search(page_html)
    return DROP.sub(" ", m.group(1)) if m else ""


IMG_ALT = re.compile(r"<img\b[^>]*?\salt=\"([^\"]*)\"[^>]*>")


# Form controls (the dialect's language selector) and placeholder captions are page chrome.
CONTROLS = re.compile(r"<select\b.*?</select>|<figcaption>[^<]*\(not available in this build\)</figcaption>", re.S)


def text_of(fragment, drop_code=False, alt=True):
    """The text of an HTML fragment, with images as their `alt` text unless `alt` is false."""
    if drop_code:
        fragment = CODE.sub(" ", fragment)
    if alt:
        fragment = IMG_ALT.sub(r" \1 ", fragment)
    fragment = BLOCK.sub("\n", fragment)
    return html.unescape(ANY_TAG.sub(" ", fragment))


RAW = {
    "container": re.compile(r"(?m)^[ \t]*:::"),
    "jsx-tag": re.compile(r"(?<![\w.])</?(?:[A-Z][\w.]*(?=[\s/>])|>)"),
    "expression": re.compile(r"\{\s*(?:['\"`’‘“]|/\*|[A-Za-z_$][\w$]*\s*(?:\.[A-Za-z_$]|\())"),
    "export": re.compile(r"(?m)^[ \t]*export\s+(?:const|default|function|let)\b"),
    "import": re.compile(r"(?m)^[ \t]*import\s+.*?\bfrom\s+['\"]"),
    "gh-alert": re.compile(r"\[!(?:NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]"),
}
PLACEHOLDER = re.compile(r'<figure class="mdx-placeholder" data-component="([^"]*)"')
HTML_ATTR = r"""\s+[\w:.@-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
HIDDEN = re.compile(r"<[a-zA-Z][\w-]*(?:" + HTML_ATTR + r")*?\s+hidden(?=[\s/>=])[^>]*>")
TABPANEL = re.compile(r"\srole=\"tabpanel\"")


IMPORT = re.compile(r"(?m)^import\s+(.+?)\s+from\s+['\"]([^'\"]+)['\"]")
EXPORT_CONST = re.compile(r"(?m)^export\s+(?:const|let|var)\s+([A-Za-z_$][\w$]*)")
NEEDS_ESM = re.compile(r"(?m)^import\s+.+?\s+from\s+['\"][^'\"]*(?:\.mdx?|\?raw)['\"]|^export\s+const\b")


def bindings(src, tree, rel):
    """Names the page binds to data in the tree: `export const`s, and imports of files that exist
    (relative, or absolute from the tree root, `?raw` or not)."""
    names = set(EXPORT_CONST.findall(src))
    for what, path in IMPORT.findall(src):
        path = path.split("?")[0]
        if not path.startswith((".", "/")):
            continue
        base = tree if path.startswith("/") else os.path.join(tree, os.path.dirname(rel))
        full = os.path.normpath(os.path.join(base, path.lstrip("/")))
        if any(os.path.isfile(full + ext) for ext in ("", ".md", ".mdx", ".js", ".jsx", ".ts", ".tsx", ".json")):
            names.update(re.findall(r"[A-Za-z_$][\w$]*", what.replace(" as ", " ")))
    return names


def hole_source(name, src, bound):
    """Whether a placeholder's data is in the tree: the component, or an identifier in one of its
    attribute expressions, is bound by the page to data in the tree."""
    if name.split(".")[0] in bound:
        return True
    for m in re.finditer(r"<" + re.escape(name) + r"\b((?:[^<>{}]|" + BRACES + r")*)>", src):
        if set(re.findall(r"\{\s*([A-Za-z_$][\w$]*)", m.group(1))) & bound:
            return True
    return False


def raw_syntax(art):
    text = text_of(art, drop_code=True)
    found = []
    for kind, rx in RAW.items():
        for m in rx.finditer(text):
            line = text[text.rfind("\n", 0, m.start()) + 1 : text.find("\n", m.end()) % (len(text) + 1)]
            found.append((kind, line.strip()[:120]))
    return found


# --- mapping source pages to output pages ------------------------------------------------

NUM_PREFIX = re.compile(r"^\d+[-_.]")


def norm(url):
    url = unquote(url).strip().strip("/")
    url = re.sub(r"\.(md|mdx|html)$", "", url)
    parts = [p for p in url.split("/") if p and not (p.startswith("(") and p.endswith(")"))]
    if parts and parts[-1].lower() in ("index", "page", "readme"):
        parts.pop()
    return "/".join(parts).lower()


def source_pages(tree):
    out = []
    for dp, dns, fns in os.walk(tree):
        dns[:] = sorted(d for d in dns if not d.startswith((".", "_")) and d not in ("node_modules", "snippets"))
        for f in sorted(fns):
            if f.endswith((".md", ".mdx")) and not f.startswith("_"):
                out.append(os.path.relpath(os.path.join(dp, f), tree).replace(os.sep, "/"))
    # A README is a folder's page only when the folder has no index: match it last.
    return sorted(out, key=lambda r: r.rsplit("/", 1)[-1].lower().startswith("readme."))


def frontmatter_field(src, key):
    m = FRONTMATTER.match(src)
    if not m:
        return None
    f = re.search(r"(?m)^" + key + r":[ \t]*(.+?)[ \t]*$", m.group(0))
    return f.group(1).strip("'\"") if f else None


def candidates(rel, src):
    base = norm(rel)
    segs = base.split("/") if base else []
    cands = [base, "/".join(NUM_PREFIX.sub("", s) for s in segs)]
    cands.append("/".join(re.sub(r"\s+", "-", s) for s in cands[-1].split("/")))
    parent = "/".join(cands[1].split("/")[:-1]) if segs and not rel.rsplit("/", 1)[-1].lower().startswith(("index.", "page.", "readme.")) else cands[1]
    ident = frontmatter_field(src, "id")
    if ident:
        cands.append(norm((parent + "/" if parent else "") + ident))
    slug = frontmatter_field(src, "slug")
    if slug:
        cands.append(norm(slug) if slug.startswith("/") else norm((parent + "/" if parent else "") + slug))
    return cands


def output_pages(out):
    pages = {}
    for dp, _, fns in os.walk(out):
        for f in fns:
            if f.endswith(".html"):
                rel = os.path.relpath(os.path.join(dp, f), out).replace(os.sep, "/")
                if rel != "404.html" and not rel.startswith("search/"):
                    pages[norm(rel)] = rel
    return pages


TWIN_LINK = re.compile(r'<link rel="alternate" type="text/markdown" href="([^"]+)"')
TITLE = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)


def title_of(src):
    t = frontmatter_field(src, "title")
    if t:
        return t
    m = re.search(r"(?m)^#\s+(.+)$", FRONTMATTER.sub("", src, count=1))
    return m.group(1).strip() if m else None


def llms_sections(out):
    """Every `llms-full.txt` (the root one and one per locale folder) split into its pages,
    by normalised URL."""
    secs = {}
    for path in [os.path.join(out, "llms-full.txt")] + sorted(glob.glob(os.path.join(out, "*", "llms-full.txt"))):
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                full = f.read()
        except OSError:
            continue
        for part in re.split(r"(?m)^URL: ", full)[1:]:
            url, _, body = part.partition("\n")
            url = re.sub(r"^[a-z]+://[^/]+", "", url.strip())
            secs.setdefault(norm(url), body)
    return secs


# --- one tree ----------------------------------------------------------------------------


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def score_tree(name, tree, out, vellum):
    run = subprocess.run([vellum, "build", tree, "-o", out, "--no-cache"], capture_output=True, text=True)
    res = {"tree": name, "exit": run.returncode, "pages": 0, "unmatched": [], "raw": 0, "raw_kinds": {}, "holes": 0,
           "hole_names": {}, "holes_in_tree": 0, "needs_esm": 0, "lowcov": 0, "twin": 0, "details": []}
    if run.returncode not in (0, 1) or not os.path.isdir(out):
        res["error"] = run.stderr[-2000:]
        return res
    outs = output_pages(out)
    titles = {}
    for key, rel in outs.items():
        m = TITLE.search(read(os.path.join(out, rel)))
        if m:
            titles.setdefault(html.unescape(ANY_TAG.sub("", m.group(1))).strip(), []).append(key)
    llms = llms_sections(out)
    claimed = set()
    for rel in source_pages(tree):
        src = read(os.path.join(tree, rel))
        key = next((c for c in candidates(rel, src) if c in outs and c not in claimed), None)
        if key is None:
            t = title_of(src)
            hits = [k for k in titles.get(t, []) if k not in claimed] if t else []
            key = hits[0] if len(hits) == 1 else None
        if key is None:
            res["unmatched"].append(rel)
            continue
        claimed.add(key)
        res["pages"] += 1
        page = read(os.path.join(out, outs[key]))
        art = article(page)
        detail = {"source": rel, "output": outs[key]}
        raw = raw_syntax(art)
        if raw:
            res["raw"] += 1
            for kind, _ in raw:
                res["raw_kinds"][kind] = res["raw_kinds"].get(kind, 0) + 1
            detail["raw"] = raw[:5]
        hidden = [h for h in HIDDEN.findall(art) if not TABPANEL.search(h)]
        holes = PLACEHOLDER.findall(art) + ["hidden"] * len(hidden)
        if NEEDS_ESM.search(src):
            res["needs_esm"] += 1
            detail["needs_esm"] = True
        bound = bindings(src, tree, rel)
        in_tree = ["hidden"] * len(hidden) + [h for h in PLACEHOLDER.findall(art) if hole_source(h, src, bound)]
        if in_tree:
            res["holes_in_tree"] += 1
            detail["holes_in_tree"] = in_tree
        if holes:
            res["holes"] += 1
            for h in holes:
                res["hole_names"][h] = res["hole_names"].get(h, 0) + 1
            detail["holes"] = holes
        sw, aw = source_words(src), words(text_of(art))
        detail["coverage"] = 1 - len(sw - aw) / len(sw) if sw else 1.0
        detail["missing"] = sorted(sw - aw)
        if detail["coverage"] < 0.9:
            res["lowcov"] += 1
        alt = TWIN_LINK.search(page)
        twin_path = os.path.join(out, unquote(alt.group(1)).lstrip("/")) if alt else ""
        tw = words(read(twin_path)) if os.path.isfile(twin_path) else set()
        lw = words(llms.get(key, ""))
        aw = words(text_of(CONTROLS.sub(" ", art), alt=False))
        lost = sorted((aw - tw) | (aw - lw))
        if lost:
            res["twin"] += 1
            detail["twin_missing"] = lost
        res["details"].append(detail)
    return res


def unpack(tgz, into):
    with tarfile.open(tgz) as t:
        t.extractall(into, filter="data") if hasattr(tarfile, "data_filter") else t.extractall(into)


def trees(corpus, names):
    conv = os.path.join(corpus, "conventions")
    found = sorted(f[:-4] for f in os.listdir(conv) if f.endswith(".tgz")) if os.path.isdir(conv) else []
    found.append(WORKOS)
    for name in found:
        if names and name not in names:
            continue
        if name == WORKOS:
            yield name, os.path.join(corpus, "workos-mcp-docs-server-0.1.0.tgz"), "package/.docs/organized/docs"
        else:
            yield name, os.path.join(conv, name + ".tgz"), name


def pct(n, d):
    return f"{100 * n / d:.1f} %" if d else "-"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--vellum", default=os.path.join(ROOT, "target", "release", "vellum"))
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus"))
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--list", type=int, default=0, metavar="N")
    ap.add_argument("--keep", metavar="DIR", help="unpack and build under DIR and keep it")
    ap.add_argument("names", nargs="*")
    args = ap.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or tmp
        for name, tgz, inner in trees(args.corpus, set(args.names)):
            if not os.path.isfile(tgz):
                print(f"missing {tgz}", file=sys.stderr)
                sys.exit(2)
            src = os.path.join(work, "src", name)
            os.makedirs(src, exist_ok=True)
            unpack(tgz, src)
            res = score_tree(name, os.path.join(src, inner), os.path.join(work, "out", name), os.path.abspath(args.vellum))
            results.append(res)
            if args.list:
                worst = sorted(res["details"], key=lambda d: d["coverage"])[: args.list]
                for d in worst:
                    print(f"{name} {d['coverage']:.2f} {d['source']} missing={d['missing'][:12]}", file=sys.stderr)
                for d in res["details"]:
                    for kind, line in d.get("raw", [])[:2]:
                        print(f"{name} raw {kind} {d['source']}: {line}", file=sys.stderr)
                    if d.get("twin_missing"):
                        print(f"{name} twin {d['source']}: {d['twin_missing'][:10]}", file=sys.stderr)
    if args.json:
        for r in results:
            print(json.dumps(r, ensure_ascii=False))
        return
    print("| tree | exit | pages | unmatched | raw syntax | hidden / placeholder | of which data in the tree | need MDX imports / `export const` | under 90 % coverage | twin parity failures |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        n = r["pages"]
        holes = ", ".join(f"{k} {v}" for k, v in sorted(r["hole_names"].items()))
        print(f"| {r['tree']} | {r['exit']} | {n} | {len(r['unmatched'])} | {r['raw']} | {r['holes']}"
              f"{' (' + holes + ')' if holes else ''} | {r['holes_in_tree']} | {r['needs_esm']} | {r['lowcov']} ({pct(r['lowcov'], n)}) | {r['twin']} |")


if __name__ == "__main__":
    main()
