import { createPublicKey, X509Certificate } from 'node:crypto';
import { evaluateJmespath, JmespathError } from './jmespath';

// A self-signed RSA certificate and a CSR made for this test with openssl:
// subject /C=DE/O=Acme/OU=Platform/CN=web.team-a.svc, SANs DNS:web.team-a.svc,
// DNS:web, IP:10.0.0.1, email:ops@acme.io, keyUsage critical
// digitalSignature+keyEncipherment, extendedKeyUsage serverAuth+clientAuth,
// basicConstraints critical CA:FALSE; the CSR /CN=system:node:n1/O=system:nodes.
const CERT = `-----BEGIN CERTIFICATE-----
MIID0jCCArqgAwIBAgIUcB0YOLm5iPmJLaEcvxmAPOAJPlYwDQYJKoZIhvcNAQEL
BQAwSDELMAkGA1UEBhMCREUxDTALBgNVBAoMBEFjbWUxETAPBgNVBAsMCFBsYXRm
b3JtMRcwFQYDVQQDDA53ZWIudGVhbS1hLnN2YzAeFw0yNjEyMDEyMzE4NTlaFw0y
NzEyMDEyMzE4NTlaMEgxCzAJBgNVBAYTAkRFMQ0wCwYDVQQKDARBY21lMREwDwYD
VQQLDAhQbGF0Zm9ybTEXMBUGA1UEAwwOd2ViLnRlYW0tYS5zdmMwggEiMA0GCSqG
SIb3DQEBAQUAA4IBDwAwggEKAoIBAQDiI/MZ5p+hbacBwdvrW6fXukq6C/PEGib/
n5IJPQzjiBts6vO0mkkDpqavdUUE/pteC8jOZC7E3wwlrFrIF9l/6jdvXNHMPpZP
LC0a78UC5rzWh3ZjG+zgn/t0CbaLdoEUZ2dRaLz9dHLbj9/Y2pgR4V7mpTD9fDzh
PKSgsGm58G6Y8CJ8pPUZyz3t5wc/lGDOBmQSPuyd+jz7dDlHunLbkmep2qGejMu3
yMYJfeEkKFnsmomHMRSvIvEHPAT0oOkXG5Npf7DX50Ru+tVlrTT+uOKRmX8dxrHM
B/G8MgFVOB7nDi1uxg2dxe/UDWNWWVugsr4i9w7uy9Rdjktj62QBAgMBAAGjgbMw
gbAwHQYDVR0OBBYEFJqGXMFPWbo+Q6X/KBjrTVEFiTWpMB8GA1UdIwQYMBaAFJqG
XMFPWbo+Q6X/KBjrTVEFiTWpMDEGA1UdEQQqMCiCDndlYi50ZWFtLWEuc3ZjggN3
ZWKHBAoAAAGBC29wc0BhY21lLmlvMA4GA1UdDwEB/wQEAwIFoDAdBgNVHSUEFjAU
BggrBgEFBQcDAQYIKwYBBQUHAwIwDAYDVR0TAQH/BAIwADANBgkqhkiG9w0BAQsF
AAOCAQEAq9eq8kmI7SPf4hep6trUZvRoHHrU2OWtzPcyoIP9d7TzV3d8xjT09nTK
vvyhJgGlhevSbIZBk2elDaXpmAgrYCxGerraueuaxNsWioOrDC0TwRjdSueWEoh+
mJm/H7t7hgPcRPwGKzCR6HbxwZIGYVRWw6DTdX/wxw4lw56wmNCP6tTia5RZ5AgY
ZNfTf1rtmd4L5PapugNahioUgEHBgCzP2qeI6PopmBj3guSBDSAvbgmJ5GAbCsma
FZgJ8cxDOO3L55qSHL4OIn/D0bG54/szmYYrh6pa6QBCBkKC8AhkijTuSv5VjZn0
PZCL5zw1ossygIQJaey2otuYVqjR9g==
-----END CERTIFICATE-----`;
const CSR = `-----BEGIN CERTIFICATE REQUEST-----
MIICdTCCAV0CAQAwMDEXMBUGA1UEAwwOc3lzdGVtOm5vZGU6bjExFTATBgNVBAoM
DHN5c3RlbTpub2RlczCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAOIj
8xnmn6FtpwHB2+tbp9e6SroL88QaJv+fkgk9DOOIG2zq87SaSQOmpq91RQT+m14L
yM5kLsTfDCWsWsgX2X/qN29c0cw+lk8sLRrvxQLmvNaHdmMb7OCf+3QJtot2gRRn
Z1FovP10ctuP39jamBHhXualMP18POE8pKCwabnwbpjwInyk9RnLPe3nBz+UYM4G
ZBI+7J36PPt0OUe6ctuSZ6naoZ6My7fIxgl94SQoWeyaiYcxFK8i8Qc8BPSg6Rcb
k2l/sNfnRG761WWtNP644pGZfx3GscwH8bwyAVU4HucOLW7GDZ3F79QNY1ZZW6Cy
viL3Du7L1F2OS2PrZAECAwEAAaAAMA0GCSqGSIb3DQEBCwUAA4IBAQClZJtb3n6v
cqV8rLOv0xuhdpoiyi5C2+2AP6HRrbTMjqh/2IrW4t31Ai5sd2IgJ65j9IGmMySo
m2E0q2Udo3/rPQVAwX+rltDExAnguApSz3Q7fBlzZyfAsOwvk9CKUl6wHRb/VCxQ
CAuJ+iT0oITdTwjGCgVe3YP1OG7f4Tc34KSaeTd1/6WqrW3N3Tf5ayfldWuy7SwX
HUVYC0Er66pZPzMW3aLJBy0zMydF7cHYbsZmX9z2XNyqFG4H7hQnZBBXoABgvcJU
ZKJijzE0UFbEgwX7DwuZPOTy2LaKYIJJSdSt1pN85GZQNDf5ecG/ePI7XSma4SOq
83J0arnknhrZ
-----END CERTIFICATE REQUEST-----`;

const decode = (pem: string) =>
  evaluateJmespath('x509_decode(pem)', { pem }) as Record<string, any>;

describe('Kyverno docs, JMESPath → Custom Filters: x509_decode', () => {
  it("decodes a certificate into the fields of Go's x509.Certificate", () => {
    const cert = decode(CERT);
    const reference = new X509Certificate(CERT);
    expect(cert.Subject.CommonName).toBe('web.team-a.svc');
    expect(cert.Subject.Organization).toEqual(['Acme']);
    expect(cert.Subject.Locality).toBeNull();
    expect(cert.Issuer.CommonName).toBe('web.team-a.svc');
    expect(cert.Version).toBe(3);
    expect(cert.SignatureAlgorithm).toBe(4); // x509.SHA256WithRSA
    expect(cert.PublicKeyAlgorithm).toBe(1); // x509.RSA
    expect(cert.DNSNames).toEqual(['web.team-a.svc', 'web']);
    expect(cert.IPAddresses).toEqual(['10.0.0.1']);
    expect(cert.EmailAddresses).toEqual(['ops@acme.io']);
    expect(cert.KeyUsage).toBe(5); // DigitalSignature | KeyEncipherment
    expect(cert.ExtKeyUsage).toEqual([1, 2]); // ServerAuth, ClientAuth
    expect(cert.BasicConstraintsValid).toBe(true);
    expect(cert.IsCA).toBe(false);
    expect(cert.MaxPathLen).toBe(-1);
    expect(Date.parse(cert.NotAfter)).toBe(Date.parse(reference.validTo));
    expect(Date.parse(cert.NotBefore)).toBe(Date.parse(reference.validFrom));
    expect(cert.SerialNumber).toBe(
      Number(BigInt(`0x${reference.serialNumber}`)),
    );
    const jwk = createPublicKey(CERT).export({ format: 'jwk' });
    expect(cert.PublicKey).toEqual({
      N: BigInt(
        `0x${Buffer.from(jwk.n!, 'base64url').toString('hex')}`,
      ).toString(),
      E: 65537,
    });
    expect(Buffer.from(cert.Raw, 'base64').equals(reference.raw)).toBe(true);
  });

  it('decodes a certificate request', () => {
    const csr = decode(CSR);
    expect(csr.Subject.CommonName).toBe('system:node:n1');
    expect(csr.Subject.Organization).toEqual(['system:nodes']);
    expect(csr.Version).toBe(0);
  });

  it('works with base64_decode and in paths, as the docs show', () => {
    const data = { crt: btoa(CERT) };
    expect(
      evaluateJmespath(
        'x509_decode(base64_decode(crt)).Subject.CommonName',
        data,
      ),
    ).toBe('web.team-a.svc');
  });

  it('rejects what is not a PEM certificate', () => {
    expect(() => decode('not pem')).toThrow(JmespathError);
  });
});
