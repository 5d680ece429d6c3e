// What every browser test shares: the running Hearth that run-e2e.sh started (from the
// environment it sets), Debian's chromium launched headless through playwright-core, the
// demo sign-in as a persona, screenshots into a folder named after the test, tokens signed
// like a CRM would (HS256) and a trap that tells whether an injected script ran.
//
// Run the tests through run-e2e.sh, never directly: it sets HEARTH_E2E_* and NODE_PATH.
'use strict';
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

// The environment run-e2e.sh sets up. Throws naming the variable when one is missing.
function settings() {
  const need = (name) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set: run the tests with tests/e2e/run-e2e.sh`);
    return value;
  };
  const secrets = JSON.parse(need('HEARTH_E2E_SETTINGS'));
  return {
    url: need('HEARTH_E2E_URL'),
    allowedOrigin: need('HEARTH_E2E_ALLOWED_ORIGIN'),
    foreignOrigin: need('HEARTH_E2E_FOREIGN_ORIGIN'),
    chromium: need('HEARTH_E2E_CHROMIUM'),
    screenshots: need('HEARTH_E2E_SCREENSHOTS'),
    apiKey: secrets.api_key,
    jwtSecret: secrets.jwt_secret,
    jwtIssuer: secrets.jwt_issuer,
  };
}

// Every persona of the demo sign-in page (its form field `persona`).
const PERSONAS = ['tenant', 'neighbour', 'housing_consultant', 'care_professional', 'coordinator',
  'auditor', 'administrator'];

// Starts headless chromium. The caller closes it (browser.close()) when done.
async function launchBrowser() {
  return chromium.launch({
    executablePath: settings().chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}

// A fresh browser context (its own cookies) with a page that records dialogs, console
// messages and pages that failed to load. The context's base URL is Hearth's.
async function newPage(browser) {
  const context = await browser.newContext({ baseURL: settings().url, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.seen = { dialogs: [], console: [] };
  page.on('dialog', async (dialog) => {
    page.seen.dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  page.on('console', (message) => page.seen.console.push(message.text()));
  return page;
}

// Signs in on the demo sign-in page as `persona` (one of PERSONAS) and waits for the start
// page. Returns the page, whose context now holds the session cookie.
async function signIn(browser, persona) {
  const page = await newPage(browser);
  const response = await page.goto('/dashboard/sign-in');
  assert.equal(response.status(), 200, 'the demo sign-in page answers 200 in demo mode');
  await Promise.all([
    page.waitForURL((url) => !url.pathname.endsWith('/sign-in')),
    page.locator(`button[name="persona"][value="${persona}"]`).click(),
  ]);
  return page;
}

// Saves a full-page screenshot as <screenshots>/<testName>/<view>.png and returns its path.
async function screenshot(page, testName, view) {
  const folder = path.join(settings().screenshots, safeName(testName));
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `${safeName(view)}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

function safeName(text) {
  return String(text).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
}

// A JWT signed with the configured HS256 secret, as a CRM back-end issues it. `claims`
// are merged over sensible defaults (issuer, audience "hearth", five minutes' life).
function signToken(claims, secret = settings().jwtSecret) {
  const now = Math.floor(Date.now() / 1000);
  const payload = { iss: settings().jwtIssuer, aud: 'hearth', iat: now, exp: now + 300, ...claims };
  const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
  const signature = crypto.createHmac('sha256', secret).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}

// The page's main text (what a person reads), whitespace collapsed.
async function mainText(page) {
  return (await page.locator('main').innerText()).replace(/\s+/g, ' ');
}

// Asserts that no injected script ran on `page`: no dialog opened and window.__pwned (what
// every payload of these tests sets) is undefined, in the page and in each of its frames.
async function assertNoScriptRan(page) {
  assert.deepEqual(page.seen.dialogs, [], 'no dialog opened');
  for (const frame of page.frames()) {
    const pwned = await frame.evaluate(() => typeof window.__pwned).catch(() => 'undefined');
    assert.equal(pwned, 'undefined', `window.__pwned is not set in ${frame.url()}`);
  }
}

// Asserts the basics of an accessible page: one <h1>, <main>, every visible form field
// with a label, every button with text, every table with a caption.
async function assertAccessibleBasics(page, what) {
  assert.equal(await page.locator('h1').count(), 1, `${what}: one <h1>`);
  assert.equal(await page.locator('main').count(), 1, `${what}: one <main>`);
  const unlabelled = await page.locator('input:not([type="hidden"]), select, textarea').evaluateAll(
    (fields) => fields.filter((field) => field.labels.length === 0 && !field.getAttribute('aria-label'))
      .map((field) => field.name || field.id));
  assert.deepEqual(unlabelled, [], `${what}: every form field has a label`);
  const emptyButtons = await page.locator('button').evaluateAll(
    (buttons) => buttons.filter((b) => !b.innerText.trim() && !b.getAttribute('aria-label')).length);
  assert.equal(emptyButtons, 0, `${what}: every button says what it does`);
  const tablesWithoutCaption = await page.locator('table:not(:has(caption))').count();
  assert.equal(tablesWithoutCaption, 0, `${what}: every table has a caption`);
}

// Asserts the security headers every dashboard page carries (issue 7, "Inside familiar
// screens"): a strict CSP with a nonce for scripts and the configured frame-ancestors,
// nosniff and a referrer policy. `response` is playwright's.
function assertSecurityHeaders(response, what) {
  const headers = response.headers();
  const csp = headers['content-security-policy'] || '';
  for (const directive of ["default-src 'none'", "object-src 'none'", "base-uri 'none'", "form-action 'self'",
    `frame-ancestors ${settings().allowedOrigin}`]) {
    assert.ok(csp.includes(directive), `${what}: CSP has ${directive} (${csp})`);
  }
  assert.match(csp, /script-src 'self' 'nonce-[A-Za-z0-9+/=_-]{16,}'/, `${what}: scripts only from self or with a nonce`);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, `${what}: no unsafe-inline or unsafe-eval`);
  assert.equal(headers['x-content-type-options'], 'nosniff', `${what}: nosniff`);
  assert.ok(headers['referrer-policy'], `${what}: a referrer policy`);
}

// fetch() against Hearth (node's own, outside the browser). `init` as fetch's; redirects
// are not followed.
function hearthFetch(pathname, init = {}) {
  return fetch(new URL(pathname, settings().url), { redirect: 'manual', ...init });
}

// The demo users of each persona (pinned in the test configuration by run-e2e.sh).
const { DEMO_USERS } = require('./demo-users');

// A token for the demo user of `persona`, as the CRM would sign it.
function personaToken(persona, extraClaims = {}) {
  const user = DEMO_USERS[persona];
  if (!user) throw new Error(`no demo user for persona ${persona}`);
  return signToken({ ...user, role: persona, ...extraClaims });
}

// POST /api/v1/<pluginId>/<operation> with `args` as the JSON body, as the holder of
// `token` (a JWT or the API key). Resolves to {status, body} with body parsed when JSON.
async function callOperation(pluginId, operation, args, token) {
  const response = await hearthFetch(`/api/v1/${pluginId}/${operation}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(args),
  });
  const text = await response.text();
  let body = text;
  try { body = JSON.parse(text); } catch { /* not JSON: keep the text */ }
  return { status: response.status, body };
}

module.exports = {
  PERSONAS, DEMO_USERS, settings, launchBrowser, newPage, signIn, screenshot, signToken, personaToken,
  mainText, assertNoScriptRan, assertAccessibleBasics, assertSecurityHeaders, hearthFetch, callOperation,
};
