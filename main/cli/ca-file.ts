/** `--ca-file FILE` for the commands that take a company CA: PEM or DER, certificates only. */
import path from 'node:path';
import { readRegularFile, UserFileError } from '../services/user-file';
import { readCaBundle, type CaBundle } from '../services/probe/ca';
import { UsageError, errorText } from './types';

/** The certificates in `file` (relative to `cwd`); an unreadable file, a key or a non-certificate is a usage error. */
export async function readCaFileArg(file: string, cwd: string): Promise<CaBundle> {
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(path.resolve(cwd, file));
  } catch (error) {
    throw new UsageError(
      `--ca-file ${file}: cannot read it (${error instanceof UserFileError ? error.message : ((error as NodeJS.ErrnoException).code ?? 'error')})`,
    );
  }
  const ca = readCaBundle(new Uint8Array(bytes));
  if (!ca.ok) throw new UsageError(`--ca-file ${file}: ${errorText(ca.error)}`);
  return ca.value;
}
