// The housing consultant: the flags of the portfolio, highest level first; a flag's
// explanation and history; accepting it with a reason, after which it is recorded as
// decided and listed among the accepted flags; revising that decision, after which the
// history shows both decisions, and a revision of a stale decision refused (409).
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../support/harness');

const LEVEL_RANK = { red: 3, amber: 2, green: 1 };

let browser;
before(async () => { browser = await h.launchBrowser(); });
after(async () => { await browser?.close(); });

test('the consultant lists the portfolio\'s flags, red before amber', async () => {
  const page = await h.signIn(browser, 'housing_consultant');
  await page.goto('/dashboard/consultant');
  const rows = page.locator('[data-test="flag-row"]');
  assert.ok(await rows.count() > 0, 'the demo portfolio of consultant-01 has open flags');
  assert.equal(await page.locator('table[data-test="flag-table"] caption').count(), 1, 'the table has a caption');
  const levels = await page.locator('[data-test="flag-row"] [data-test="flag-level"]').evaluateAll(
    (spans) => spans.map((s) => [...s.classList].find((c) => c.startsWith('level-')).slice('level-'.length)));
  const ranks = levels.map((level) => LEVEL_RANK[level] ?? 0);
  assert.deepEqual(ranks, [...ranks].sort((a, b) => b - a), `levels in order: ${levels.join(', ')}`);
  await h.screenshot(page, 'consultant-flags', 'flag-list');
  await page.context().close();
});

test('the consultant opens a flag, reads why, and accepts it with a reason', async () => {
  const page = await h.signIn(browser, 'housing_consultant');
  await page.goto('/dashboard/consultant');
  const row = page.locator('[data-test="flag-row"]').first();
  const flagId = await row.getAttribute('data-flag');
  assert.ok(flagId, 'a flag row names its flag');
  await Promise.all([page.waitForURL(/\/dashboard\/consultant\/flag\?id=/), row.locator('a').first().click()]);
  assert.ok(await page.locator('[data-test="explanation"] li').count() > 0, 'the flag is explained');
  assert.equal(await page.locator('[data-test="decision"]').count(), 0, 'not decided yet');
  await h.screenshot(page, 'consultant-accepts-flag', 'flag-before');

  const form = page.locator('form[data-test="decision-form"]');
  await form.locator('input[name="decision"][value="accept"]').check();
  const reason = `Besproken met de huurder op ${new Date().toISOString().slice(0, 10)} (e2e)`;
  await form.locator('textarea[name="reason"]').fill(reason);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/dashboard/consultant/decide')),
    form.locator('button[data-test="decide"]').click(),
  ]);
  assert.equal(response.status(), 303, 'the decision is recorded and answered with a redirect');
  await page.waitForURL((url) => url.pathname === '/dashboard/consultant/flag');
  assert.equal(await page.locator('[data-test="decision-form"]').count(), 0, 'no second decision');
  assert.equal((await page.locator('[data-test="decision-reason"]').innerText()).trim(), reason);
  await h.screenshot(page, 'consultant-accepts-flag', 'flag-after');

  // The open list no longer holds it; the accepted list does.
  await page.goto('/dashboard/consultant');
  assert.equal(await page.locator(`[data-test="flag-row"][data-flag="${flagId}"]`).count(), 0);
  await page.goto('/dashboard/consultant?status=accepted&min_level=green');
  assert.equal(await page.locator(`[data-test="flag-row"][data-flag="${flagId}"]`).count(), 1);
  await h.screenshot(page, 'consultant-accepts-flag', 'accepted-list');

  // Deciding again is refused: the flag is already decided.
  const again = await page.evaluate(async ({ flagId }) => {
    const csrf = document.querySelector('input[name="csrf"]').value;
    const body = new URLSearchParams({ csrf, flag_id: flagId, decision: 'dismiss', reason: 'again' });
    const r = await fetch('/dashboard/consultant/decide', { method: 'POST', body, redirect: 'manual' });
    return r.status;
  }, { flagId });
  assert.equal(again, 409, 'a decided flag is not decided twice');
  await h.assertNoScriptRan(page);
  await page.context().close();
});

test('a decision without a reason is refused and changes nothing', async () => {
  const page = await h.signIn(browser, 'housing_consultant');
  await page.goto('/dashboard/consultant');
  const flagId = await page.locator('[data-test="flag-row"]').first().getAttribute('data-flag');
  const status = await page.evaluate(async ({ flagId }) => {
    const csrf = document.querySelector('input[name="csrf"]').value;
    const body = new URLSearchParams({ csrf, flag_id: flagId, decision: 'accept', reason: '' });
    const r = await fetch('/dashboard/consultant/decide', { method: 'POST', body, redirect: 'manual' });
    return r.status;
  }, { flagId });
  assert.equal(status, 400);
  await page.goto(`/dashboard/consultant/flag?id=${encodeURIComponent(flagId)}`);
  assert.equal(await page.locator('[data-test="decision-form"]').count(), 1, 'still undecided');
  await page.context().close();
});

test('the consultant revises a decision and sees both in the flag\'s history', async () => {
  const page = await h.signIn(browser, 'housing_consultant');
  await page.goto('/dashboard/consultant');
  const flagId = await page.locator('[data-test="flag-row"]').first().getAttribute('data-flag');
  assert.ok(flagId, 'an open flag to decide on');
  await page.goto(`/dashboard/consultant/flag?id=${encodeURIComponent(flagId)}`);
  const decide = page.locator('form[data-test="decision-form"]');
  await decide.locator('input[name="decision"][value="accept"]').check();
  await decide.locator('textarea[name="reason"]').fill('Eerst overgenomen (e2e)');
  await Promise.all([page.waitForURL((url) => url.pathname === '/dashboard/consultant/flag'),
    decide.locator('button[data-test="decide"]').click()]);
  assert.equal(await page.locator('[data-test="decision-history-row"]').count(), 1, 'one decision so far');

  // The revision form: the override level shows only for an override.
  const revise = page.locator('form[data-test="revise-form"]');
  assert.equal(await revise.locator('input[name="revises"]').inputValue(), '1');
  await revise.locator('input[name="decision"][value="dismiss"]').check();
  assert.equal(await revise.locator('[data-role="override-level"]').isHidden(), true, 'no level for a dismissal');
  const reason = 'Huurachterstand is volledig betaald (e2e)';
  await revise.locator('textarea[name="reason"]').fill(reason);
  await h.screenshot(page, 'consultant-revises-decision', 'revise-form');
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/dashboard/consultant/revise')),
    revise.locator('button[data-test="revise"]').click(),
  ]);
  assert.equal(response.status(), 303, 'the revision is recorded and answered with a redirect');
  await page.waitForURL((url) => url.pathname === '/dashboard/consultant/flag');
  const rows = page.locator('[data-test="decision-history-row"]');
  assert.equal(await rows.count(), 2, 'the history keeps both decisions');
  assert.equal((await rows.nth(0).locator('[data-test="decision-history-reason"]').innerText()).trim(),
    'Eerst overgenomen (e2e)');
  assert.equal((await rows.nth(1).locator('[data-test="decision-history-reason"]').innerText()).trim(), reason);
  assert.match(await rows.nth(1).innerText(), /consultant-01 \(Woonconsulent\)/);
  assert.equal((await page.locator('[data-test="flag-status"]').innerText()).trim(), 'afgewezen');
  assert.equal(await page.locator('form[data-test="revise-form"] input[name="revises"]').inputValue(), '2');
  await h.assertAccessibleBasics(page, 'flag page with history');
  await h.screenshot(page, 'consultant-revises-decision', 'history');

  // The old page's form again: decision 1 is no longer the latest.
  const stale = await page.evaluate(async ({ flagId }) => {
    const csrf = document.querySelector('input[name="csrf"]').value;
    const body = new URLSearchParams({ csrf, flag_id: flagId, revises: '1', decision: 'accept', reason: 'stale' });
    const r = await fetch('/dashboard/consultant/revise', { method: 'POST', body, redirect: 'manual' });
    return { status: r.status, text: await r.text() };
  }, { flagId });
  assert.equal(stale.status, 409, 'a stale revision is refused');
  assert.match(stale.text, /revises: besluit 1 is niet het laatste; het laatste is 2/);
  await page.reload();
  assert.equal(await page.locator('[data-test="decision-history-row"]').count(), 2, 'nothing changed');
  await h.assertNoScriptRan(page);
  await page.context().close();
});
