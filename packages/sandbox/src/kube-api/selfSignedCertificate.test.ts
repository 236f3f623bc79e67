import { X509Certificate, createPrivateKey } from 'node:crypto';
import { createSelfSignedCertificate } from './selfSignedCertificate';

describe('createSelfSignedCertificate', () => {
  it('produces a certificate for localhost and the given IPs that matches its key', () => {
    const { cert, key } = createSelfSignedCertificate(['127.0.0.1', '::1']);
    const x509 = new X509Certificate(cert);
    expect(x509.subjectAltName).toContain('DNS:localhost');
    expect(x509.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(x509.checkPrivateKey(createPrivateKey(key))).toBe(true);
    expect(x509.verify(x509.publicKey)).toBe(true);
  });

  // a random serial with a leading zero byte used to produce a non-minimal DER INTEGER,
  // which made roughly one start in 256 fail with "asn1 illegal padding"
  it('always encodes a serial number strict parsers accept', () => {
    for (let i = 0; i < 300; i++) {
      const { cert } = createSelfSignedCertificate();
      const serial = new X509Certificate(cert).serialNumber;
      expect(serial).toMatch(/^[4-7][0-9A-F]{31}$/);
    }
  });
});
