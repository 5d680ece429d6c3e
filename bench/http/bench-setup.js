// Prepares the risk-badge benchmark against a running `hearth serve` (run-badge-bench.sh):
// finds a real flagged tenancy in the consultant's portfolio, saves the badge's response
// (body and headers) for the peer server to send, signs the consultant in through the CRM
// token exchange for the consultant view's session cookie, and counts the flags that view
// shows. Prints one JSON object on stdout.
//
// Usage: node bench-setup.js HEARTH_URL SETTINGS_JSON OUT_DIR CONSULTANT
//   SETTINGS_JSON  what tests/e2e/support/prepare-config.js printed (api_key, jwt_secret, jwt_issuer)
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

// A JWT signed with the configured HS256 secret, as a CRM back-end issues it.
function signToken(settings, claims) {
  const now = Math.floor(Date.now() / 1000);
  const payload = { iss: settings.jwt_issuer, aud: 'hearth', iat: now, exp: now + 600, ...claims };
  const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
  return `${unsigned}.${crypto.createHmac('sha256', settings.jwt_secret).update(unsigned).digest('base64url')}`;
}

// Headers the peer must not copy: those that describe the connection or the length.
const CONNECTION_HEADERS = new Set(['content-length', 'connection', 'keep-alive', 'date', 'transfer-encoding',
  'set-cookie']);

async function main() {
  const [url, settingsJson, outDir, consultant] = process.argv.slice(2);
  const settings = JSON.parse(settingsJson);
  const token = signToken(settings, { sub: consultant, org: 'corp:demo', role: 'housing_consultant' });

  const portfolio = await fetch(`${url}/api/v1/nl.hearth.early-warning/flags.portfolio`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ status: 'any', min_level: 'green', limit: 1000 }),
  });
  const flags = (await portfolio.json()).flags;
  if (portfolio.status !== 200 || !flags || flags.length === 0) {
    throw new Error(`${consultant} has no flags (flags.portfolio answered ${portfolio.status})`);
  }
  const tenancy = (flags.find((f) => f.level === 'red') || flags[0]).tenancy_id;

  const badgePath = `/widgets/risk-badge?tenancy=${encodeURIComponent(tenancy)}`;
  const badge = await fetch(`${url}${badgePath}`, { headers: { 'X-API-KEY': settings.api_key } });
  const body = Buffer.from(await badge.arrayBuffer());
  if (badge.status !== 200 || !body.includes('data-test="risk-badge"')) {
    throw new Error(`the badge answered ${badge.status}: ${body.toString().slice(0, 200)}`);
  }
  const headers = [...badge.headers.entries()].filter(([name]) => !CONNECTION_HEADERS.has(name))
    .map(([name, value]) => `${name}: ${value}`).join('\n') + '\n';
  fs.writeFileSync(path.join(outDir, 'badge.body'), body);
  fs.writeFileSync(path.join(outDir, 'badge.headers'), headers);

  const session = await fetch(`${url}/dashboard/session`, {
    method: 'POST', redirect: 'manual', body: new URLSearchParams({ token, next: '/dashboard/consultant' }),
  });
  const cookie = (session.headers.get('set-cookie') || '').split(';')[0];
  if (session.status !== 303 || !cookie.startsWith('hearth_session=')) {
    throw new Error(`the token exchange answered ${session.status} without a session`);
  }
  const viewPath = '/dashboard/consultant?status=any&min_level=green';
  const view = await fetch(`${url}${viewPath}`, { headers: { Cookie: cookie } });
  const html = await view.text();
  const rows = html.split('data-test="flag-row"').length - 1;
  if (view.status !== 200) throw new Error(`the consultant view answered ${view.status}`);

  process.stdout.write(JSON.stringify({
    tenancy, badge_path: badgePath, badge_bytes: body.length, badge_header_bytes: headers.length,
    cookie, view_path: viewPath, view_rows: rows, view_bytes: Buffer.byteLength(html),
  }) + '\n');
}

main().catch((error) => { console.error(`bench-setup: ${error.message}`); process.exit(1); });
