// The auditor searches the audit log (and finds the reads the other tests caused) and runs
// the tamper check; the administrator sees the loaded plugins with their versions and the
// configuration summary, with no secret in it.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../support/harness');

let browser;
before(async () => { browser = await h.launchBrowser(); });
after(async () => { await browser?.close(); });

test('the auditor finds who read a tenancy and runs the tamper check', async () => {
  // A read to find: the tenant opens their own page.
  const tenant = await h.signIn(browser, 'tenant');
  await tenant.goto('/dashboard/tenant');
  await tenant.context().close();

  const page = await h.signIn(browser, 'auditor');
  const form = page.locator('form[data-test="audit-search-form"]');
  await form.locator('[name="user"]').fill(h.DEMO_USERS.tenant.sub);
  await Promise.all([
    page.waitForURL((url) => url.searchParams.get('user') === h.DEMO_USERS.tenant.sub),
    form.locator('button[type="submit"]').click(),
  ]);
  const rows = page.locator('[data-test="audit-row"]');
  assert.ok(await rows.count() > 0, 'the tenant\'s reads are in the audit log');
  const who = await rows.evaluateAll((trs) => trs.map((tr) => tr.cells[2].innerText));
  assert.ok(who.every((cell) => cell.startsWith(h.DEMO_USERS.tenant.sub)), 'only the asked user\'s entries');
  await h.screenshot(page, 'auditor', 'search');

  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/dashboard/auditor/verify')),
    page.locator('form[action="/dashboard/auditor/verify"] button[type="submit"]').click(),
  ]);
  await page.waitForLoadState();
  assert.equal(await page.locator('[data-test="verify-intact"]').count(), 1, 'the hash chain is intact');
  await h.screenshot(page, 'auditor', 'verify');
  await page.context().close();
});

test('the administrator sees the plugins with versions and a configuration summary without secrets', async () => {
  const page = await h.signIn(browser, 'administrator');
  const response = await page.goto('/dashboard/admin');
  assert.equal(response.status(), 200);
  const plugins = await page.locator('[data-test="plugin-row"]').evaluateAll(
    (trs) => trs.map((tr) => tr.innerText));
  for (const id of ['nl.hearth.dashboards', 'nl.hearth.early-warning', 'nl.hearth.coordinator-handoff']) {
    const row = plugins.find((text) => text.includes(id));
    assert.ok(row, `${id} is listed`);
    assert.match(row, /\d+\.\d+\.\d+/, `${id} shows its version`);
  }
  const html = await page.content();
  const { jwtSecret, apiKey } = h.settings();
  assert.ok(!html.includes(jwtSecret), 'the token secret is not shown');
  assert.ok(!html.includes(apiKey), 'the API key is not shown');
  await h.screenshot(page, 'administrator', 'admin');
  await page.context().close();
});
