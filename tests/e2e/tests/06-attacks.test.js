// Attacks, each of which must fail: a form posted from a foreign page without the
// anti-forgery token; a neighbour's token asking for a care record (it must look exactly
// like a missing one); stored scripts in what stands for the tenant on the pages (their
// plan in their own words and its actions); and tokens that must not give a session. The
// CRM's own token exchange does give one.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../support/harness');

const HANDOFF = 'nl.hearth.coordinator-handoff';
const PAYLOAD = '<script>window.__pwned = "script"</script><img src="x" onerror="window.__pwned = \'img\'">' +
  '<iframe srcdoc="<script>parent.__pwned = 1</script>"></iframe>';

let browser;
let careCaseId;
let tenantCaseId;

function forgeUrl(origin, action, fields) {
  const query = new URLSearchParams({ action: `${h.settings().url}${action}`, ...fields });
  return `${origin}/forge.html?${query}`;
}

before(async () => {
  browser = await h.launchBrowser();
  const coordinator = h.personaToken('coordinator');
  // A case with care data allowed (a care basis recorded): the "care record".
  const care = await h.callOperation(HANDOFF, 'case.open', {
    tenancy_id: 'tenancy-000004', legal_basis: 'avg-6-1-e', care_basis: 'avg-9-2-h',
    reason: 'e2e: care record',
  }, coordinator);
  assert.equal(care.status, 200, JSON.stringify(care.body));
  careCaseId = care.body.case_id;

  // The tenant's own case, whose plan (in the tenant's words) and its action carry the payload.
  const own = await h.callOperation(HANDOFF, 'case.open', {
    tenancy_id: 'tenancy-000001', legal_basis: 'consent', reason: 'e2e: the tenant asked for help',
  }, coordinator);
  assert.equal(own.status, 200, JSON.stringify(own.body));
  tenantCaseId = own.body.case_id;
  const plan = await h.callOperation(HANDOFF, 'plan.update', {
    case_id: tenantCaseId, what_do_you_need: `Rust in huis ${PAYLOAD}`, what_can_you_offer: `Ik kook graag ${PAYLOAD}`,
    in_words_of: 'tenant',
  }, coordinator);
  assert.equal(plan.status, 200, JSON.stringify(plan.body));
  const due = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
  const action = await h.callOperation(HANDOFF, 'plan.add_action', {
    case_id: tenantCaseId, description: `Bel de huisarts ${PAYLOAD}`,
    owner_user: h.DEMO_USERS.coordinator.sub, owner_organisation: h.DEMO_USERS.coordinator.org, due_date: due,
  }, coordinator);
  assert.equal(action.status, 200, JSON.stringify(action.body));
});
after(async () => { await browser?.close(); });

test('a form posted from a foreign page without the anti-forgery token is refused and changes nothing', async () => {
  const page = await h.signIn(browser, 'housing_consultant');
  await page.goto('/dashboard/consultant');
  const flagId = await page.locator('[data-test="flag-row"]').first().getAttribute('data-flag');
  assert.ok(flagId);

  const hearthAnswer = page.waitForResponse((r) => r.url().endsWith('/dashboard/consultant/decide'));
  await page.goto(forgeUrl(h.settings().foreignOrigin, '/dashboard/consultant/decide',
    { flag_id: flagId, decision: 'dismiss', reason: 'forged' }));
  const response = await hearthAnswer;
  assert.equal(response.status(), 403, 'the forged post is refused');
  await page.waitForLoadState();
  await h.screenshot(page, 'attack-forged-post', 'refused');

  await page.goto(`/dashboard/consultant/flag?id=${encodeURIComponent(flagId)}`);
  assert.equal(await page.locator('[data-test="decision-form"]').count(), 1, 'the flag is still undecided');
  assert.equal(await page.locator('[data-test="decision"]').count(), 0);

  // The same post with a wrong token: refused as well.
  const wrongToken = await page.evaluate(async ({ flagId }) => {
    const body = new URLSearchParams({ csrf: 'a'.repeat(64), flag_id: flagId, decision: 'dismiss', reason: 'x' });
    return (await fetch('/dashboard/consultant/decide', { method: 'POST', body, redirect: 'manual' })).status;
  }, { flagId });
  assert.equal(wrongToken, 403);
  await page.context().close();
});

test('a forged demo sign-in from a foreign page is refused (no session is planted)', async () => {
  const page = await h.newPage(browser);
  const hearthAnswer = page.waitForResponse((r) => r.url().endsWith('/dashboard/sign-in'));
  await page.goto(forgeUrl(h.settings().foreignOrigin, '/dashboard/sign-in', { persona: 'administrator' }));
  assert.equal((await hearthAnswer).status(), 403);
  const cookies = await page.context().cookies(h.settings().url);
  assert.equal(cookies.filter((c) => c.name === 'hearth_session').length, 0);
  await page.context().close();
});

test('a neighbour asking for a care record gets exactly the answer for a missing record', async () => {
  // Through the pages, signed in with the neighbour's token as a CRM would.
  const page = await h.newPage(browser);
  await page.goto(forgeUrl(h.settings().allowedOrigin, '/dashboard/session',
    { token: h.personaToken('neighbour'), next: '/dashboard/neighbour' }));
  await page.waitForURL((url) => url.pathname === '/dashboard/neighbour');
  const real = await page.goto(`/dashboard/case?id=${encodeURIComponent(careCaseId)}`);
  const realText = await h.mainText(page);
  await h.screenshot(page, 'attack-neighbour-care-record', 'real-case');
  const missing = await page.goto('/dashboard/case?id=case-does-not-exist');
  const missingText = await h.mainText(page);
  assert.equal(real.status(), 404);
  assert.equal(missing.status(), 404);
  assert.equal(realText, missingText);
  assert.doesNotMatch(realText, /tenancy-000004|care-01|avg-9-2-h/);
  await page.context().close();

  // Through the API with the same token: the same answer for both.
  const neighbour = h.personaToken('neighbour');
  const apiReal = await h.callOperation(HANDOFF, 'case.get', { case_id: careCaseId }, neighbour);
  const apiMissing = await h.callOperation(HANDOFF, 'case.get', { case_id: 'case-does-not-exist' }, neighbour);
  assert.notEqual(apiReal.status, 200);
  assert.equal(apiReal.status, apiMissing.status);
  assert.deepEqual(apiReal.body, apiMissing.body);

  // A tenant asking for somebody else's case: also the missing-record answer.
  const tenant = h.personaToken('tenant');
  const other = await h.callOperation(HANDOFF, 'case.get', { case_id: careCaseId }, tenant);
  const none = await h.callOperation(HANDOFF, 'case.get', { case_id: 'case-does-not-exist' }, tenant);
  assert.equal(other.status, none.status);
  assert.deepEqual(other.body, none.body);
});

test('scripts stored in the tenant\'s own words and plan render as text, for the tenant and the coordinator', async () => {
  for (const [persona, path] of [['tenant', '/dashboard/tenant'],
    ['coordinator', `/dashboard/case?id=${encodeURIComponent(tenantCaseId)}`]]) {
    const page = await h.signIn(browser, persona);
    const response = await page.goto(path);
    assert.equal(response.status(), 200, `${persona}: ${path}`);
    const text = await h.mainText(page);
    assert.ok(text.includes('Rust in huis <script>window.__pwned = "script"</script>'),
      `${persona} reads the plan literally`);
    assert.ok(text.includes('Bel de huisarts <script>'), `${persona} reads the plan's action literally`);
    assert.equal(await page.locator('main script, main img, main iframe').count(), 0, 'no element was made');
    await page.waitForTimeout(200); // an onerror handler would have run by now
    await h.assertNoScriptRan(page);
    await h.screenshot(page, `attack-stored-script-${persona}`, path.includes('case') ? 'case' : 'tenant');
    await page.context().close();
  }
});

test('the CRM\'s token exchange gives a session; bad, expired, system and API-key credentials do not', async () => {
  // A CRM page of the allowed origin posts the consultant's token: signed in.
  const page = await h.newPage(browser);
  await page.goto(forgeUrl(h.settings().allowedOrigin, '/dashboard/session',
    { token: h.personaToken('housing_consultant'), next: '/dashboard/consultant' }));
  await page.waitForURL((url) => url.pathname === '/dashboard/consultant');
  assert.match(await page.locator('[data-test="who"]').innerText(), /consultant-01/);
  const cookie = (await page.context().cookies(h.settings().url)).find((c) => c.name === 'hearth_session');
  assert.ok(cookie, 'a session cookie');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Strict');
  await h.screenshot(page, 'token-exchange', 'consultant');
  await page.context().close();

  const exchange = (fields) => h.hearthFetch('/dashboard/session', {
    method: 'POST', body: new URLSearchParams(fields),
  });
  const good = await exchange({ token: h.personaToken('tenant'), next: 'https://evil.example/' });
  assert.equal(good.status, 303);
  assert.equal(good.headers.get('location'), '/dashboard/tenant', 'never redirected off the dashboards');
  assert.match(good.headers.get('set-cookie'), /^hearth_session=[0-9a-f]{64};.*HttpOnly/i);

  const token = h.personaToken('housing_consultant');
  const tampered = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  const now = Math.floor(Date.now() / 1000);
  const refusals = {
    tampered: await exchange({ token: tampered }),
    'wrong secret': await exchange({ token: h.signToken({ sub: 'consultant-01', org: 'corp:demo', role: 'housing_consultant' }, 'x'.repeat(64)) }),
    expired: await exchange({ token: h.personaToken('housing_consultant', { iat: now - 600, exp: now - 120 }) }),
    'system role': await exchange({ token: h.signToken({ sub: 'crm', org: 'corp:demo', role: 'system' }) }),
    'API key': await exchange({ token: h.settings().apiKey }),
    missing: await exchange({}),
  };
  for (const [what, response] of Object.entries(refusals)) {
    assert.ok([400, 401, 403].includes(response.status), `${what}: refused (${response.status})`);
    assert.equal(response.headers.get('set-cookie'), null, `${what}: no session cookie`);
  }
});
