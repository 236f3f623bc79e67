import fs from 'fs';
import os from 'os';
import path from 'path';

/** Creates a real temporary repository with the given files (posix paths → content). */
export function createTempRepo(
  files: Record<string, string | undefined>,
  dirs: string[] = [],
): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-repo-test-'));
  for (const dir of dirs) {
    fs.mkdirSync(path.join(root, dir), { recursive: true });
  }
  for (const [file, content] of Object.entries(files)) {
    if (content === undefined) continue;
    const abs = path.join(root, file);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
  return root;
}

export function removeTempRepo(root: string): void {
  fs.rmSync(root, { recursive: true, force: true });
}
