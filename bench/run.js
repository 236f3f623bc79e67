#!/usr/bin/env node
/*
 * `yarn bench [name-filter]`: runs every bench/*.bench.ts in its own Node process (TypeScript
 * through Backstage's node transform), one after another so they do not compete for the two cores.
 * Each benchmark prints its own figures (medians, ratios, input sizes).
 */
const { spawnSync } = require('node:child_process');
const { readdirSync } = require('node:fs');
const path = require('node:path');

const filter = process.argv[2] ?? '';
const benches = readdirSync(__dirname)
  .filter(file => file.endsWith('.bench.ts') && file.includes(filter))
  .sort();
if (benches.length === 0) {
  console.error(`no benchmark in bench/ matches '${filter}'`);
  process.exit(1);
}
let failed = 0;
for (const bench of benches) {
  console.log(`\n### ${bench}`);
  const result = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      path.join(__dirname, bench),
    ],
    { stdio: 'inherit', cwd: path.resolve(__dirname, '..') },
  );
  if (result.status !== 0) {
    failed += 1;
    console.error(`${bench} failed (exit ${result.status})`);
  }
}
process.exit(failed ? 1 : 0);
