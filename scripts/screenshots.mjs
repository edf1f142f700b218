#!/usr/bin/env node
// Screenshots of a built site: desktop (1280x800) and phone (390x844), light and dark.
//
// Usage: node scripts/screenshots.mjs SITE_DIR OUT_DIR [--base /docs] [--full] PATH...
//   SITE_DIR  the built site (served over a throwaway HTTP server on 127.0.0.1)
//   OUT_DIR   where PNGs go, named <path-slug>-<desktop|phone>-<light|dark>.png
//   --base    URL prefix the site was built with; requests under it map to SITE_DIR
//   --full    capture the full page instead of the first screen
//   PATH      page paths such as /docs/sso/test-sso/ (default: the base itself)
//
// Needs playwright-core (found through normal resolution, or the directory in
// $PLAYWRIGHT_CORE) and Chromium at $CHROMIUM or /usr/bin/chromium.

import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".json": "application/json", ".md": "text/markdown; charset=utf-8", ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".ico": "image/x-icon", ".xml": "application/xml",
};
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };
const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

function parseArgs(argv) {
  const opts = { base: "", full: false, rest: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--base") opts.base = (argv[++i] || "").replace(/\/+$/, "");
    else if (argv[i] === "--full") opts.full = true;
    else opts.rest.push(argv[i]);
  }
  const [siteDir, outDir, ...paths] = opts.rest;
  if (!siteDir || !outDir) {
    console.error("usage: screenshots.mjs SITE_DIR OUT_DIR [--base /docs] [--full] PATH...");
    process.exit(2);
  }
  return { ...opts, siteDir: path.resolve(siteDir), outDir: path.resolve(outDir), paths: paths.length ? paths : [opts.base + "/"] };
}

function loadPlaywright() {
  const require = createRequire(import.meta.url);
  const candidates = ["playwright-core", process.env.PLAYWRIGHT_CORE, "/tmp/shots/node_modules/playwright-core"].filter(Boolean);
  for (const c of candidates) {
    try { return require(c); } catch { /* try the next location */ }
  }
  throw new Error("playwright-core not found; npm install it or set PLAYWRIGHT_CORE");
}

// A static file server confined to `root`; `base` is stripped from request paths.
function serve(root, base) {
  const server = http.createServer((req, res) => {
    let p;
    try { p = decodeURIComponent(new URL(req.url, "http://x").pathname); } catch { p = "/"; }
    if (base && (p === base || p.startsWith(base + "/"))) p = p.slice(base.length) || "/";
    let file = path.join(root, path.normalize(p));
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    try { if (fs.statSync(file).isDirectory()) file = path.join(file, "index.html"); } catch { /* handled below */ }
    if (!fs.existsSync(file) && fs.existsSync(file + ".html")) file += ".html";
    fs.readFile(file, (err, data) => {
      if (err) {
        const notFound = path.join(root, "404.html");
        res.writeHead(404, { "content-type": TYPES[".html"] });
        res.end(fs.existsSync(notFound) ? fs.readFileSync(notFound) : "not found");
        return;
      }
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
      res.end(data);
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

function slug(p) {
  return p.replace(/^\/+|\/+$/g, "").replace(/[^a-zA-Z0-9]+/g, "-") || "index";
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const { chromium } = loadPlaywright();
  fs.mkdirSync(opts.outDir, { recursive: true });
  const server = await serve(opts.siteDir, opts.base);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: CHROMIUM_ARGS });
  let failures = 0;
  try {
    for (const [device, viewport] of Object.entries(VIEWPORTS)) {
      for (const scheme of ["light", "dark"]) {
        const context = await browser.newContext({
          viewport, colorScheme: scheme, deviceScaleFactor: 1,
          isMobile: device === "phone", hasTouch: device === "phone",
        });
        const page = await context.newPage();
        page.on("pageerror", (e) => { failures++; console.error(`script error on ${page.url()}: ${e.message}`); });
        for (const p of opts.paths) {
          const url = origin + (p.startsWith("/") ? p : "/" + p);
          const resp = await page.goto(url, { waitUntil: "load" });
          if (!resp || resp.status() >= 400) console.error(`warning: ${p} answered ${resp ? resp.status() : "nothing"}`);
          const file = path.join(opts.outDir, `${slug(p)}-${device}-${scheme}.png`);
          await page.screenshot({ path: file, fullPage: opts.full });
          console.log(file);
        }
        await context.close();
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  if (failures) process.exitCode = 1;
}

main().catch((e) => { console.error(e.message || e); process.exit(1); });
