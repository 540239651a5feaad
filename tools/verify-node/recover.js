#!/usr/bin/env node
// Checks secp256k1 ECDSA signatures the way Ethereum does, with ethers v6, sharing no code with KeyFed: the
// signature must recover, over its 32-byte digest and with its recovery id, to the expected EVM address and/or
// compressed public key, and s must be low (EIP-2).
//
//   node recover.js [FILE]         FILE (or standard input): JSON lines, or one JSON array, of
//                                  {"digest":HEX32,"r":HEX32,"s":HEX32,"recovery_id":0|1,
//                                   "address":"0x..." and/or "key":HEX33,"id":ANY}
//
// Prints one JSON line per item, {"index":I,"id":ID,"valid":true|false,"recovered_address":A[,"error":WHY]},
// then a summary on standard error. Exit status: 0 every item checks out, 1 at least one does not (or is
// malformed), 2 usage or unreadable input, or no item at all (a run that checked nothing is not a success).
'use strict';
const { main } = require('./items');
const { ethers } = require('ethers');

// secp256k1's group order n, and n/2 rounded down: s above it is the malleated twin (EIP-2 rejects it).
const N = BigInt('0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141');
const HALF_N = N >> 1n;

function hex(item, field, length) {
  const v = item[field];
  if (typeof v !== 'string' || !/^(?:0x)?[0-9a-fA-F]*$/.test(v)) {
    throw new Error(`${field} is not a hex string`);
  }
  const digits = v.replace(/^0x/, '');
  if (digits.length !== 2 * length) {
    throw new Error(`${field} must be ${length} bytes, not ${digits.length / 2}`);
  }
  return '0x' + digits.toLowerCase();
}

// One item: null when it checks out, else why not; throws for a malformed item. Sets out.recovered_address.
function check(item, out) {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    throw new Error('item is not a JSON object');
  }
  const digest = hex(item, 'digest', 32);
  const r = hex(item, 'r', 32);
  const s = hex(item, 's', 32);
  const id = item.recovery_id;
  if (id !== 0 && id !== 1) {
    // Ids 2 and 3 (x(R) >= n, probability about 2^-128) have no Ethereum encoding.
    throw new Error(`recovery_id must be 0 or 1, not ${JSON.stringify(id)}`);
  }
  if (item.address === undefined && item.key === undefined) {
    throw new Error('give the expected address, key, or both');
  }
  const address = item.address === undefined ? null : ethers.getAddress(item.address); // checks an EIP-55 checksum
  const key = item.key === undefined ? null : hex(item, 'key', 33);
  const sv = BigInt(s);
  const rv = BigInt(r);
  if (rv === 0n || rv >= N || sv === 0n || sv >= N) {
    throw new Error('r and s must be in 1..n-1');
  }
  if (sv > HALF_N) {
    return 's is high (above n/2)'; // ethers' Signature.from refuses it too ("non-canonical s")
  }
  const sig = ethers.Signature.from({ r, s, v: 27 + id });
  const uncompressed = ethers.SigningKey.recoverPublicKey(digest, sig);
  const recovered = ethers.recoverAddress(digest, sig);
  out.recovered_address = recovered;
  if (ethers.computeAddress(uncompressed) !== recovered) {
    return 'recoverAddress and computeAddress(recoverPublicKey) disagree';
  }
  if (address !== null && recovered !== address) {
    return `recovers to ${recovered}, not ${address}`;
  }
  if (key !== null && ethers.SigningKey.computePublicKey(uncompressed, true) !== key) {
    return `recovers to key ${ethers.SigningKey.computePublicKey(uncompressed, true).slice(2)}, not ${key.slice(2)}`;
  }
  return null;
}

process.exitCode = main(process.argv.slice(2), {
  name: 'recover',
  usage: 'node recover.js [FILE]',
  nothing: 'no items to check',
  passed: 'check out',
  fields: () => ({}),
  check,
});
