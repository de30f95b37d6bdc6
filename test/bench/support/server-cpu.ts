import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The repository root, where `deploy/local/` keeps its servers' state under `.var/`. */
const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');

const SERVER_PID_FILES = [
  {
    name: 'Kafka broker',
    file: path.join(
      process.env.CIEM_LOCAL_KAFKA_STATE_DIR ?? path.join(REPO_ROOT, '.var/kafka'),
      'kafka.pid',
    ),
  },
  { name: 'ClickHouse server', file: path.join(REPO_ROOT, '.var/clickhouse/clickhouse.pid') },
];

/** Clock ticks per second of `/proc/<pid>/stat` times (`getconf CLK_TCK`, 100 on x86 and arm64 Linux). */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * Reads the CPU seconds (user and system) each local server has used so far, from Linux
 * `/proc`. A server whose pid file or process is missing, as with servers started some
 * other way, is left out.
 */
export function serverCpuSeconds(): Map<string, number> {
  const used = new Map<string, number>();
  for (const { name, file } of SERVER_PID_FILES) {
    try {
      const pid = readFileSync(file, 'utf8').trim();
      // Fields after the command name, which is in brackets and may contain spaces.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime are fields 14 and 15 of the file, so indexes 11 and 12 from field 3.
      used.set(name, (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND);
    } catch {
      // Not a local server of deploy/local, or not Linux: not measured.
    }
  }
  return used;
}
