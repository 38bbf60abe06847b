/**
 * Config bundles: one standard zip per agent with its config files, keys, a README with the next
 * steps, the connectivity report and manifest.json (per file: path, size, SHA-256, mode, secret).
 *
 * - Written with fflate; Unix modes are kept in each entry's external attributes, so `unzip`
 *   restores them. Secret files can be encrypted with a passphrase: AES-256-GCM, one scrypt per
 *   export and a key per file from it (HKDF, fresh salt and nonce per file; see KeySession), the
 *   file's path authenticated with it. The
 *   manifest's SHA-256 is sealed the same way (manifest.json.auth), so with the passphrase the
 *   plain files are authenticated too. The passphrase is never stored.
 * - Read with yauzl from the central directory (the source of truth for names, sizes and modes).
 *   Hostile bundles are refused before anything is written: unsafe names ('..', absolute,
 *   drive letters, backslashes), symlinks and other special files, duplicate names (also
 *   case-insensitively), too many entries, too much uncompressed data (counted while
 *   inflating, not trusted from headers), suspicious compression ratios, entries the manifest
 *   does not list, checksums that do not match, a wrong passphrase.
 *
 * One file per stage: seal (passphrase encryption), collect (what goes in), create (packing and
 * writing), zip-read (hostile-zip checks), open (manifest and seal checks), import (unpacking).
 */
export { DEFAULT_LIMITS, type BundleFile, type BundleLimits } from './common';
export { decryptFile, encryptFile, keySession, type KeySession } from './seal';
export { artifactsToFiles, classifySecret, collectFolder, generatedParts } from './collect';
export { createBundle, writeBundle, type BundleOptions, type CreatedBundle } from './create';
export { readBundleFile } from './zip-read';
export { describeProblems, openBundle, type CheckedFile, type OpenedBundle } from './open';
export { importBundle, planImport, unpackMode, type ImportPlanItem, type ImportResult } from './import';
