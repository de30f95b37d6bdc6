#!/usr/bin/env node
// The `ciem` command runs the TypeScript sources through tsx, so a fresh clone needs no
// build step: `npm ci` and then `npx ciem --help`.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
