#!/usr/bin/env node
// Verifies Ed25519 (RFC 8032) and BIP-340 Schnorr signatures with @noble/curves, sharing no code with KeyFed.
//
//   node verify.js [FILE]          FILE (or standard input): JSON lines, or one JSON array, of
//                                  {"scheme":"ed25519"|"bip340","key":HEX,"message":HEX,"signature":HEX,"id":ANY}
//
// Prints one JSON line per item, {"index":I,"id":ID,"scheme":S,"valid":true|false[,"error":WHY]}, then a summary
// on standard error. Exit status: 0 every item verifies, 1 at least one does not (or is malformed), 2 usage or
// unreadable input, or no item at all (a run that checked nothing is not a success).
'use strict';
const { main } = require('./items');
const { ed25519 } = require('@noble/curves/ed25519');
const { schnorr } = require('@noble/curves/secp256k1');

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

function bytes(item, field, allowEmpty) {
  const v = item[field];
  if (typeof v !== 'string' || !HEX.test(v)) {
    throw new Error(`${field} is not a hex string`);
  }
  if (v.length === 0 && !allowEmpty) {
    throw new Error(`${field} is empty`);
  }
  return Uint8Array.from(Buffer.from(v, 'hex'));
}

// One item: true if its signature verifies under its key over its message; throws for a malformed item.
function verify(item) {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    throw new Error('item is not a JSON object');
  }
  const key = bytes(item, 'key', false);
  const message = bytes(item, 'message', true);
  const signature = bytes(item, 'signature', false);
  switch (item.scheme) {
    case 'ed25519':
      if (key.length !== 32) throw new Error(`ed25519 key must be 32 bytes, not ${key.length}`);
      if (signature.length !== 64) throw new Error(`ed25519 signature must be 64 bytes, not ${signature.length}`);
      // zip215: false is RFC 8032's strict decoding (canonical encodings only).
      return ed25519.verify(signature, message, key, { zip215: false });
    case 'bip340':
      if (key.length !== 32) throw new Error(`bip340 key must be 32 bytes (x-only), not ${key.length}`);
      if (signature.length !== 64) throw new Error(`bip340 signature must be 64 bytes, not ${signature.length}`);
      return schnorr.verify(signature, message, key);
    default:
      throw new Error(`unknown scheme ${JSON.stringify(item.scheme)} (ed25519 or bip340)`);
  }
}

process.exitCode = main(process.argv.slice(2), {
  name: 'verify',
  usage: 'node verify.js [FILE]',
  nothing: 'no items to verify',
  passed: 'verify',
  fields: (item) => ({ scheme: item ? item.scheme : null }),
  check: (item) => (verify(item) === true ? null : 'signature does not verify'),
});
