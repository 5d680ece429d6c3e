// The risk badge inside a CRM's screen: it renders in a page of an origin listed in
// frame_ancestors and is refused in a page of any other origin; its JSON variant answers a
// CRM back-end with the API key; a tenancy the caller may not see looks like a missing one.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../support/harness');

let browser;
let flaggedTenancy;
before(async () => {
  browser = await h.launchBrowser();
  const answer = await h.callOperation('nl.hearth.early-warning', 'flags.portfolio',
    { status: 'any', min_level: 'amber' }, h.personaToken('housing_consultant'));
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  assert.ok(answer.body.flags.length > 0, 'consultant-01 has flagged tenancies');
  flaggedTenancy = answer.body.flags[0].tenancy_id;
});
after(async () => { await browser?.close(); });

function embedUrl(origin, tenancy) {
  const badge = `${h.settings().url}/widgets/risk-badge?tenancy=${encodeURIComponent(tenancy)}`;
  return `${origin}/embed.html?src=${encodeURIComponent(badge)}`;
}

function badgeFrame(page) {
  return page.frames().find((frame) => frame !== page.mainFrame());
}

test('the badge renders inside a page of an allowed origin', async () => {
  const page = await h.signIn(browser, 'housing_consultant');
  await page.goto(embedUrl(h.settings().allowedOrigin, flaggedTenancy));
  const frame = page.frameLocator('#embedded');
  const badge = frame.locator('[data-test="risk-badge"]');
  await badge.waitFor({ state: 'visible', timeout: 10_000 });
  assert.match(await badge.getAttribute('data-level'), /^(red|amber)$/);
  assert.ok((await frame.locator('[data-test="badge-reason"]').innerText()).trim().length > 0, 'a one-line reason');
  assert.match(await frame.locator('[data-test="badge-link"]').getAttribute('href'),
    /^\/dashboard\/consultant\/flag\?id=/);
  await h.screenshot(page, 'badge-allowed-origin', 'crm-page');
  await page.context().close();
});

test('the badge refuses to render inside a page of a foreign origin', async () => {
  const page = await h.signIn(browser, 'housing_consultant');
  const refusedByCsp = page.waitForEvent('console', {
    predicate: (message) => /frame-ancestors/.test(message.text()), timeout: 10_000,
  }).then(() => true, () => false);
  const badgeResponse = page.waitForResponse((r) => r.url().includes('/widgets/risk-badge'));
  await page.goto(embedUrl(h.settings().foreignOrigin, flaggedTenancy));
  const response = await badgeResponse;
  assert.match(response.headers()['content-security-policy'],
    new RegExp(`frame-ancestors ${h.settings().allowedOrigin}(;|$)`));
  assert.ok(await refusedByCsp, 'chromium reports the frame-ancestors violation');
  const frame = badgeFrame(page);
  const badges = frame ? await frame.locator('[data-test="risk-badge"]').count().catch(() => 0) : 0;
  assert.equal(badges, 0, `no badge rendered in the foreign page (frame at ${frame?.url()})`);
  await h.screenshot(page, 'badge-foreign-origin', 'crm-page');
  await page.context().close();
});

test('the JSON badge answers a CRM back-end with the API key', async () => {
  const response = await h.hearthFetch(`/widgets/risk-badge.json?tenancy=${encodeURIComponent(flaggedTenancy)}`,
    { headers: { 'X-API-KEY': h.settings().apiKey } });
  const body = await response.json();
  assert.equal(response.status, 200, JSON.stringify(body));
  assert.equal(body.tenancy_id, flaggedTenancy);
  assert.match(body.level, /^(red|amber)$/);
  assert.match(body.href, /^\/dashboard\/consultant\/flag\?id=/);
});

test('the badge without credentials is refused; a forbidden tenancy looks like a missing one', async () => {
  const anonymous = await h.hearthFetch(`/widgets/risk-badge?tenancy=${encodeURIComponent(flaggedTenancy)}`);
  assert.equal(anonymous.status, 401);
  const bad = await h.hearthFetch(`/widgets/risk-badge?tenancy=${encodeURIComponent(flaggedTenancy)}`,
    { headers: { 'X-API-KEY': 'not-the-key' } });
  assert.equal(bad.status, 401);

  // The tenant of tenancy-000001 asks for a flagged tenancy that is not theirs, and for
  // one that does not exist: the same answer, byte for byte.
  const tenant = { headers: { Authorization: `Bearer ${h.personaToken('tenant')}` } };
  const other = flaggedTenancy === 'tenancy-000001' ? 'tenancy-000002' : flaggedTenancy;
  const forbidden = await h.hearthFetch(`/widgets/risk-badge?tenancy=${encodeURIComponent(other)}`, tenant);
  const missing = await h.hearthFetch('/widgets/risk-badge?tenancy=tenancy-999999', tenant);
  assert.equal(forbidden.status, 404);
  assert.equal(missing.status, 404);
  assert.equal(await forbidden.text(), await missing.text());
});
