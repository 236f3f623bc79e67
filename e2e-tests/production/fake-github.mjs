// A small GitHub for the production stage of scripts/test.sh: git over smart HTTPS (git's own
// `git http-backend`) plus the pull-request REST endpoints the portal calls
// (`POST/GET {api}/repos/{owner}/{repo}/pulls`, `GET .../pulls/{number}`, `GET .../repos/{owner}/{repo}`).
// Repositories are bare repos under FAKE_GITHUB_ROOT/<owner>/<repo>.git. Every request must carry
// FAKE_GITHUB_TOKEN, as a bearer/token header (REST) or as the Basic password (git), so the stage
// proves the portal authenticates both ways with the token from its config.
//
// It speaks https only, as GitHub does (the portal refuses a pull-request remote that is not
// https), with the certificate and key in FAKE_GITHUB_TLS_CERT/FAKE_GITHUB_TLS_KEY (PEM files).
//
//   FAKE_GITHUB_PORT=7191 FAKE_GITHUB_ROOT=/tmp/x FAKE_GITHUB_TOKEN=t FAKE_GITHUB_TLS_CERT=c.pem \
//   FAKE_GITHUB_TLS_KEY=k.pem node e2e-tests/production/fake-github.mjs
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';

const port = Number(process.env.FAKE_GITHUB_PORT ?? 7191);
const root = path.resolve(process.env.FAKE_GITHUB_ROOT ?? '');
const token = process.env.FAKE_GITHUB_TOKEN;
const { FAKE_GITHUB_TLS_CERT, FAKE_GITHUB_TLS_KEY } = process.env;
if (
  !process.env.FAKE_GITHUB_ROOT ||
  !token ||
  !FAKE_GITHUB_TLS_CERT ||
  !FAKE_GITHUB_TLS_KEY
) {
  console.error(
    'FAKE_GITHUB_ROOT, FAKE_GITHUB_TOKEN, FAKE_GITHUB_TLS_CERT and FAKE_GITHUB_TLS_KEY are required',
  );
  process.exit(2);
}
const baseUrl = `https://127.0.0.1:${port}`;
/** Pull requests per `owner/repo`, in creation order. */
const pulls = new Map();

function authorized(req) {
  const header = req.headers.authorization ?? '';
  const [scheme, value = ''] = header.split(' ');
  if (/^(bearer|token)$/i.test(scheme)) return value === token;
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    return decoded.slice(decoded.indexOf(':') + 1) === token;
  }
  return false;
}

function sendJson(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function repoDir(owner, repo) {
  const dir = path.join(root, owner, `${repo}.git`);
  return dir.startsWith(root + path.sep) && fs.existsSync(dir)
    ? dir
    : undefined;
}

function branchSha(dir, branch) {
  try {
    return execFileSync(
      'git',
      [
        '--git-dir',
        dir,
        'rev-parse',
        '--verify',
        `refs/heads/${branch}^{commit}`,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    ).trim();
  } catch {
    return undefined;
  }
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

function pullJson(owner, repo, pr) {
  return {
    number: pr.number,
    state: 'open',
    title: pr.title,
    body: pr.body,
    html_url: `${baseUrl}/${owner}/${repo}/pull/${pr.number}`,
    url: `${baseUrl}/api/v3/repos/${owner}/${repo}/pulls/${pr.number}`,
    head: { ref: pr.head, sha: pr.headSha },
    base: { ref: pr.base, sha: pr.baseSha },
  };
}

async function api(req, res, owner, repo, rest) {
  const dir = repoDir(owner, repo);
  if (!dir) return sendJson(res, 404, { message: 'Not Found' });
  const key = `${owner}/${repo}`;
  const list = pulls.get(key) ?? [];
  pulls.set(key, list);
  if (rest === '' && req.method === 'GET') {
    return sendJson(res, 200, {
      name: repo,
      full_name: key,
      default_branch: 'main',
      clone_url: `${baseUrl}/${owner}/${repo}.git`,
    });
  }
  if (rest === '/pulls' && req.method === 'GET') {
    return sendJson(
      res,
      200,
      list.map(pr => pullJson(owner, repo, pr)),
    );
  }
  const one = /^\/pulls\/(\d+)$/.exec(rest);
  if (one && req.method === 'GET') {
    const pr = list.find(p => p.number === Number(one[1]));
    return pr
      ? sendJson(res, 200, pullJson(owner, repo, pr))
      : sendJson(res, 404, { message: 'Not Found' });
  }
  if (rest === '/pulls' && req.method === 'POST') {
    const input = await readJson(req);
    const errors = [];
    for (const field of ['head', 'base', 'title']) {
      if (typeof input[field] !== 'string' || !input[field]) {
        errors.push({ resource: 'PullRequest', field, code: 'missing_field' });
      }
    }
    const headSha = input.head && branchSha(dir, input.head);
    const baseSha = input.base && branchSha(dir, input.base);
    if (input.head && !headSha) {
      errors.push({ resource: 'PullRequest', field: 'head', code: 'invalid' });
    }
    if (input.base && !baseSha) {
      errors.push({ resource: 'PullRequest', field: 'base', code: 'invalid' });
    }
    if (list.some(p => p.head === input.head)) {
      errors.push({
        resource: 'PullRequest',
        code: 'custom',
        message: `A pull request already exists for ${owner}:${input.head}.`,
      });
    }
    if (errors.length > 0) {
      return sendJson(res, 422, { message: 'Validation Failed', errors });
    }
    const pr = {
      number: list.length + 1,
      title: input.title,
      body: input.body ?? '',
      head: input.head,
      base: input.base,
      headSha,
      baseSha,
    };
    list.push(pr);
    console.log(
      `[fake-github] pull request #${pr.number} ${key}: ${pr.head} -> ${pr.base}`,
    );
    return sendJson(res, 201, pullJson(owner, repo, pr));
  }
  return sendJson(res, 404, { message: 'Not Found' });
}

/** Smart HTTP through git's CGI program, with the repository root as its project root. */
function gitHttpBackend(req, res, pathInfo, query) {
  const child = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      // receive-pack (push) is enabled for authenticated users only
      REMOTE_USER: 'x-access-token',
      REQUEST_METHOD: req.method,
      PATH_INFO: pathInfo,
      QUERY_STRING: query,
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      ...(req.headers['content-length']
        ? { CONTENT_LENGTH: req.headers['content-length'] }
        : {}),
      ...(req.headers['content-encoding']
        ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] }
        : {}),
      ...(req.headers['git-protocol']
        ? { GIT_PROTOCOL: req.headers['git-protocol'] }
        : {}),
    },
  });
  req.pipe(child.stdin);
  let head = Buffer.alloc(0);
  let headersDone = false;
  child.stdout.on('data', chunk => {
    if (headersDone) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    headersDone = true;
    let status = 200;
    const headers = {};
    for (const line of head.subarray(0, end).toString('utf8').split('\r\n')) {
      const i = line.indexOf(':');
      const name = line.slice(0, i).trim();
      const value = line.slice(i + 1).trim();
      if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
      else headers[name] = value;
    }
    res.writeHead(status, headers);
    res.write(head.subarray(end + 4));
  });
  child.stderr.on('data', d => process.stderr.write(`[git http-backend] ${d}`));
  child.on('close', code => {
    if (!headersDone) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`git http-backend exited with ${code}\n`);
    } else {
      res.end();
    }
  });
}

const tls = {
  cert: fs.readFileSync(FAKE_GITHUB_TLS_CERT),
  key: fs.readFileSync(FAKE_GITHUB_TLS_KEY),
};
const server = https.createServer(tls, (req, res) => {
  const url = new URL(req.url ?? '/', baseUrl);
  if (url.pathname === '/healthz') return sendJson(res, 200, { ok: true });
  if (!authorized(req)) {
    res.writeHead(401, {
      'www-authenticate': 'Basic realm="fake-github"',
      'content-type': 'application/json',
    });
    res.end(JSON.stringify({ message: 'Requires authentication' }));
    return;
  }
  const apiMatch = /^\/api\/v3\/repos\/([\w.-]+)\/([\w.-]+)(\/.*)?$/.exec(
    url.pathname,
  );
  if (apiMatch) {
    api(req, res, apiMatch[1], apiMatch[2], apiMatch[3] ?? '').catch(error => {
      sendJson(res, 400, { message: String(error.message ?? error) });
    });
    return;
  }
  if (
    /^\/[\w.-]+\/[\w.-]+\.git\/(info\/refs|git-upload-pack|git-receive-pack)$/.test(
      url.pathname,
    )
  ) {
    gitHttpBackend(req, res, url.pathname, url.search.slice(1));
    return;
  }
  sendJson(res, 404, { message: 'Not Found' });
});

server.listen(port, '127.0.0.1', () => {
  console.log(`[fake-github] serving ${root} on ${baseUrl}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
