// The demo users the browser tests sign in as, one per persona. run-e2e.sh pins them in
// the dashboards' settings (demo_<role> = <user> <organisation>), so that the tests do not
// depend on the plugin's defaults; all are users of the demo neighbourhood `hearth serve`
// seeds (200 tenancies, seed 1): tenant-000001 lives in tenancy-000001, tenant-000002 is
// their neighbour, consultant-01 holds the first portfolio.
'use strict';

const DEMO_USERS = {
  tenant: { sub: 'tenant-000001', org: 'corp:demo' },
  neighbour: { sub: 'tenant-000002', org: 'corp:demo' },
  housing_consultant: { sub: 'consultant-01', org: 'corp:demo' },
  care_professional: { sub: 'care-01', org: 'care:demo' },
  coordinator: { sub: 'coordinator-01', org: 'gemeente:demo' },
  auditor: { sub: 'auditor-01', org: 'corp:demo' },
  administrator: { sub: 'admin-01', org: 'corp:demo' },
};

module.exports = { DEMO_USERS };
