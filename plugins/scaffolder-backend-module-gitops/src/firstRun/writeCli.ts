/* eslint-disable no-console */
import path from 'node:path';
import { writeFirstRunWorld } from './world';

/**
 * `yarn workspace @internal/plugin-scaffolder-backend-module-gitops first-run:write`: rewrites the
 * first-run teams and services under K8s/ from the render functions (after a template change).
 */
const repoRoot = path.resolve(__dirname, '../../../..');
for (const file of writeFirstRunWorld(repoRoot)) console.log(file);
