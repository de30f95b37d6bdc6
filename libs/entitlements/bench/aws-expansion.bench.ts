/**
 * Benchmark of AWS entitlement evaluation on generated estates of 2,500, 5,000 and 10,000
 * principals: parse, expand, evaluate and find risks. Prints time, heap and RSS per size,
 * the time ratio per doubling (goal: at most 2.2, fastest of three runs) and whether 10,000 principals fit in a
 * 2 GB heap. Run with the Nx `bench` target, which sets `--max-old-space-size=2048` and
 * `--expose-gc`:
 *
 *   npx nx run @ciem/entitlements:bench
 */
import { performance } from 'node:perf_hooks';
import {
  countGrants,
  evaluateAwsEntitlements,
  parseAwsAuthorizationDetails,
  PermissionSetCache,
  PermissionTable,
} from '../src/index.js';
import type { AwsEntitlementsResult } from '../src/index.js';
import { generateAwsEstate } from './aws-estate-generator.js';

const SIZES = [2_500, 5_000, 10_000];
const HEAP_LIMIT_BYTES = 2 * 1024 ** 3;
const RATIO_GOAL = 2.2;
// The machine may be shared, so each size runs this many times and the fastest run counts.
const REPETITIONS = 3;

const gc = (globalThis as { gc?: () => void }).gc;
const megabytes = (bytes: number): string => `${(bytes / 1024 ** 2).toFixed(0)} MB`;

interface Measure {
  size: number;
  milliseconds: number;
  heapUsed: number;
  arrayBuffers: number;
  rss: number;
  grants: number;
  groups: number;
  combinations: number;
  findings: number;
}

function run(size: number): Measure {
  const estate = generateAwsEstate(size);
  gc?.();
  const started = performance.now();
  const details = parseAwsAuthorizationDetails([{ source: `generated-${size}`, value: estate }]);
  const result: AwsEntitlementsResult = evaluateAwsEntitlements(details, {
    cache: new PermissionSetCache(new PermissionTable()),
  });
  // Expansion is lazy: count every principal's grants so each shared set is expanded.
  let grants = 0;
  let findings = 0;
  const distinctGroups = new Set<unknown>();
  for (const principal of result.principals) {
    grants += countGrants(principal);
    findings += principal.findings.length;
    for (const group of principal.grant_groups) distinctGroups.add(group);
  }
  const milliseconds = performance.now() - started;
  gc?.();
  const memory = process.memoryUsage();
  // Keep the result alive until memory is measured.
  if (result.principals.length !== size) throw new Error('principal count mismatch');
  return {
    size,
    milliseconds,
    heapUsed: memory.heapUsed,
    arrayBuffers: memory.arrayBuffers,
    rss: memory.rss,
    grants,
    groups: distinctGroups.size,
    combinations: result.stats.distinctCombinations,
    findings,
  };
}

function main(): void {
  if (gc === undefined) console.log('note: run with --expose-gc for heap figures after collection');
  // Warm-up: loads the action catalog (about 0.3 s) and lets the JIT compile the hot paths,
  // so the first size is not charged for either.
  run(200);
  run(SIZES[0] as number);

  const measures: Measure[] = [];
  for (const size of SIZES) {
    let measure = run(size);
    for (let repetition = 1; repetition < REPETITIONS; repetition += 1) {
      const again = run(size);
      if (again.milliseconds < measure.milliseconds) measure = { ...again };
    }
    measures.push(measure);
    console.log(
      `${String(size).padStart(6)} principals: ${measure.milliseconds.toFixed(0).padStart(6)} ms, ` +
        `heap ${megabytes(measure.heapUsed)} + typed arrays ${megabytes(measure.arrayBuffers)}, ` +
        `rss ${megabytes(measure.rss)}, ` +
        `${measure.grants.toLocaleString('en')} expanded grants held in ${measure.groups} shared groups, ` +
        `${measure.combinations} distinct evaluations, ${measure.findings} findings`,
    );
  }

  let ratiosMet = true;
  for (let index = 1; index < measures.length; index += 1) {
    const previous = measures[index - 1] as Measure;
    const current = measures[index] as Measure;
    const ratio = current.milliseconds / previous.milliseconds;
    ratiosMet &&= ratio <= RATIO_GOAL;
    console.log(
      `time ratio ${current.size}/${previous.size}: ${ratio.toFixed(2)} (goal <= ${RATIO_GOAL})`,
    );
  }
  const largest = measures.at(-1) as Measure;
  // Typed arrays live outside the V8 heap, so they count against the 2 GB as well.
  const used = largest.heapUsed + largest.arrayBuffers;
  const fits = used < HEAP_LIMIT_BYTES && largest.rss < HEAP_LIMIT_BYTES;
  console.log(
    `${largest.size} principals ${fits ? 'fit' : 'do not fit'} in 2 GB: heap and typed arrays ` +
      `${megabytes(used)}, rss ${megabytes(largest.rss)}`,
  );
  if (!fits || !ratiosMet) process.exitCode = 1;
}

main();
