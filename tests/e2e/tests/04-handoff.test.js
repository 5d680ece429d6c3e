// A warm handoff through the pages: the coordinator who owns a case offers it to a care
// professional on the case page; the care professional finds the offer on their page,
// accepts it, and becomes the case's owner.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../support/harness');

const HANDOFF = 'nl.hearth.coordinator-handoff';
let browser;
let caseId;

before(async () => {
  browser = await h.launchBrowser();
  // The case the coordinator owns (cases are opened by a coordinator's system, not a page).
  const opened = await h.callOperation(HANDOFF, 'case.open', {
    tenancy_id: 'tenancy-000003', legal_basis: 'avg-6-1-e', reason: 'e2e: rent arrears and nuisance together',
  }, h.personaToken('coordinator'));
  assert.equal(opened.status, 200, JSON.stringify(opened.body));
  caseId = opened.body.case_id;
  assert.ok(caseId, 'case.open answers the case id');
});
after(async () => { await browser?.close(); });

test('the coordinator offers the case to a care professional', async () => {
  const page = await h.signIn(browser, 'coordinator');
  await page.goto('/dashboard/coordinator');
  assert.ok(await page.locator(`a[href="/dashboard/case?id=${encodeURIComponent(caseId)}"]`).count() >= 1,
    'the coordinator\'s page lists the case');
  await h.screenshot(page, 'handoff-offer', 'coordinator');
  await page.goto(`/dashboard/case?id=${encodeURIComponent(caseId)}`);
  assert.match(await page.locator('[data-test="case-owner"]').innerText(), /coordinator-01/);
  const form = page.locator('form[data-test="offer-form"]');
  await form.locator('[name="to_organisation"]').fill(h.DEMO_USERS.care_professional.org);
  await form.locator('[name="to_role"]').selectOption('care_professional');
  await form.locator('[name="to_user"]').fill(h.DEMO_USERS.care_professional.sub);
  await form.locator('[name="reason"]').fill('Zorg staat voorop; graag een warme overdracht (e2e)');
  await Promise.all([page.waitForURL(/\/dashboard\/case\?id=/), form.locator('button[type="submit"]').click()]);
  assert.equal(await page.locator('[data-test="open-offer"]').count(), 1, 'the offer is open');
  assert.equal(await page.locator('form[data-test="offer-form"]').count(), 0, 'one open offer at a time');
  await h.screenshot(page, 'handoff-offer', 'case-offered');
  await page.context().close();
});

test('the care professional accepts the offer and owns the case', async () => {
  const page = await h.signIn(browser, 'care_professional');
  await page.goto('/dashboard/care');
  const row = page.locator('[data-test="offer-row"]', { hasText: caseId });
  assert.equal(await row.count(), 1, 'the offer waits on the care professional\'s page');
  await h.screenshot(page, 'handoff-accept', 'care-inbox');
  await Promise.all([
    page.waitForURL(/\/dashboard\/case\?id=/),
    row.locator('form[data-test="accept-form"] button[type="submit"]').click(),
  ]);
  assert.match(await page.locator('[data-test="case-owner"]').innerText(), /care-01/);
  await h.screenshot(page, 'handoff-accept', 'case-accepted');
  await page.goto('/dashboard/care');
  assert.equal(await page.locator('[data-test="offer-row"]', { hasText: caseId }).count(), 0, 'no longer waiting');
  await page.context().close();

  // The coordinator no longer owns it: no offer form on the case page any more.
  const coordinator = await h.signIn(browser, 'coordinator');
  const response = await coordinator.goto(`/dashboard/case?id=${encodeURIComponent(caseId)}`);
  if (response.status() === 200) {
    assert.equal(await coordinator.locator('form[data-test="offer-form"]').count(), 0);
  }
  await coordinator.context().close();
});
