import path from 'node:path';

/**
 * Lists files for a one-line message: at most `limit` of them, then `… and N more`. Paths
 * under the working folder are shown relative to it, others in full.
 */
export function listForMessage(files: readonly string[], limit = 3): string {
  const shown = files.slice(0, limit).map((file) => {
    const relative = path.relative(process.cwd(), file);
    return relative === '' || relative.startsWith('..') || path.isAbsolute(relative)
      ? file
      : relative;
  });
  const more = files.length - shown.length;
  return more > 0 ? `${shown.join(', ')} … and ${more} more` : shown.join(', ');
}
