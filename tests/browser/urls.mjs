// Script URLs in headless Chromium. Run by tests/urls.rs:
//   node urls.mjs SITE_DIR PAGE...
// Serves SITE_DIR and opens each page (a build of tests/fixtures/invalid-urls, whose payloads
// call alert): no dialog may open while the page and its frames load or while every link is
// clicked, and every link, frame and image URL the browser parsed must have a scheme vellum
// publishes (javascript: and data:text/html do not). Prints one line per failure; exits 1
// if there were any.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

const siteDir = path.resolve(process.argv[2] || "");
const pages = process.argv.slice(3);
if (!process.argv[2] || pages.length === 0) {
  console.error("usage: node urls.mjs SITE_DIR PAGE...");
  process.exit(2);
}
const failures = [];
const fail = (what) => { failures.push(what); console.log(`FAIL ${what}`); };

const server = http.createServer((req, res) => {
  const p = decodeURIComponent(new URL(req.url, "http://x").pathname);
  let file = path.join(siteDir, path.normalize(p));
  if (!file.startsWith(siteDir)) return res.writeHead(403).end();
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
  fs.readFile(file, (err, data) => {
    if (err) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": file.endsWith(".html") ? "text/html; charset=utf-8" : "application/octet-stream" }).end(data);
  });
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const context = await browser.newContext();
// Nothing leaves the test server (external links and embeds answer empty).
await context.route((u) => !u.href.startsWith(origin), (r) => r.fulfill({ status: 200, body: "" }));

const PUBLISHED = ["http:", "https:", "mailto:", "tel:"];
for (const url of pages) {
  const page = await context.newPage();
  page.on("dialog", async (d) => { fail(`${url}: a script ran (${d.type()} "${d.message()}")`); await d.dismiss(); });
  await page.goto(origin + url, { waitUntil: "load" });
  await page.waitForTimeout(300);
  const bad = await page.evaluate((published) => {
    const out = [];
    for (const el of document.querySelectorAll("[href], [src], iframe[srcdoc]")) {
      if (el.hasAttribute("srcdoc")) out.push(`<iframe srcdoc>`);
      for (const attr of ["href", "src"]) {
        const raw = el.getAttribute(attr);
        if (raw === null) continue;
        const scheme = new URL(raw, document.baseURI).protocol;
        const image = el.tagName === "IMG" && scheme === "data:" && /^data:image\/(png|jpeg|gif|webp|avif)[;,]/i.test(el[attr]);
        if (!published.includes(scheme) && !image && !(el.tagName === "LINK" && scheme === "data:")) out.push(`<${el.tagName.toLowerCase()} ${attr}="${raw}">`);
      }
    }
    return out;
  }, PUBLISHED);
  for (const b of bad) fail(`${url}: ${b} is not a published URL`);
  // Every link on the page that stays on it (a script URL would run here) is clicked.
  const links = await page.$$("a[href]");
  for (const a of links) {
    const same = await a.evaluate((el) => !["http:", "https:", "mailto:", "tel:"].includes(el.protocol) || el.getAttribute("href").startsWith("#"));
    if (same && (await a.isVisible())) await a.click({ noWaitAfter: true, timeout: 2000 }).catch(() => {});
  }
  await page.waitForTimeout(300);
  await page.close();
}
await browser.close();
server.close();
console.log(failures.length ? `${failures.length} failure(s)` : `ok: ${pages.join(", ")}`);
process.exit(failures.length ? 1 : 0);
