// Live reload as a user sees it, in headless Chromium. Run by tests/serve.rs:
//   node live-reload.mjs URL SOURCE_FILE
// URL is a page served by `vellum serve`, SOURCE_FILE the .mdx it is built from (it must
// contain "Install step one." and be long enough to scroll). Exits non-zero on failure.
import { chromium } from "playwright-core";
import { readFileSync, writeFileSync } from "node:fs";

const [url, file] = process.argv.slice(2);
if (!url || !file) {
  console.error("usage: node live-reload.mjs URL SOURCE_FILE");
  process.exit(2);
}
const TIMEOUT = 20000;

function check(cond, what) {
  if (!cond) throw new Error(`check failed: ${what}`);
  console.log(`ok - ${what}`);
}
const hasText = (page, text) => page.waitForFunction((t) => document.body && document.body.innerText.includes(t), text, { timeout: TIMEOUT });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 600 } });
  page.on("console", (m) => { if (m.type() === "error") console.log(`console: ${m.text()}`); });
  await page.goto(url, { waitUntil: "load" });
  await hasText(page, "Install step one.");
  check(true, "page shows the original text");
  // Count navigations: live reload is a reload the test never asks for.
  let loads = 0;
  page.on("load", () => { loads += 1; });
  // Wait until the event stream is open, so the edit below is a change the page follows.
  await page.waitForTimeout(300);
  await page.evaluate(() => window.scrollTo(0, 700));
  const scrolled = await page.evaluate(() => window.scrollY);
  check(scrolled > 300, `page scrolled to ${scrolled}`);

  const original = readFileSync(file, "utf8");
  writeFileSync(file, original.replace("Install step one.", "Install step two."));
  await hasText(page, "Install step two.");
  check(loads >= 1, "new text appeared through a live reload");
  await page.waitForFunction((y) => Math.abs(window.scrollY - y) < 5, scrolled, { timeout: TIMEOUT });
  check(true, "scroll position kept across the reload");

  // A broken frontmatter: the overlay appears over the last good page.
  writeFileSync(file, "---\ntitle: [unclosed\n---\n\nInstall step broken.\n");
  const overlay = page.locator("#vellum-error-overlay[role=alert]");
  await overlay.waitFor({ state: "visible", timeout: TIMEOUT });
  const overlayText = await overlay.innerText();
  check(/guide\/setup\.mdx:\d+/.test(overlayText), `overlay names file and line: ${JSON.stringify(overlayText.slice(0, 160))}`);
  check((await page.evaluate(() => document.body.innerText)).includes("Install step two."), "last good page still shown");

  // A fresh tab opened while the error exists gets the overlay from the server.
  const fresh = await browser.newPage();
  await fresh.goto(url, { waitUntil: "load" });
  check(await fresh.locator("#vellum-error-overlay[role=alert]").isVisible(), "fresh tab shows the overlay");
  await fresh.close();

  // The fix reloads the page and clears the overlay.
  writeFileSync(file, original.replace("Install step one.", "Install step three."));
  await hasText(page, "Install step three.");
  await overlay.waitFor({ state: "detached", timeout: TIMEOUT });
  check(true, "fix reloads the page and removes the overlay");
} catch (e) {
  failed = true;
  console.error(`FAILED: ${e && e.stack ? e.stack : e}`);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
