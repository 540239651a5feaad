#!/usr/bin/env node
// A generic gRPC client session against a KeyFed ledger, with no .proto files and no KeyFed code:
// every type comes from the server through gRPC server reflection.
//
//   node keyfed-grpc.js [--target HOST:PORT] services
//   node keyfed-grpc.js [--target HOST:PORT] get-key ID [--wallet-type WALLET_TYPE_EVM] [--prefix zen]...
//   node keyfed-grpc.js [--target HOST:PORT] watch KEYRING_ADDR [--events N] [--timeout SECONDS] [--cursor C]
//
// --target defaults to $KEYFED_GRPC_TARGET, else localhost:8080 (plain text; gRPC shares the HTTP port).
// Exit status: 0 success (a watch that ends by --events or --timeout is a success), 1 error,
// 2 usage, 4 the key does not exist (NOT_FOUND).
'use strict';

const grpc = require('@grpc/grpc-js');
const { GrpcReflection } = require('grpc-js-reflection-client');

const LEDGER_SERVICE = 'keyfed.ledger.v1.Ledger';
const LOADER_OPTIONS = { keepCase: true, longs: String, enums: String, defaults: false, oneofs: true };

function usage(message) {
  if (message) console.error(`keyfed-grpc: ${message}`);
  console.error('usage: keyfed-grpc.js [--target HOST:PORT] services | get-key ID [--wallet-type T] [--prefix P]...'
    + ' | watch KEYRING_ADDR [--events N] [--timeout SECONDS] [--cursor C]');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { target: process.env.KEYFED_GRPC_TARGET || 'localhost:8080', prefixes: [], positional: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case '--target': opts.target = value(); break;
      case '--events': opts.events = positiveInt(value(), a); break;
      case '--timeout': opts.timeout = positiveInt(value(), a); break;
      case '--cursor': opts.cursor = value(); break;
      case '--wallet-type': opts.walletType = value(); break;
      case '--prefix': opts.prefixes.push(value()); break;
      case '-h': case '--help': usage(); break;
      default:
        if (a.startsWith('--')) usage(`unknown option ${a}`);
        opts.positional.push(a);
    }
  }
  return opts;
}

function positiveInt(s, name) {
  if (!/^[0-9]+$/.test(s) || Number(s) <= 0) usage(`${name} must be a positive integer, got '${s}'`);
  return Number(s);
}

function deadline(seconds) {
  return new Date(Date.now() + seconds * 1000);
}

// The status message as sent: grpc-js decodes the wire's percent-encoding.
function details(err) {
  return err.details || '';
}

function statusName(code) {
  return Object.keys(grpc.status).find((k) => grpc.status[k] === code) || String(code);
}

// Resolves a service through reflection and returns a client stub for it.
async function serviceClient(target, symbol) {
  const reflection = new GrpcReflection(target, grpc.credentials.createInsecure());
  const descriptor = await reflection.getDescriptorBySymbol(symbol, { deadline: deadline(10) });
  const pkg = descriptor.getPackageObject(LOADER_OPTIONS);
  const Ctor = symbol.split('.').reduce((o, part) => (o ? o[part] : undefined), pkg);
  if (typeof Ctor !== 'function') throw new Error(`reflection did not describe service ${symbol}`);
  return new Ctor(target, grpc.credentials.createInsecure());
}

async function services(opts) {
  const reflection = new GrpcReflection(opts.target, grpc.credentials.createInsecure());
  const names = await reflection.listServices(undefined, { deadline: deadline(10) });
  for (const name of names.sort()) {
    console.log(name);
    if (name.startsWith('keyfed.')) {
      const methods = await reflection.listMethods(name, { deadline: deadline(10) });
      for (const m of methods) console.log(`  ${m.name}`);
    }
  }
}

async function getKey(opts) {
  const id = opts.positional[1];
  if (!id || !/^[0-9]+$/.test(id)) usage('get-key needs a numeric key id');
  const client = await serviceClient(opts.target, LEDGER_SERVICE);
  const request = { id };
  if (opts.walletType) request.wallet_type = opts.walletType;
  if (opts.prefixes.length) request.prefixes = opts.prefixes;
  return new Promise((resolve) => {
    client.GetKey(request, { deadline: deadline(10) }, (err, response) => {
      client.close();
      if (err) {
        console.log(`GetKey(${id}): ${statusName(err.code)}: ${details(err)}`);
        resolve(err.code === grpc.status.NOT_FOUND ? 4 : 1);
      } else {
        console.log(JSON.stringify(response, null, 2));
        resolve(0);
      }
    });
  });
}

async function watch(opts) {
  const keyring = opts.positional[1];
  if (!keyring) usage('watch needs a keyring address');
  const maxEvents = opts.events || Infinity;
  const timeout = opts.timeout || 30;
  const client = await serviceClient(opts.target, LEDGER_SERVICE);
  const request = { keyring_addr: keyring };
  if (opts.cursor) request.cursor = opts.cursor;
  return new Promise((resolve) => {
    let seen = 0;
    let endedByUs = null;
    let finished = false;
    const finish = (code) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      client.close();
      resolve(code);
    };
    const call = client.WatchKeyRequests(request);
    const stop = (why) => {
      if (endedByUs) return;
      endedByUs = why;
      call.cancel();
    };
    const timer = setTimeout(() => stop(`timed out after ${timeout}s`), timeout * 1000);
    console.log(`watching key requests of ${keyring} (up to ${opts.events || 'any number of'} event(s), ${timeout}s)`);
    call.on('data', (event) => {
      seen++;
      const r = event.request || {};
      console.log(JSON.stringify({ cursor: event.cursor, id: r.id, status: r.status, key_type: r.key_type,
        workspace_addr: r.workspace_addr }));
      if (seen >= maxEvents) stop(`received ${seen} event(s)`);
    });
    call.on('error', (err) => {
      if (finished) return;
      if (endedByUs && err.code === grpc.status.CANCELLED) {
        console.log(`watch ended: ${endedByUs}; ${seen} event(s)`);
        finish(0);
      } else {
        console.log(`watch failed: ${statusName(err.code)}: ${details(err)}`);
        finish(1);
      }
    });
    call.on('end', () => {
      // After an error grpc-js may still emit 'end'; the error decided the outcome.
      setImmediate(() => {
        if (finished) return;
        console.log(endedByUs ? `watch ended: ${endedByUs}; ${seen} event(s)` : `watch ended by the server; ${seen} event(s)`);
        finish(0);
      });
    });
  });
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const command = opts.positional[0];
  switch (command) {
    case 'services': await services(opts); return 0;
    case 'get-key': return getKey(opts);
    case 'watch': return watch(opts);
    default: return usage(command ? `unknown command '${command}'` : 'no command given');
  }
}

main().then((code) => process.exit(code || 0), (err) => {
  const code = err && typeof err.code === 'number' ? ` (${statusName(err.code)})` : '';
  console.error(`keyfed-grpc: ${err && err.message ? err.message : err}${code}`);
  process.exit(1);
});
