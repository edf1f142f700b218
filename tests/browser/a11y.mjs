// The built site as a reader meets it, in headless Chromium. Run by tests/html_valid.rs:
//   node a11y.mjs SITE_DIR
// Serves SITE_DIR itself and checks, on a few representative pages:
//  - axe-core: no serious or critical violations, light and dark, and with search open;
//  - keyboard: every visible interactive element is reached by Tab and shows focus; tabs,
//    accordions, copy buttons, the mobile menu, the theme toggle and search work by keys;
//  - no JavaScript: tab panels and variants shown, sidebar links visible, search explains
//    itself; with JavaScript, no console errors.
// Prints one line per failure and exits 1 if there were any.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const PAGES = ["/", "/sso/test-sso/", "/reference/organization/create/", "/events/", "/user-management/"];
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png" };
// Selectors of what a keyboard user must be able to reach (roving tabs use tabindex=-1).
const INTERACTIVE = 'a[href], button:not([disabled]):not([tabindex="-1"]), summary, input:not([disabled]), select, textarea, [tabindex]:not([tabindex="-1"])';

const siteDir = path.resolve(process.argv[2] || "");
if (!process.argv[2] || !fs.existsSync(path.join(siteDir, "index.html"))) {
  console.error("usage: node a11y.mjs SITE_DIR (a built site with index.html)");
  process.exit(2);
}
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const failures = [];
const fail = (what) => { failures.push(what); console.log(`FAIL ${what}`); };
const ok = (what) => console.log(`ok   ${what}`);
const check = (cond, what) => (cond ? ok(what) : fail(what));

function serve(root) {
  const server = http.createServer((req, res) => {
    const p = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = path.join(root, path.normalize(p));
    if (!file.startsWith(root)) return res.writeHead(403).end();
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    fs.readFile(file, (err, data) => {
      if (err) return res.writeHead(404, { "content-type": TYPES[".html"] }).end(fs.readFileSync(path.join(root, "404.html")));
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" }).end(data);
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

const server = await serve(siteDir);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

// A page that reports console errors and script exceptions as failures.
async function open(context, url) {
  const page = await context.newPage();
  // Content images live on a CDN; the test runs offline, so they load as empty answers.
  await page.route((u) => !u.href.startsWith(origin), (r) => r.fulfill({ status: 200, body: "" }));
  page.on("console", (m) => { if (m.type() === "error") fail(`console error on ${url}: ${m.text()}`); });
  page.on("pageerror", (e) => fail(`script error on ${url}: ${e.message}`));
  await page.goto(origin + url, { waitUntil: "load" });
  return page;
}

async function axe(page, what) {
  if (!(await page.evaluate(() => !!window.axe))) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}, ${v.nodes.length}×): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
  });
  check(violations.length === 0, `axe ${what}${violations.length ? "\n       " + violations.join("\n       ") : ""}`);
}

async function axeChecks() {
  for (const scheme of ["light", "dark"]) {
    const context = await browser.newContext({ viewport: DESKTOP, colorScheme: scheme });
    for (const url of PAGES) {
      const page = await open(context, url);
      await axe(page, `${url} (${scheme})`);
      await page.close();
    }
    const page = await open(context, "/");
    await page.keyboard.press("/");
    await page.locator(".search-dialog").waitFor({ state: "visible" });
    await page.keyboard.type("single sign-on");
    await page.locator(".search-result").first().waitFor({ state: "visible" });
    await axe(page, `search dialog open with results (${scheme})`);
    await context.close();
  }
}

// Tab through the page; every visible interactive element must be reached and show focus.
async function tabWalk(page, url) {
  let unfocusVisible = new Set();
  for (let i = 0; i < 3000; i++) {
    await page.keyboard.press("Tab");
    const r = await page.evaluate(() => {
      const e = document.activeElement;
      if (!e || e === document.body) return { done: true };
      if (e.dataset.a11ySeen) return { done: true };
      e.dataset.a11ySeen = "1";
      const s = getComputedStyle(e);
      const ring = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none";
      return { done: false, ring, name: `${e.tagName.toLowerCase()}${e.className ? "." + String(e.className).split(" ")[0] : ""} “${(e.textContent || e.getAttribute("aria-label") || "").trim().slice(0, 30)}”` };
    });
    if (r.done) break;
    if (!r.ring) unfocusVisible.add(r.name);
  }
  check(unfocusVisible.size === 0, `${url}: focus is visible on every Tab stop${unfocusVisible.size ? ": not on " + [...unfocusVisible].slice(0, 5).join(", ") : ""}`);
  const missed = await page.evaluate((sel) => {
    return Array.from(document.querySelectorAll(sel))
      // A radio group is one Tab stop: arrows move within it.
      .filter((e) => !(e.type === "radio" && e.form === null && document.querySelector(`input[name="${e.name}"][data-a11y-seen]`)))
      .filter((e) => !e.dataset.a11ySeen && e.checkVisibility({ visibilityProperty: true }) && !e.closest("[inert]"))
      .map((e) => `${e.tagName.toLowerCase()} “${(e.textContent || "").trim().slice(0, 30)}”`);
  }, INTERACTIVE);
  check(missed.length === 0, `${url}: every interactive element reachable by Tab${missed.length ? ": missed " + missed.slice(0, 5).join(", ") : ""}`);
}

const focused = (page) => page.evaluate(() => document.activeElement && (document.activeElement.id || document.activeElement.className || document.activeElement.tagName));

async function keyboardChecks() {
  const context = await browser.newContext({ viewport: DESKTOP, permissions: ["clipboard-read", "clipboard-write"] });
  for (const url of PAGES) {
    const page = await open(context, url);
    await tabWalk(page, url);
    check(await page.evaluate(() => document.querySelector("[data-a11y-seen]").classList.contains("skip-link")), `${url}: first Tab reaches the skip link`);
    await page.close();
  }

  const page = await open(context, "/user-management/");
  // Stack selection: arrows change the radio choice and the variants shown.
  const radio = page.locator("main .stack-selection input:checked").first();
  if (await radio.count()) {
    const shownBefore = await page.evaluate(() => Array.from(document.querySelectorAll(".stack-variant")).filter((v) => !v.hidden).length);
    await radio.focus();
    await page.keyboard.press("ArrowRight");
    const r = await page.evaluate(() => ({ checked: document.activeElement.checked, value: document.activeElement.value, shown: Array.from(document.querySelectorAll(".stack-variant")).filter((v) => !v.hidden).map((v) => Object.values(v.dataset).join()) }));
    check(r.checked && r.shown.length > 0 && r.shown.some((d) => d.includes(r.value)), `stack selection: ArrowRight picks “${r.value}” and shows its variants (${shownBefore} → ${r.shown.length})`);
  } else fail("stack selection: none on /user-management/");
  // Tabs (in the variant just shown): arrow keys move the selection and show the matching panel.
  const tab = page.locator('main [role="tab"][aria-selected="true"]').filter({ visible: true }).first();
  await tab.focus();
  const before = await tab.getAttribute("id");
  await page.keyboard.press("ArrowRight");
  const state = await page.evaluate(() => {
    const t = document.activeElement, panel = document.getElementById(t.getAttribute("aria-controls"));
    return { id: t.id, selected: t.getAttribute("aria-selected"), shown: !!panel && !panel.hidden && panel.getClientRects().length > 0 };
  });
  check(state.id !== before && state.selected === "true" && state.shown, "tabs: ArrowRight selects the next tab and shows its panel");
  // Copy button: Enter copies the code block's text.
  const copy = page.locator("main .copy-button").filter({ visible: true }).first();
  if (await copy.count()) {
    await copy.focus();
    await page.keyboard.press("Enter");
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    check(clip.trim().length > 0, "copy button: Enter copies the code");
  } else fail("copy button: none on /user-management/");
  // Sidebar group toggles (details/summary) open and close with Enter.
  const summary = await page.locator("#sidebar details:not([open]) > summary").filter({ visible: true }).first().elementHandle();
  await summary.focus();
  await page.keyboard.press("Enter");
  check(await summary.evaluate((s) => s.parentElement.open), "sidebar group: Enter opens it");
  // Theme toggle.
  const toggle = page.locator(".theme-toggle");
  const pressed = await toggle.getAttribute("aria-pressed");
  await toggle.focus();
  await page.keyboard.press("Enter");
  check((await toggle.getAttribute("aria-pressed")) !== pressed, "theme toggle: Enter switches the theme");
  await page.keyboard.press("Enter");
  // Search: "/" opens, typing shows results, arrows select, Escape closes and restores focus.
  await toggle.focus();
  await page.keyboard.press("/");
  await page.locator(".search-dialog").waitFor({ state: "visible" });
  check((await focused(page)).includes("search-input"), "search: / opens the dialog with the input focused");
  await page.keyboard.type("organization");
  await page.locator(".search-result").first().waitFor({ state: "visible" });
  await page.keyboard.press("ArrowDown");
  check((await page.locator('.search-link[aria-selected="true"]').count()) === 1, "search: arrow keys select a result");
  await page.keyboard.press("Escape");
  check(await page.locator(".search-overlay").isHidden(), "search: Escape closes the dialog");
  check((await focused(page)).includes("theme-toggle"), "search: focus returns to where it was");
  // Search end to end: the expected page comes first and Enter lands on it, at the anchor.
  await page.keyboard.press("/");
  await page.locator(".search-input").fill("impersonation");
  // The list still shows the previous query's results until the new ones render.
  await page.waitForFunction(() => document.querySelector(".search-status")?.textContent.includes("results") && document.querySelector(".search-input").value === "impersonation" && document.querySelector(".search-link")?.getAttribute("href").includes("/impersonation"), null, { timeout: 10000 }).catch(() => {});
  const first = await page.locator(".search-link").first().getAttribute("href");
  check(first.startsWith("/user-management/impersonation/"), `search: first result is the impersonation page (got ${first})`);
  await Promise.all([page.waitForURL((u) => u.pathname === "/user-management/impersonation/"), page.keyboard.press("Enter")]);
  check(new URL(page.url()).hash === (first.includes("#") ? first.slice(first.indexOf("#")) : ""), "search: Enter lands on the result's anchor");
  await page.close();

  // API reference: the Properties accordion and the SDK language tabs.
  const ref = await open(context, "/reference/organization/create/");
  const props = await ref.locator("main details:not([open]) > summary").filter({ visible: true }).first().elementHandle();
  if (props) {
    await props.focus();
    await ref.keyboard.press("Enter");
    check(await props.evaluate((s) => s.parentElement.open), "reference: Enter opens a Properties accordion");
  }
  await context.close();

  // Phone: the menu button opens the sidebar with focus inside; Escape closes it.
  const phone = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  const mp = await open(phone, "/sso/test-sso/");
  await mp.locator(".menu-button").focus();
  await mp.keyboard.press("Enter");
  await mp.waitForTimeout(300);
  const inside = await mp.evaluate(() => !!document.activeElement.closest("#sidebar") && document.activeElement.getBoundingClientRect().right > 0);
  check((await mp.locator(".menu-button").getAttribute("aria-expanded")) === "true" && inside, "phone: the menu button opens the sidebar and focuses it");
  await mp.keyboard.press("Escape");
  check((await mp.locator(".menu-button").getAttribute("aria-expanded")) === "false" && (await focused(mp)).includes("menu-button"), "phone: Escape closes the menu");
  await phone.close();
}

async function noScriptChecks() {
  for (const [device, viewport] of [["desktop", DESKTOP], ["phone", PHONE]]) {
    const context = await browser.newContext({ viewport, javaScriptEnabled: false });
    for (const url of PAGES) {
      const page = await context.newPage();
      await page.goto(origin + url, { waitUntil: "load" });
      const r = await page.evaluate(() => {
        const shown = (e) => e.getClientRects().length > 0;
        const content = '[role="tabpanel"], .stack-variant, .lang-variant, .code-block pre';
        const hidden = Array.from(document.querySelectorAll(content)).filter((e) => !shown(e) && !e.closest("details:not([open])"));
        const nav = Array.from(document.querySelectorAll("#sidebar a, .sections a")).filter(shown);
        const note = document.querySelector(".noscript-note");
        return {
          hidden: hidden.map((e) => e.id || e.className),
          nav: nav.length,
          note: !!note && shown(note) && /JavaScript/.test(note.textContent),
          searchButton: Array.from(document.querySelectorAll(".search-button")).some(shown),
        };
      });
      check(r.hidden.length === 0, `no JS ${device} ${url}: every tab panel and variant shown${r.hidden.length ? ": hidden " + r.hidden.slice(0, 5).join(", ") : ""}`);
      check(r.nav > 0, `no JS ${device} ${url}: navigation links visible`);
      check(r.note && !r.searchButton, `no JS ${device} ${url}: search explains it needs JavaScript`);
      await page.close();
    }
    await context.close();
  }
}

try {
  await axeChecks();
  await keyboardChecks();
  await noScriptChecks();
} catch (e) {
  fail(`check aborted: ${e.stack || e}`);
} finally {
  await browser.close();
  server.close();
}
console.log(failures.length ? `${failures.length} failure(s)` : "all checks passed");
process.exit(failures.length ? 1 : 0);
