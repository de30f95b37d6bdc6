/**
 * Shows that `ciem run` streams: it generates a large simulated estate (about 5 GB of
 * uncompressed logs by default), runs the real `ciem run` over it in a child process and
 * prints the child's peak resident set size (VmHWM from /proc, Linux only) beside the input
 * size and the throughput. Goal: the peak stays under 500 MB whatever the input size.
 *
 * Size knobs (environment): CIEM_BENCH_PRINCIPALS (default 2000), CIEM_BENCH_DAYS (30),
 * CIEM_BENCH_EVENTS_PER_DAY (45), CIEM_BENCH_DIR (default a temporary folder, removed after).
 * Run with `npx nx run @ciem/cross-service-tests:bench-run-memory`.
 */
import { createDirectorySink, simulateEstate } from '@ciem/simulator';
import { repoRoot } from '@ciem/testing';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const principals = Number(process.env.CIEM_BENCH_PRINCIPALS ?? 2000);
const days = Number(process.env.CIEM_BENCH_DAYS ?? 30);
const eventsPerDay = Number(process.env.CIEM_BENCH_EVENTS_PER_DAY ?? 45);
const keepDir = process.env.CIEM_BENCH_DIR;
const workDir = keepDir ?? (await mkdtemp(path.join(tmpdir(), 'ciem-bench-run-')));
const estateDir = path.join(workDir, 'estate');

console.log(
  `generating ${principals} principals × ${days} days × ${eventsPerDay} events per day into ${estateDir}`,
);
const generateStart = performance.now();
const estate = await simulateEstate(
  { seed: 'bench', principals, days, eventsPerDay, start: Date.UTC(2024, 0, 1) },
  createDirectorySink(estateDir, { gzip: false }),
);
const generateSeconds = (performance.now() - generateStart) / 1000;
const events = Object.values(estate.events).reduce((sum, count) => sum + count, 0);
console.log(
  `generated ${events.toLocaleString('en-US')} events, ${(estate.bytes / 2 ** 30).toFixed(2)} GiB in ${generateSeconds.toFixed(0)} s`,
);

/** Reads the peak resident set size of a process, in bytes, from /proc (Linux). */
async function peakResidentBytes(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

const runStart = performance.now();
const child = spawn(
  process.execPath,
  [
    path.join(repoRoot, 'services', 'cli', 'bin', 'ciem.js'),
    'run',
    path.join(estateDir, 'aws', 'cloudtrail'),
    path.join(estateDir, 'azure', 'activity'),
    path.join(estateDir, 'gcp', 'audit'),
    '--out',
    path.join(workDir, 'out'),
    '--json',
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
let output = '';
child.stdout.on('data', (chunk: Buffer) => {
  output += chunk.toString('utf8');
});
let peak = 0;
const sampler = setInterval(() => {
  void peakResidentBytes(child.pid!).then((bytes) => {
    if (bytes !== undefined && bytes > peak) peak = bytes;
  });
}, 200);
const exitCode = await new Promise<number | null>((resolve) => child.on('exit', resolve));
clearInterval(sampler);
const runSeconds = (performance.now() - runStart) / 1000;
if (exitCode !== 0) throw new Error(`ciem run exited with ${exitCode}`);

const summary = JSON.parse(output) as {
  bytes_read: number;
  providers: Record<string, { read: number }>;
};
const read = Object.values(summary.providers).reduce((sum, counts) => sum + counts.read, 0);
console.log(
  [
    `ciem run: ${(summary.bytes_read / 2 ** 30).toFixed(2)} GiB, ${read.toLocaleString('en-US')} records in ${runSeconds.toFixed(0)} s`,
    `throughput: ${(summary.bytes_read / 2 ** 20 / runSeconds).toFixed(1)} MiB/s, ${Math.round(read / runSeconds).toLocaleString('en-US')} records/s`,
    `peak resident set size of ciem run: ${(peak / 2 ** 20).toFixed(0)} MiB (goal: under 500 MiB)`,
    `peak RSS / input size: ${(peak / summary.bytes_read).toFixed(4)}`,
  ].join('\n'),
);
if (keepDir === undefined) await rm(workDir, { recursive: true, force: true });
