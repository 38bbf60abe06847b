/**
 * Child process for the kill test: writes two versions of a file through writeFileAtomic in a
 * loop, forever, until the parent kills it with SIGKILL at a random moment.
 */
import { unlinkSync } from 'node:fs';
import { writeFileAtomic } from '../../main/services/files';

const [target, sizeA, sizeB] = process.argv.slice(2) as [string, string, string];
const a = 'A'.repeat(Number(sizeA));
const b = 'B'.repeat(Number(sizeB));
let i = 0;
process.stdout.write('ready\n');
for (;;) {
  const r = await writeFileAtomic({ path: target, data: i++ % 2 ? a : b, secret: true });
  if (!r.ok) {
    process.stderr.write(`${r.error.code}: ${r.error.message}\n`);
    process.exit(3);
  }
  // The loop would otherwise pile up one backup per write; the service's backup path still runs.
  if (r.value.backupPath) unlinkSync(r.value.backupPath);
}
