/** Types for bcrypt-pbkdf (the KDF of OpenSSH's private key format; no published types). */
declare module 'bcrypt-pbkdf' {
  /** OpenSSH's bcrypt_pbkdf: fills `key` (keylen bytes) from pass and salt; returns 0, or -1 on bad arguments. */
  export function pbkdf(pass: Uint8Array, passlen: number, salt: Uint8Array, saltlen: number, key: Uint8Array, keylen: number, rounds: number): number;
  const bcryptPbkdf: { pbkdf: typeof pbkdf };
  export default bcryptPbkdf;
}
