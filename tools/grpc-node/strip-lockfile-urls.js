#!/usr/bin/env node
// npm copies each package's "funding" links (web addresses) into package-lock.json; .npmrc already keeps
// the registry's "resolved" addresses out. Run after any `npm install` that rewrites the lockfile:
//   npm install && npm run lockfile:strip-urls
// The lockfile is DIR/package-lock.json for `node strip-lockfile-urls.js [DIR]`, DIR defaulting to this folder
// (tools/verify-node uses this script too).
'use strict';
const fs = require('fs');
const path = require('path');
const file = path.join(path.resolve(process.argv[2] || __dirname), 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
let removed = 0;
for (const entry of Object.values(lock.packages || {})) {
  for (const key of ['funding', 'resolved']) {
    if (key in entry) { delete entry[key]; removed++; }
  }
}
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
const left = fs.readFileSync(file, 'utf8').match(/[a-z]+:\/\/\S*/gi) || [];
console.log(`strip-lockfile-urls: removed ${removed} field(s); addresses left: ${left.length}`);
process.exit(left.length === 0 ? 0 : 1);
