// Every persona signs in on the demo sign-in page, lands on its own start page, sees its
// own views (a screenshot of each) and gets the same "not found" page for another
// persona's views as for a page that does not exist.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../support/harness');

// The start page of each persona, what none of its views may show (another tenant's
// tenancy; for a neighbour anything about the tenant or the professionals) and views of
// other personas it must never reach.
const PERSONA_PAGES = {
  tenant: { start: '/dashboard/tenant', mustNotShow: /tenancy-(?!000001)\d{6}|tenant-(?!000001)\d{6}/, forbidden: ['/dashboard/consultant', '/dashboard/care', '/dashboard/admin', '/dashboard/auditor', '/dashboard/neighbour'] },
  neighbour: { start: '/dashboard/neighbour', mustNotShow: /tenancy-\d{6}|consultant-\d{2}|care-01|coordinator-01/, forbidden: ['/dashboard/tenant', '/dashboard/consultant', '/dashboard/care', '/dashboard/coordinator', '/dashboard/admin'] },
  housing_consultant: { start: '/dashboard/consultant', forbidden: ['/dashboard/care', '/dashboard/admin', '/dashboard/auditor', '/dashboard/tenant'] },
  care_professional: { start: '/dashboard/care', forbidden: ['/dashboard/consultant', '/dashboard/admin', '/dashboard/auditor', '/dashboard/neighbour'] },
  coordinator: { start: '/dashboard/coordinator', forbidden: ['/dashboard/consultant', '/dashboard/admin', '/dashboard/auditor', '/dashboard/tenant'] },
  auditor: { start: '/dashboard/auditor', forbidden: ['/dashboard/consultant', '/dashboard/care', '/dashboard/admin', '/dashboard/tenant'] },
  administrator: { start: '/dashboard/admin', forbidden: ['/dashboard/consultant', '/dashboard/care', '/dashboard/auditor', '/dashboard/tenant'] },
};

let browser;
before(async () => { browser = await h.launchBrowser(); });
after(async () => { await browser?.close(); });

test('without a session /dashboard leads to the sign-in page, which offers every persona', async () => {
  const page = await h.newPage(browser);
  await page.goto('/dashboard');
  assert.match(new URL(page.url()).pathname, /\/dashboard\/sign-in$/);
  for (const persona of h.PERSONAS) {
    assert.equal(await page.locator(`button[name="persona"][value="${persona}"]`).count(), 1,
      `one sign-in button for ${persona}`);
  }
  assert.equal(await page.locator('h1').count(), 1, 'one <h1>');
  await h.screenshot(page, 'personas', 'sign-in');
  await page.context().close();
});

for (const [persona, pages] of Object.entries(PERSONA_PAGES)) {
  test(`${persona} signs in, sees its own views and none of the others'`, async () => {
    const page = await h.signIn(browser, persona);
    assert.equal(new URL(page.url()).pathname, pages.start, `${persona} lands on its start page`);
    assert.equal(await page.locator('h1').count(), 1, 'one <h1> on the start page');
    assert.ok(await page.locator('nav').count() >= 1, 'the start page has a <nav>');
    await h.screenshot(page, `personas-${persona}`, 'start');

    // Every view in the persona's navigation opens, with one <h1>, and gets a screenshot.
    const links = await page.locator('nav a[href^="/dashboard"]').evaluateAll(
      (anchors) => anchors.map((a) => a.getAttribute('href')));
    const views = [...new Set(links)].filter((href) => !href.includes('sign-'));
    assert.ok(views.includes(pages.start), `the <nav> of ${persona} links its start page`);
    for (const href of views) {
      const response = await page.goto(href);
      assert.equal(response.status(), 200, `${persona}: ${href} answers 200`);
      await h.assertAccessibleBasics(page, `${persona}: ${href}`);
      h.assertSecurityHeaders(response, `${persona}: ${href}`);
      if (pages.mustNotShow) {
        assert.doesNotMatch(await h.mainText(page), pages.mustNotShow, `${persona}: ${href} shows only their own`);
      }
      await h.screenshot(page, `personas-${persona}`, href.replace(/^\/dashboard\/?/, '') || 'dashboard');
    }

    // Another persona's view is answered exactly like a page that does not exist.
    const missing = await page.goto('/dashboard/no-such-page');
    assert.equal(missing.status(), 404);
    const missingText = await h.mainText(page);
    for (const href of pages.forbidden) {
      const response = await page.goto(href);
      assert.equal(response.status(), 404, `${persona} may not open ${href}`);
      assert.equal(await h.mainText(page), missingText, `${href} looks like a missing page to ${persona}`);
    }
    await h.assertNoScriptRan(page);
    await page.context().close();
  });
}

test('signing out ends the session: the start page then asks to sign in again', async () => {
  const page = await h.signIn(browser, 'tenant');
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith('/dashboard/tenant')),
    page.locator('form[action="/dashboard/sign-out"] button').click(),
  ]);
  const response = await page.goto('/dashboard/tenant');
  const onSignIn = new URL(page.url()).pathname === '/dashboard/sign-in';
  assert.ok(onSignIn || response.status() >= 400,
    `after sign-out /dashboard/tenant shows no tenant page (${response.status()} ${page.url()})`);
  assert.equal(await page.locator('nav a[href="/dashboard/tenant"]').count(), 0);
  await page.context().close();
});

test('the language switch makes the pages English and back', async () => {
  const page = await h.signIn(browser, 'tenant');
  assert.equal(await page.locator('html').getAttribute('lang'), 'nl', 'Dutch by default');
  await Promise.all([page.waitForURL('**/dashboard/tenant'), page.locator('[data-test="lang-switch"]').click()]);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal((await page.locator('[data-test="sign-out"]').innerText()).trim(), 'Sign out');
  await h.screenshot(page, 'language-switch', 'tenant-en');
  await Promise.all([page.waitForURL('**/dashboard/tenant'), page.locator('[data-test="lang-switch"]').click()]);
  assert.equal(await page.locator('html').getAttribute('lang'), 'nl');
  assert.equal((await page.locator('[data-test="sign-out"]').innerText()).trim(), 'Afmelden');
  await page.context().close();
});
