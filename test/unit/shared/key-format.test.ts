import { describe, expect, it } from 'vitest';
import { commentProblem, detectKey, MAX_KEY_TEXT } from '../../../shared/key-format';

// Bodies only need the right shape for detection; the crypto checks live in test/integration.
const OPENSSH_PLAIN = 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW' + 'QyNTUxOQAAACB'.padEnd(70, 'A');
const OPENSSH_AES = 'b3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABD'.padEnd(140, 'A');
const BODY = 'MIIEowIBAAKCAQEA'.padEnd(128, 'A');

const block = (label: string, body: string, headers = ''): string => `-----BEGIN ${label}-----\n${headers}${body}\n-----END ${label}-----\n`;

describe('detectKey', () => {
  it.each([
    ['OpenSSH, unencrypted', block('OPENSSH PRIVATE KEY', OPENSSH_PLAIN), 'openssh', false],
    ['OpenSSH, encrypted (aes256-ctr)', block('OPENSSH PRIVATE KEY', OPENSSH_AES), 'openssh', true],
    ['PKCS#1', block('RSA PRIVATE KEY', BODY), 'pkcs1', false],
    ['PKCS#1 with Proc-Type ENCRYPTED', block('RSA PRIVATE KEY', BODY, 'Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,0011223344556677\n\n'), 'pkcs1', true],
    ['PKCS#8', block('PRIVATE KEY', BODY), 'pkcs8', false],
    ['encrypted PKCS#8', block('ENCRYPTED PRIVATE KEY', BODY), 'pkcs8', true],
  ])('recognises %s', (_what, text, format, encrypted) => {
    expect(detectKey(text)).toMatchObject({ kind: 'private', format, encrypted });
  });

  it('finds the key inside an e-mail, with CRLF line ends, indentation and a BOM, and re-wraps it', () => {
    const mail = `\uFEFFHi, here is the key:\r\n\r\n   -----BEGIN RSA PRIVATE KEY-----\r\n   ${BODY.slice(0, 40)}\r\n   ${BODY.slice(40)}\r\n   -----END RSA PRIVATE KEY-----\r\nThanks`;
    const d = detectKey(mail);
    expect(d).toMatchObject({ kind: 'private', format: 'pkcs1' });
    if (d.kind === 'private') expect(d.block).toBe(`-----BEGIN RSA PRIVATE KEY-----\n${BODY.slice(0, 64)}\n${BODY.slice(64)}\n-----END RSA PRIVATE KEY-----\n`);
  });

  it('wraps OpenSSH keys at 70 columns, as ssh-keygen does', () => {
    const d = detectKey(block('OPENSSH PRIVATE KEY', OPENSSH_AES.replace(/(.{30})/g, '$1\n')));
    if (d.kind !== 'private') throw new Error(d.message);
    expect(d.block.split('\n')[1]).toHaveLength(70);
  });

  it.each([
    ['a public key line', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIrUBC6xa5rNEJ00aFlf0M/bMdZzhQkWDFpjJQ/N0pL3 me@host', 'public key'],
    ['a PEM public key', block('PUBLIC KEY', BODY), 'public key in PEM format'],
    ['an SSH2 public key', '---- BEGIN SSH2 PUBLIC KEY ----\nAAAAB3NzaC1yc2E=\n---- END SSH2 PUBLIC KEY ----', 'SSH2 format'],
    ['a certificate', block('CERTIFICATE', BODY), 'certificate'],
    ['a key without its END line', `-----BEGIN RSA PRIVATE KEY-----\n${BODY}\n`, 'cut off'],
    ['two keys', block('RSA PRIVATE KEY', BODY) + block('PRIVATE KEY', BODY), 'more than one private key'],
    ['characters no base64 has', block('RSA PRIVATE KEY', `${BODY.slice(0, 20)}*${BODY.slice(21)}`), 'cannot be in a key'],
    ['an OpenSSH label over other contents', block('OPENSSH PRIVATE KEY', BODY), 'its contents are not'],
    ['encrypted PEM without DEK-Info', block('RSA PRIVATE KEY', BODY, 'Proc-Type: 4,ENCRYPTED\n\n'), 'DEK-Info'],
    ['nothing', '   ', 'no key text'],
    ['a random text', 'hello world', 'not an SSH private key'],
    ['a huge text', 'A'.repeat(MAX_KEY_TEXT + 1), 'too long'],
  ])('calls %s malformed, saying what it is', (_what, text, words) => {
    const d = detectKey(text);
    expect(d.kind).toBe('malformed');
    if (d.kind !== 'private') expect(d.message).toContain(words);
  });

  it.each([
    ['ECDSA PEM', block('EC PRIVATE KEY', BODY), 'ECDSA'],
    ['DSA PEM', block('DSA PRIVATE KEY', BODY), 'DSA'],
    ['SSH.com keys', block('SSH2 ENCRYPTED PRIVATE KEY', BODY), 'ssh-keygen -i'],
    ['PuTTY keys', 'PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: x\n', 'PuTTYgen'],
  ])('calls %s unsupported, with how to convert', (_what, text, words) => {
    const d = detectKey(text);
    expect(d.kind).toBe('unsupported');
    if (d.kind === 'unsupported') expect(`${d.message} ${d.hint}`).toContain(words);
  });
});

describe('commentProblem', () => {
  it('accepts one printable line and refuses newlines, control characters and long text', () => {
    expect(commentProblem('agent@acme (prod)')).toBeUndefined();
    expect(commentProblem('a\nssh-rsa AAAA evil')).toContain('one line');
    expect(commentProblem('a\u0000b')).toContain('control');
    expect(commentProblem('x'.repeat(257))).toContain('256');
  });
});
