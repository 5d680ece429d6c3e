// Two tiny "CRM" origins on loopback for the embedding and forgery tests: the same pages
// served on two ports, so that http://127.0.0.1:<allowed> is listed in the dashboards'
// frame_ancestors and http://127.0.0.1:<foreign> is not.
//
//   GET /embed.html?src=URL    a page that frames URL (the risk badge) in <iframe id="embedded">
//   GET /forge.html?action=URL&name=value...
//                              a page whose script posts a form with the given fields to
//                              URL at once (a cross-site request forgery, no CSRF token)
//
// Usage: node pages-server.js — prints {"allowed": PORT, "foreign": PORT} as one line on
// stdout once both listen, and serves until SIGTERM or SIGINT.
'use strict';
const http = require('node:http');

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}` +
    `</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

function handle(request, response) {
  const url = new URL(request.url, 'http://127.0.0.1');
  let html;
  if (url.pathname === '/embed.html') {
    const src = url.searchParams.get('src') || '';
    html = page('CRM tenant card',
      `<p>Tenant card with the Hearth risk badge:</p>` +
      `<iframe id="embedded" title="Hearth risk badge" width="420" height="160" ` +
      `src="${escapeHtml(src)}"></iframe>`);
  } else if (url.pathname === '/forge.html') {
    const action = url.searchParams.get('action') || '';
    const fields = [...url.searchParams.entries()].filter(([name]) => name !== 'action')
      .map(([name, value]) =>
        `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`).join('');
    html = page('You won a prize',
      `<form id="forged" method="post" action="${escapeHtml(action)}">${fields}</form>` +
      `<script>document.getElementById('forged').submit();</script>`);
  } else {
    response.writeHead(404, { 'Content-Type': 'text/plain' });
    response.end('not found\n');
    return;
  }
  response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(html);
}

function listen() {
  return new Promise((resolve, reject) => {
    const server = http.createServer(handle);
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

async function main() {
  const allowed = await listen();
  const foreign = await listen();
  process.stdout.write(JSON.stringify({
    allowed: allowed.address().port, foreign: foreign.address().port,
  }) + '\n');
  const stop = () => { allowed.close(); foreign.close(); process.exit(0); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error) => { console.error(`pages-server: ${error.message}`); process.exit(1); });
