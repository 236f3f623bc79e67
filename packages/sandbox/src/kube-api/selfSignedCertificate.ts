import {
  X509Certificate,
  generateKeyPairSync,
  randomBytes,
  sign,
} from 'node:crypto';

// kubectl (client-go) only sends a bearer token over https, so the sandbox serves TLS with a
// certificate made at startup. Node can sign but not build X.509, hence this small DER encoder.

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function der(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

const sequence = (...c: Buffer[]) => der(0x30, ...c);
const set = (...c: Buffer[]) => der(0x31, ...c);
const octetString = (c: Buffer) => der(0x04, c);
const bitString = (c: Buffer, unusedBits = 0) =>
  der(0x03, Buffer.from([unusedBits]), c);
const utf8 = (s: string) => der(0x0c, Buffer.from(s, 'utf8'));
const TRUE = der(0x01, Buffer.from([0xff]));

function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const bytes = [arcs[0] * 40 + arcs[1]];
  for (const arc of arcs.slice(2)) {
    const chunk = [arc & 0x7f];
    for (let n = arc >> 7; n > 0; n >>= 7) chunk.unshift((n & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}

function utcTime(date: Date): Buffer {
  const iso = date.toISOString(); // 2026-11-22T02:53:00.000Z → 261122025300Z
  const text = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(
    8,
    10,
  )}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return der(0x17, Buffer.from(text, 'ascii'));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return sequence(oid(id), ...(critical ? [TRUE] : []), octetString(value));
}

function ipv4(address: string): Buffer {
  return Buffer.from(address.split('.').map(Number));
}

/** A PEM certificate and private key. */
export interface CertificateAndKey {
  cert: string;
  key: string;
}

/**
 * Makes a self-signed ECDSA P-256 certificate for `localhost` and the given IPv4 addresses, valid
 * for ten years. It is its own CA, so a kubeconfig can trust it via certificate-authority-data.
 */
export function createSelfSignedCertificate(
  ipAddresses: string[] = ['127.0.0.1'],
): CertificateAndKey {
  const { publicKey, privateKey } = generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
  });
  const ecdsaWithSha256 = sequence(oid('1.2.840.10045.4.3.2'));
  const name = sequence(
    set(sequence(oid('2.5.4.3'), utf8('idp-portal-sandbox'))),
  );
  const serial = randomBytes(16);
  // DER INTEGER: positive (high bit clear) and minimally encoded (a leading 0x00 byte would be
  // padding that strict parsers reject), so the first byte is kept in 0x40..0x7f
  serial[0] = (serial[0] & 0x3f) | 0x40;
  const now = Date.now();
  const altNames = sequence(
    der(0x82, Buffer.from('localhost', 'ascii')),
    ...ipAddresses
      .filter(a => /^\d+\.\d+\.\d+\.\d+$/.test(a))
      .map(a => der(0x87, ipv4(a))),
  );
  const extensions = der(
    0xa3,
    sequence(
      extension('2.5.29.19', true, sequence(TRUE)), // basicConstraints CA:TRUE
      extension('2.5.29.15', true, bitString(Buffer.from([0x84]), 2)), // digitalSignature, keyCertSign
      extension('2.5.29.37', false, sequence(oid('1.3.6.1.5.5.7.3.1'))), // serverAuth
      extension('2.5.29.17', false, altNames),
    ),
  );
  const tbs = sequence(
    der(0xa0, der(0x02, Buffer.from([2]))), // v3
    der(0x02, serial),
    ecdsaWithSha256,
    name,
    sequence(
      utcTime(new Date(now - 3600_000)),
      utcTime(new Date(now + 10 * 365 * 86400_000)),
    ),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    extensions,
  );
  const signature = sign('sha256', tbs, privateKey);
  const certificate = sequence(tbs, ecdsaWithSha256, bitString(signature));
  const pem = `-----BEGIN CERTIFICATE-----\n${certificate
    .toString('base64')
    .replace(/.{64}/g, '$&\n')
    .replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
  // Parsing it back catches encoder mistakes at startup instead of in a TLS handshake.
  if (
    !new X509Certificate(pem).checkIP('127.0.0.1') &&
    ipAddresses.includes('127.0.0.1')
  ) {
    throw new Error('self-signed certificate does not cover 127.0.0.1');
  }
  return {
    cert: pem,
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
