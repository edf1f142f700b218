// node check.mjs <index-dir> <queries.json>
//
// Loads vellum's sharded browser index (search/index.json + s-*.json + d-*.json) with
// the real elasticlunr package (Index.load on the shards merged back together), runs
// every query through elasticlunr and through themes/default/search.js, and prints
// the top pages per query as JSON. Fails (exit 1) when search.js and elasticlunr
// disagree on the first page for a query whose words all exist in the index, or when
// elasticlunr's top 5 pages miss the Rust engine's first page too often.
// Also reports the gzipped bytes a cold browser would download for each query.
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const require = createRequire(import.meta.url);
// elasticlunr from this folder's node_modules, else from the working directory's
// (so `npm install` can run outside the source tree).
const elasticlunr = (() => {
  try {
    return require("elasticlunr");
  } catch {
    return createRequire(join(process.cwd(), "noop.js"))("elasticlunr");
  }
})();
const here = dirname(fileURLToPath(import.meta.url));
const ui = require(join(here, "../../themes/default/search.js"));

const [dir, queriesPath] = process.argv.slice(2);
if (!dir || !queriesPath) {
  console.error("usage: node check.mjs <index-dir> <queries.json>");
  process.exit(2);
}
const read = (name) => readFileSync(join(dir, name));
const json = (name) => JSON.parse(read(name).toString("utf8"));
const BOOST = { title: { boost: 3 }, crumbs: { boost: 2 }, body: { boost: 1 } };

// Rebuild the complete elasticlunr index: graft each shard's trie node at its key.
const header = json("index.json");
const full = structuredClone(header);
for (const key of header.shards) {
  const shard = json(ui.shardFile(key));
  for (const f of header.fields) {
    if (!shard.index[f]) continue;
    let node = full.index[f].root;
    const chars = Array.from(key);
    const last = chars.pop();
    for (const c of chars) node = node[c] ??= {};
    node[last] = Object.assign(node[last] ?? {}, shard.index[f]);
  }
  Object.assign(full.documentStore.docInfo, shard.docInfo);
}
// Intermediate trie nodes created by grafting need the shape elasticlunr expects.
const fix = (node) => {
  node.docs ??= {};
  node.df ??= 0;
  for (const k of Object.keys(node)) if (k !== "docs" && k !== "df") fix(node[k]);
};
for (const f of header.fields) fix(full.index[f].root);
// Without stored documents elasticlunr-rs writes `docs: {ref: {}}`; the header drops
// that map (it grows with the site) and elasticlunr needs it for field lengths.
for (const ref of Object.keys(full.documentStore.docInfo)) full.documentStore.docs[ref] = {};

elasticlunr.Pipeline.registerFunction(ui.vellumTerm, "vellumTerm");
const idx = elasticlunr.Index.load(full);

const meta = (ref) => {
  const i = Number(ref);
  return json(`d-${Math.floor(i / header.chunk)}.json`)[i % header.chunk];
};
const pages = (urls) => [...new Set(urls.map((u) => u.split("#")[0]))].slice(0, 5);

const queries = JSON.parse(readFileSync(queriesPath, "utf8")).queries;
const results = [];
let disagree = 0, comparable = 0, rustAgree = 0, rustTotal = 0, maxGz = 0, jsRecall = 0;
for (const { q, rust = [], expect = [] } of queries) {
  const lunr = pages(idx.search(q, { fields: BOOST, bool: "OR", expand: true }).slice(0, 30).map((r) => meta(r.ref)[0]));
  let bytes = 0;
  const loader = (name) => {
    const buf = read(name);
    bytes += gzipSync(buf).length;
    return Promise.resolve(JSON.parse(buf.toString("utf8")));
  };
  const hits = await ui.createSearcher(loader).search(q, 10);
  const js = pages(hits.map((h) => h.url));
  maxGz = Math.max(maxGz, bytes);
  const allKnown = q.split(/[\s-]+/).map(ui.vellumTerm).filter(Boolean)
    .every((t) => Array.from(t).reduce((n, c) => n && n[c], full.index.body.root)?.df > 0);
  if (allKnown) {
    comparable++;
    if (js[0] !== lunr[0]) disagree++;
  }
  if (rust.length) {
    rustTotal++;
    if (lunr.includes(rust[0])) rustAgree++;
  }
  if (js.some((p) => expect.includes(p))) jsRecall++;
  results.push({ q, elasticlunr: lunr, searchjs: js, rust: rust.slice(0, 5), cold_gz_bytes: bytes, same_first: js[0] === lunr[0] });
}
const summary = {
  queries: queries.length, comparable, disagree, rust_first_in_elasticlunr_top5: `${rustAgree}/${rustTotal}`,
  searchjs_recall_at5: jsRecall / queries.length, max_cold_gz_bytes: maxGz,
};
console.log(JSON.stringify({ summary, results }, null, 1));
const ok = disagree === 0 && (rustTotal === 0 || rustAgree / rustTotal >= 0.8);
console.error(`${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed: ${JSON.stringify(summary)}`);
process.exit(ok ? 0 : 1);
