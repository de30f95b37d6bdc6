import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RenderedReport, ReportFormat } from '@ciem/rightsizing-reports';
import { REPORT_FORMATS, reportFileName } from '@ciem/rightsizing-reports';
import { folderWriteError } from './errors.js';

/** Every report format, in the order files are written. */
export const ALL_FORMATS: readonly ReportFormat[] = Object.keys(REPORT_FORMATS) as ReportFormat[];

/**
 * Writes each report in each format to `folder` as `<baseName>.<ext>`
 * (`account-111122223333.html`, `team-payments.csv`), creating the folder. Each file is
 * written to a temporary name and renamed, so a reader never sees half a file and a run
 * replaces the previous run's files. Returns the paths written. Throws
 * `CIEM_RIGHTSIZING_DELIVERY_FOLDER_WRITE_FAILED` (a `DependencyError`).
 */
export async function writeReportsToFolder(
  folder: string,
  reports: readonly RenderedReport[],
  formats: readonly ReportFormat[] = ALL_FORMATS,
): Promise<string[]> {
  try {
    await mkdir(folder, { recursive: true });
  } catch (error) {
    throw folderWriteError(folder, error);
  }
  const written: string[] = [];
  for (const report of reports) {
    for (const format of formats) {
      const file = path.join(folder, reportFileName(report, format));
      const temporary = `${file}.${process.pid}.tmp`;
      try {
        await writeFile(temporary, report[format], 'utf8');
        await rename(temporary, file);
      } catch (error) {
        throw folderWriteError(file, error);
      }
      written.push(file);
    }
  }
  return written;
}
