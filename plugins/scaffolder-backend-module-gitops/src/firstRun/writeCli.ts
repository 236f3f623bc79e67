/* eslint-disable no-console */
import fs from 'node:fs';
import path from 'node:path';
import { writeFirstRunWorld } from './world';

/**
 * `yarn workspace @internal/plugin-scaffolder-backend-module-gitops first-run:write`: rewrites the
 * first-run teams and services under K8s/ from the render functions (after a template change).
 * Yarn runs it in the package directory; the repository is the nearest parent with K8s/ and
 * templates/.
 */
function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (
      fs.existsSync(path.join(dir, 'K8s')) &&
      fs.existsSync(path.join(dir, 'templates'))
    ) {
      return dir;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`no repository with K8s/ and templates/ above ${from}`);
    }
  }
}

for (const file of writeFirstRunWorld(findRepoRoot(process.cwd()))) {
  console.log(file);
}
