// What verify.js and recover.js share: reading the items (FILE or standard input; JSON lines or one JSON array),
// checking each, printing one JSON line per item and a summary on standard error, and the exit status: 0 every
// item checks out, 1 at least one does not (or is malformed), 2 usage or unreadable input, or no item at all (a
// run that checked nothing is not a success).
'use strict';
const fs = require('fs');

function parse(text) {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    return JSON.parse(trimmed);
  }
  return trimmed.split('\n').filter((l) => l.trim() !== '').map((l, i) => {
    try {
      return JSON.parse(l);
    } catch (e) {
      throw new Error(`line ${i + 1}: ${e.message}`);
    }
  });
}

// Runs the tool on argv; returns its exit status. tool: {name, usage, nothing (no items), passed (summary
// verb), fields(item) (extra output fields after index and id), check(item, out) (null when the item checks out,
// else why not; throws for a malformed item; may add fields to out)}.
function main(argv, tool) {
  if (argv.length > 1 || (argv[0] || '').startsWith('-')) {
    process.stderr.write(`usage: ${tool.usage}   (JSON lines or a JSON array; standard input without FILE)\n`);
    return 2;
  }
  let items;
  try {
    items = parse(fs.readFileSync(argv.length === 1 ? argv[0] : 0, 'utf8'));
  } catch (e) {
    process.stderr.write(`${tool.name}: unreadable input: ${e.message}\n`);
    return 2;
  }
  if (items.length === 0) {
    process.stderr.write(`${tool.name}: ${tool.nothing}\n`);
    return 2;
  }
  let bad = 0;
  items.forEach((item, index) => {
    const out = { index, id: item && item.id !== undefined ? item.id : null, ...tool.fields(item) };
    try {
      const why = tool.check(item, out);
      out.valid = why === null;
      if (why !== null) out.error = why;
    } catch (e) {
      out.valid = false;
      out.error = e.shortMessage || e.message;
    }
    if (!out.valid) bad++;
    process.stdout.write(JSON.stringify(out) + '\n');
  });
  process.stderr.write(`${tool.name}: ${items.length - bad} of ${items.length} ${tool.passed}\n`);
  return bad === 0 ? 0 : 1;
}

module.exports = { main };
