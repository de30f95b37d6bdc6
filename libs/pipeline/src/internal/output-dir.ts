import { InputError } from '@ciem/errors';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Creates the output folder, or checks that an existing path is a folder.
 *
 * The parent is created with `recursive` only when it is missing, and the folder itself
 * without it. Node 20's recursive `mkdir` never settles for a path under a pseudo file
 * system such as `/proc`, while the plain call fails at once with a code to report.
 *
 * @throws InputError `CIEM_RUN_OUTPUT_UNUSABLE` when the path is a file or cannot be created.
 */
export async function prepareOutputDir(dir: string): Promise<void> {
  const existing = await stat(dir).catch(() => undefined);
  if (existing?.isDirectory()) return;
  if (existing !== undefined) {
    throw unusable(dir, 'it is a file, not a folder; pick another --out path');
  }
  const parent = path.dirname(dir);
  try {
    if ((await stat(parent).catch(() => undefined)) === undefined) {
      await mkdir(parent, { recursive: true });
    }
    await mkdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw unusable(dir, `creating it failed with ${code}; pick a folder you can write to`, error);
  }
}

function unusable(dir: string, reason: string, cause?: unknown): InputError {
  return new InputError('CIEM_RUN_OUTPUT_UNUSABLE', `output folder ${dir} is unusable: ${reason}`, {
    cause,
    details: { output: dir },
  });
}
