import fs from 'node:fs';
import path from 'node:path';
import { RenderedFiles, toYaml } from './yaml';

/** Writes rendered files into `<workspace>/<rel>`, replacing what a previous run left there. */
export function writeRendered(
  workspacePath: string,
  rel: string,
  files: RenderedFiles,
): string[] {
  const dir = path.join(workspacePath, rel);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const names = Object.keys(files).sort();
  for (const name of names) {
    fs.writeFileSync(path.join(dir, name), toYaml(files[name]));
  }
  return names.map(n => `${rel}/${n}`);
}
