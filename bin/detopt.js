#!/usr/bin/env node
// The CLI is written in TypeScript; tsx compiles it on the fly so that a fresh
// clone runs without a build step.
import { register } from 'tsx/esm/api';
register();
await import('../lib/cli/main.ts');
