// The neighbour files a nuisance report on their page and follows its status; the
// consultant's handling shows up as a new status; nothing about the tenant is shown. The
// report's text carries a script, which must be shown as text and never run — for the
// neighbour and for everyone else who sees it.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../support/harness');

const HANDOFF = 'nl.hearth.coordinator-handoff';
// Sets window.__pwned if it ever runs, in each of the ways a browser might run it.
const PAYLOAD = 'Harde muziek tot 3 uur <script>window.__pwned = "script"</script>' +
  '<img src="x" onerror="window.__pwned = \'img\'"><svg onload="window.__pwned = \'svg\'"></svg> "\'&';

let browser;
let address;
before(async () => {
  browser = await h.launchBrowser();
  address = JSON.parse(process.env.HEARTH_E2E_DEMO_ADDRESS || 'null');
  assert.ok(address, 'run-e2e.sh names a demo home (HEARTH_E2E_DEMO_ADDRESS)');
});
after(async () => { await browser?.close(); });

test('the neighbour files a report, sees it received, and later being handled', async () => {
  const page = await h.signIn(browser, 'neighbour');
  await page.goto('/dashboard/neighbour');
  const before = await page.locator('[data-test="report-row"]').count();
  await h.screenshot(page, 'neighbour-report', 'before');

  const form = page.locator('form[data-test="report-form"]');
  await form.locator('[name="postcode"]').fill(address.postcode);
  await form.locator('[name="house_number"]').fill(address.house_number);
  if (address.entrance) await form.locator('[name="entrance"]').fill(address.entrance);
  await form.locator('[name="category"]').selectOption('noise');
  await form.locator('[name="description"]').fill(PAYLOAD);
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/dashboard/neighbour' && url.searchParams.get('filed') === '1'),
    form.locator('button[type="submit"]').click(),
  ]);
  assert.equal(await page.locator('[data-test="report-filed"]').count(), 1, 'a thank-you notice');
  const rows = page.locator('[data-test="report-row"]');
  assert.equal(await rows.count(), before + 1, 'the new report is listed');
  const row = rows.filter({ hasText: 'Harde muziek tot 3 uur' });
  assert.equal(await row.count(), 1);
  assert.equal(await row.locator('[data-test="report-status"]').innerText(), 'Ontvangen');

  // The stored script is text on the page, not markup: nothing ran, no element was made.
  assert.equal((await row.locator('[data-test="report-description"]').innerText()).trim(), PAYLOAD);
  assert.equal(await page.locator('main script, main img, main svg').count(), 0);
  await h.assertNoScriptRan(page);

  // The neighbour learns nothing about who lives there.
  const text = await h.mainText(page);
  assert.doesNotMatch(text, /tenancy-\d{6}|tenant-000001|consultant-\d{2}/);
  await h.screenshot(page, 'neighbour-report', 'received');

  // The consultant whose portfolio holds the home takes it up.
  const mine = await h.callOperation(HANDOFF, 'report.mine', {}, h.personaToken('neighbour'));
  assert.equal(mine.status, 200, JSON.stringify(mine.body));
  const filed = mine.body.reports.find((r) => r.description === PAYLOAD);
  assert.ok(filed, 'report.mine holds the report, its text as it was typed');
  const consultant = { sub: address.portfolio_owner, org: 'corp:demo', role: 'housing_consultant' };
  const updated = await h.callOperation(HANDOFF, 'report.update',
    { report_id: filed.report_id, status: 'being_handled' }, h.signToken(consultant));
  assert.equal(updated.status, 200, JSON.stringify(updated.body));

  await page.reload();
  const handled = page.locator('[data-test="report-row"]').filter({ hasText: 'Harde muziek tot 3 uur' });
  assert.equal(await handled.locator('[data-test="report-status"]').innerText(), 'In behandeling');
  await h.assertNoScriptRan(page);
  await h.screenshot(page, 'neighbour-report', 'being-handled');
  await page.context().close();
});

test('a report for a home that does not exist is refused with the field named, and nothing is filed', async () => {
  const page = await h.signIn(browser, 'neighbour');
  await page.goto('/dashboard/neighbour');
  const before = await page.locator('[data-test="report-row"]').count();
  const form = page.locator('form[data-test="report-form"]');
  await form.locator('[name="postcode"]').fill('9999ZZ');
  await form.locator('[name="house_number"]').fill('1');
  await form.locator('[name="description"]').fill('Overlast (e2e)');
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/dashboard/neighbour/report')),
    form.locator('button[type="submit"]').click(),
  ]);
  assert.equal(response.status(), 400);
  await page.waitForLoadState();
  assert.match(await page.locator('[data-test="error"]').innerText(), /postcode|house_number|address|adres/i);
  assert.equal(await page.locator('[data-test="report-row"]').count(), before);
  await page.context().close();
});
