// Makes the scratch configuration folder one e2e run serves from: a copy of the repo's
// config/ whose hearth.ini is set to demo mode, with an API key and an HS256 secret for the
// token tests and the dashboards' frame_ancestors set to the allowed test page's origin.
//
// Usage: node prepare-config.js SOURCE_CONFIG_DIR SCRATCH_DIR ALLOWED_ORIGIN [KEY_USER]
//   KEY_USER  the consultant the API key acts as (default consultant-01)
// Prints one JSON object on stdout: {"config_dir", "api_key", "jwt_secret", "jwt_issuer"}.
// Early-warning flags are raised for the whole demo history (see below).
// The key and the secret are random per run; only the key's SHA-256 goes into the file.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { setIniValues } = require('./ini');
const { DEMO_USERS } = require('./demo-users');

function main() {
  const [sourceDir, scratchDir, allowedOrigin, keyUser = 'consultant-01'] = process.argv.slice(2);
  if (!sourceDir || !scratchDir || !allowedOrigin) {
    throw new Error('usage: prepare-config.js SOURCE_CONFIG_DIR SCRATCH_DIR ALLOWED_ORIGIN');
  }
  const configDir = path.join(scratchDir, 'config');
  fs.cpSync(sourceDir, configDir, { recursive: true });

  const apiKey = crypto.randomBytes(24).toString('hex');
  const apiKeyDigest = crypto.createHash('sha256').update(apiKey).digest('hex');
  const jwtSecret = crypto.randomBytes(32).toString('hex');
  const jwtIssuer = 'crm-e2e';

  const iniPath = path.join(configDir, 'hearth.ini');
  const text = fs.readFileSync(iniPath, 'utf8');
  fs.writeFileSync(iniPath, setIniValues(text, {
    runtime: { mode: 'demo', data_dir: path.join(scratchDir, 'hearth-data') },
    // info: every request's log lines reach the privacy log scan (HEARTH_LOG_FILE).
    log: { level: 'info' },
    // `serve --port 0` falls back to [http] port; 0 here picks a free one.
    http: { address: '127.0.0.1', port: 0 },
    auth: {
      keys: 'e2e',
      'jwt.algorithm': 'HS256',
      'jwt.hs256_secret': jwtSecret,
      'jwt.issuer': jwtIssuer,
    },
    // The key of a CRM back-end that shows the risk badge on consultant-01's screens: the
    // system role may not read flags, so the key acts as that consultant.
    'auth.key.e2e': {
      sha256: apiKeyDigest,
      user: keyUser,
      role: 'housing_consultant',
      organisation: 'corp:demo',
      access_point: 'api-key:crm-e2e',
    },
    // The demo histories end on 2025-12-31; flags are only raised for signals younger than
    // flag_max_age_days, so the longest allowed age gives the consultant flags to decide.
    'plugin.nl.hearth.early-warning': { flag_max_age_days: 3650 },
    'plugin.nl.hearth.dashboards': {
      demo_sign_in: 'on',
      frame_ancestors: allowedOrigin,
      ...Object.fromEntries(Object.entries(DEMO_USERS)
        .map(([role, user]) => [`demo_${role}`, `${user.sub} ${user.org}`])),
    },
  }));
  process.stdout.write(JSON.stringify({
    config_dir: configDir, api_key: apiKey, jwt_secret: jwtSecret, jwt_issuer: jwtIssuer,
  }) + '\n');
}

main();
