/**
 * Kyverno's `x509_decode()`: a PEM certificate or certificate request decoded
 * to the JSON Go's encoding/json gives `x509.Certificate` /
 * `x509.CertificateRequest` (field names, base64 for byte slices, Go enum
 * numbers, `PublicKey: {N, E}`), RSA keys only as in Kyverno. The commonly
 * read fields are produced (Subject, Issuer, NotBefore, NotAfter, SerialNumber,
 * DNSNames, IsCA, KeyUsage, ExtKeyUsage, Extensions, ...); fields left out are
 * absent, so a policy reading one fails with "Unknown key" rather than
 * seeing a made-up value. Pure TypeScript DER parsing.
 */

interface Tlv {
  tag: number;
  /** Offset of the value in the buffer. */
  start: number;
  end: number;
  /** Offset of the tag (for Raw fields). */
  headerStart: number;
}

function readTlv(bytes: Uint8Array, offset: number): Tlv {
  const tag = bytes[offset];
  let length = bytes[offset + 1];
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4)
      throw new Error('x509: unsupported DER length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[start + i];
    start += count;
  }
  const end = start + length;
  if (tag === undefined || end > bytes.length)
    throw new Error('x509: truncated DER');
  return { tag, start, end, headerStart: offset };
}

function children(bytes: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let offset = parent.start; offset < parent.end; ) {
    const child = readTlv(bytes, offset);
    out.push(child);
    offset = child.end;
  }
  return out;
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

const raw = (bytes: Uint8Array, t: Tlv) =>
  base64(bytes.subarray(t.headerStart, t.end));
const value = (bytes: Uint8Array, t: Tlv) => bytes.subarray(t.start, t.end);

function oid(bytes: Uint8Array, t: Tlv): number[] {
  const v = value(bytes, t);
  const out = [Math.floor(v[0] / 40), v[0] % 40];
  let n = 0;
  for (let i = 1; i < v.length; i++) {
    n = n * 128 + (v[i] & 0x7f);
    if (!(v[i] & 0x80)) {
      out.push(n);
      n = 0;
    }
  }
  return out;
}

function bigInt(bytes: Uint8Array, t: Tlv): bigint {
  let n = BigInt(0);
  for (const b of value(bytes, t)) n = n * BigInt(256) + BigInt(b);
  return n;
}

function text(bytes: Uint8Array, t: Tlv): string {
  const v = value(bytes, t);
  if (t.tag === 0x1e) {
    // BMPString: UTF-16BE
    let s = '';
    for (let i = 0; i + 1 < v.length; i += 2)
      s += String.fromCharCode((v[i] << 8) | v[i + 1]);
    return s;
  }
  return new TextDecoder().decode(v);
}

const NAME_FIELDS: Record<string, string> = {
  '2.5.4.6': 'Country',
  '2.5.4.10': 'Organization',
  '2.5.4.11': 'OrganizationalUnit',
  '2.5.4.7': 'Locality',
  '2.5.4.8': 'Province',
  '2.5.4.9': 'StreetAddress',
  '2.5.4.17': 'PostalCode',
};

/** Go's pkix.Name as JSON (nil slices are null). */
function name(bytes: Uint8Array, t: Tlv): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Country: null,
    Organization: null,
    OrganizationalUnit: null,
    Locality: null,
    Province: null,
    StreetAddress: null,
    PostalCode: null,
    SerialNumber: '',
    CommonName: '',
    Names: [] as unknown[],
    ExtraNames: null,
  };
  for (const set of children(bytes, t)) {
    for (const attribute of children(bytes, set)) {
      const [type, val] = children(bytes, attribute);
      const id = oid(bytes, type);
      const s = text(bytes, val);
      (out.Names as unknown[]).push({ Type: id, Value: s });
      const key = id.join('.');
      if (key === '2.5.4.3') out.CommonName = s;
      else if (key === '2.5.4.5') out.SerialNumber = s;
      else if (NAME_FIELDS[key]) {
        out[NAME_FIELDS[key]] = [
          ...((out[NAME_FIELDS[key]] as string[] | null) ?? []),
          s,
        ];
      }
    }
  }
  return out;
}

function time(bytes: Uint8Array, t: Tlv): string {
  const s = text(bytes, t);
  const m = /^(\d{2}|\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) throw new Error(`x509: unsupported time ${s}`);
  let year = Number(m[1]);
  if (m[1].length === 2) year += year < 50 ? 2000 : 1900;
  return `${String(year).padStart(4, '0')}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${
    m[6]
  }Z`;
}

const SIGNATURE_ALGORITHMS: Record<string, number> = {
  '1.2.840.113549.1.1.2': 1,
  '1.2.840.113549.1.1.4': 2,
  '1.2.840.113549.1.1.5': 3,
  '1.2.840.113549.1.1.11': 4,
  '1.2.840.113549.1.1.12': 5,
  '1.2.840.113549.1.1.13': 6,
  '1.2.840.10040.4.3': 7,
  '2.16.840.1.101.3.4.3.2': 8,
  '1.2.840.10045.4.1': 9,
  '1.2.840.10045.4.3.2': 10,
  '1.2.840.10045.4.3.3': 11,
  '1.2.840.10045.4.3.4': 12,
  '1.2.840.113549.1.1.10': 13,
  '1.3.101.112': 16,
};

const EXT_KEY_USAGES: Record<string, number> = {
  '2.5.29.37.0': 0,
  '1.3.6.1.5.5.7.3.1': 1,
  '1.3.6.1.5.5.7.3.2': 2,
  '1.3.6.1.5.5.7.3.3': 3,
  '1.3.6.1.5.5.7.3.4': 4,
  '1.3.6.1.5.5.7.3.5': 5,
  '1.3.6.1.5.5.7.3.6': 6,
  '1.3.6.1.5.5.7.3.7': 7,
  '1.3.6.1.5.5.7.3.8': 8,
  '1.3.6.1.5.5.7.3.9': 9,
};

/** SubjectPublicKeyInfo → `{N, E}` for RSA; throws otherwise (as Kyverno). */
function rsaPublicKey(bytes: Uint8Array, spki: Tlv): { N: string; E: number } {
  const [algorithm, key] = children(bytes, spki);
  const algorithmId = oid(bytes, children(bytes, algorithm)[0]).join('.');
  if (algorithmId !== '1.2.840.113549.1.1.1') {
    throw new Error('x509_decode(): certificate should use rsa algorithm');
  }
  // BIT STRING: first byte is the unused-bit count.
  const pkcs1 = readTlv(bytes, key.start + 1);
  const [n, e] = children(bytes, pkcs1);
  return { N: bigInt(bytes, n).toString(), E: Number(bigInt(bytes, e)) };
}

interface ParsedExtensions {
  json: unknown[];
  fields: Record<string, unknown>;
}

function extensions(bytes: Uint8Array, list: Tlv[]): ParsedExtensions {
  const fields: Record<string, unknown> = {
    KeyUsage: 0,
    ExtKeyUsage: null,
    BasicConstraintsValid: false,
    IsCA: false,
    MaxPathLen: 0,
    MaxPathLenZero: false,
    SubjectKeyId: null,
    AuthorityKeyId: null,
    DNSNames: null,
    EmailAddresses: null,
    IPAddresses: null,
    URIs: null,
  };
  const json: unknown[] = [];
  for (const ext of list) {
    const parts = children(bytes, ext);
    const id = oid(bytes, parts[0]);
    const critical = parts.length === 3 && value(bytes, parts[1])[0] !== 0;
    const octets = parts[parts.length - 1];
    json.push({
      Id: id,
      Critical: critical,
      Value: base64(value(bytes, octets)),
    });
    const inner = readTlv(bytes, octets.start);
    switch (id.join('.')) {
      case '2.5.29.15': {
        // KeyUsage BIT STRING: bit i (from the most significant) sets 1 << i
        const v = value(bytes, inner);
        let usage = 0;
        for (let i = 0; i < (v.length - 1) * 8; i++) {
          if (v[1 + (i >> 3)] & (0x80 >> (i & 7))) usage |= 1 << i;
        }
        fields.KeyUsage = usage;
        break;
      }
      case '2.5.29.37':
        fields.ExtKeyUsage = children(bytes, inner)
          .map(t => EXT_KEY_USAGES[oid(bytes, t).join('.')])
          .filter(u => u !== undefined);
        break;
      case '2.5.29.19': {
        const bc = children(bytes, inner);
        fields.BasicConstraintsValid = true;
        fields.IsCA =
          bc.length > 0 && bc[0].tag === 0x01 && value(bytes, bc[0])[0] !== 0;
        const pathLen = bc.find(t => t.tag === 0x02);
        fields.MaxPathLen = pathLen ? Number(bigInt(bytes, pathLen)) : -1;
        fields.MaxPathLenZero = pathLen ? fields.MaxPathLen === 0 : false;
        break;
      }
      case '2.5.29.14':
        fields.SubjectKeyId = base64(value(bytes, inner));
        break;
      case '2.5.29.35': {
        const keyId = children(bytes, inner).find(t => t.tag === 0x80);
        if (keyId) fields.AuthorityKeyId = base64(value(bytes, keyId));
        break;
      }
      case '2.5.29.17':
        for (const general of children(bytes, inner)) {
          const push = (key: string, v: string) => {
            fields[key] = [...((fields[key] as string[] | null) ?? []), v];
          };
          if (general.tag === 0x82) push('DNSNames', text(bytes, general));
          else if (general.tag === 0x81)
            push('EmailAddresses', text(bytes, general));
          else if (general.tag === 0x86) push('URIs', text(bytes, general));
          else if (general.tag === 0x87) {
            const ip = value(bytes, general);
            push(
              'IPAddresses',
              ip.length === 4
                ? Array.from(ip).join('.')
                : Array.from({ length: 8 }, (_, i) =>
                    ((ip[2 * i] << 8) | ip[2 * i + 1]).toString(16),
                  ).join(':'),
            );
          }
        }
        break;
      default:
    }
  }
  return { json, fields };
}

function pemBlock(pem: string): { type: string; der: Uint8Array } {
  const m = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(pem);
  if (!m) throw new Error('x509_decode(): failed to decode PEM block');
  const binary = atob(m[2].replace(/\s+/g, ''));
  return { type: m[1], der: Uint8Array.from(binary, c => c.charCodeAt(0)) };
}

function decodeCertificate(der: Uint8Array): Record<string, unknown> {
  const cert = readTlv(der, 0);
  const [tbs, signatureAlgorithm, signature] = children(der, cert);
  const parts = children(der, tbs);
  let i = 0;
  let version = 1;
  if (parts[0].tag === 0xa0) {
    version = Number(bigInt(der, children(der, parts[0])[0])) + 1;
    i = 1;
  }
  const serial = parts[i];
  const issuer = parts[i + 2];
  const [notBefore, notAfter] = children(der, parts[i + 3]);
  const subject = parts[i + 4];
  const spki = parts[i + 5];
  const extensionsTlv = parts.slice(i + 6).find(t => t.tag === 0xa3);
  const ext = extensions(
    der,
    extensionsTlv ? children(der, children(der, extensionsTlv)[0]) : [],
  );
  return {
    Raw: raw(der, cert),
    RawTBSCertificate: raw(der, tbs),
    RawSubjectPublicKeyInfo: raw(der, spki),
    RawSubject: raw(der, subject),
    RawIssuer: raw(der, issuer),
    Signature: base64(value(der, signature).subarray(1)),
    SignatureAlgorithm:
      SIGNATURE_ALGORITHMS[
        oid(der, children(der, signatureAlgorithm)[0]).join('.')
      ] ?? 0,
    PublicKeyAlgorithm: 1,
    PublicKey: rsaPublicKey(der, spki),
    Version: version,
    SerialNumber: Number(bigInt(der, serial)),
    Issuer: name(der, issuer),
    Subject: name(der, subject),
    NotBefore: time(der, notBefore),
    NotAfter: time(der, notAfter),
    Extensions: ext.json,
    ...ext.fields,
  };
}

function decodeRequest(der: Uint8Array): Record<string, unknown> {
  const csr = readTlv(der, 0);
  const [info, signatureAlgorithm, signature] = children(der, csr);
  const [version, subject, spki, attributes] = children(der, info);
  let extensionList: Tlv[] = [];
  for (const attribute of attributes ? children(der, attributes) : []) {
    const [type, values] = children(der, attribute);
    if (oid(der, type).join('.') === '1.2.840.113549.1.9.14') {
      extensionList = children(der, children(der, values)[0]);
    }
  }
  const ext = extensions(der, extensionList);
  return {
    Raw: raw(der, csr),
    RawTBSCertificateRequest: raw(der, info),
    RawSubjectPublicKeyInfo: raw(der, spki),
    RawSubject: raw(der, subject),
    Version: Number(bigInt(der, version)),
    Signature: base64(value(der, signature).subarray(1)),
    SignatureAlgorithm:
      SIGNATURE_ALGORITHMS[
        oid(der, children(der, signatureAlgorithm)[0]).join('.')
      ] ?? 0,
    PublicKeyAlgorithm: 1,
    PublicKey: rsaPublicKey(der, spki),
    Subject: name(der, subject),
    Extensions: ext.json,
    DNSNames: ext.fields.DNSNames,
    EmailAddresses: ext.fields.EmailAddresses,
    IPAddresses: ext.fields.IPAddresses,
    URIs: ext.fields.URIs,
  };
}

/**
 * Decodes a PEM `CERTIFICATE` or `CERTIFICATE REQUEST` (RSA) as Kyverno's
 * `x509_decode()` does.
 */
export function x509Decode(pem: string): Record<string, unknown> {
  const { type, der } = pemBlock(pem);
  try {
    if (type === 'CERTIFICATE') return decodeCertificate(der);
    if (type === 'CERTIFICATE REQUEST') return decodeRequest(der);
  } catch (e) {
    if ((e as Error).message.startsWith('x509_decode()')) throw e;
    throw new Error(`x509_decode(): ${(e as Error).message}`);
  }
  throw new Error(`x509_decode(): unsupported PEM block ${type}`);
}
