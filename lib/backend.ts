// Chooses the TensorFlow.js backend at start-up, best first:
// tfjs-node-gpu (CUDA) → tfjs-node (libtensorflow) → wasm (SIMD) → cpu.
// The native packages are optional dependencies: their install downloads
// libtensorflow and is skipped on machines without internet.
import { createRequire } from 'node:module';
import { tf } from './tf.ts';

export const BACKEND_NAMES = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Accepted spellings for DETOPT_BACKEND / --backend. */
const ALIASES: Record<string, BackendName> = {
  'tensorflow-gpu': 'tensorflow-gpu',
  'tfjs-node-gpu': 'tensorflow-gpu',
  gpu: 'tensorflow-gpu',
  cuda: 'tensorflow-gpu',
  tensorflow: 'tensorflow',
  'tfjs-node': 'tensorflow',
  node: 'tensorflow',
  native: 'tensorflow',
  wasm: 'wasm',
  cpu: 'cpu',
};

export interface BackendInfo {
  name: BackendName;
  /** the tfjs backend id actually registered (tfjs-node-gpu also registers as 'tensorflow') */
  tfBackend: string;
  forced: boolean;
  /** why the better backends were skipped */
  skipped: { name: BackendName; reason: string }[];
}

let current: BackendInfo | null = null;
const require = createRequire(import.meta.url);

export function parseBackendName(raw: string, field = 'backend'): BackendName {
  const name = ALIASES[raw.trim().toLowerCase()];
  if (!name) {
    throw new Error(`${field}: unknown backend "${raw}" (choose one of ${BACKEND_NAMES.join(', ')})`);
  }
  return name;
}

async function tryLoad(name: BackendName): Promise<string> {
  switch (name) {
    case 'tensorflow-gpu': {
      require.resolve('@tensorflow/tfjs-node-gpu');
      await import('@tensorflow/tfjs-node-gpu' as string);
      if (!(await tf.setBackend('tensorflow'))) throw new Error('tfjs-node-gpu did not register');
      return 'tensorflow';
    }
    case 'tensorflow': {
      require.resolve('@tensorflow/tfjs-node');
      await import('@tensorflow/tfjs-node' as string);
      if (!(await tf.setBackend('tensorflow'))) throw new Error('tfjs-node did not register');
      return 'tensorflow';
    }
    case 'wasm': {
      await import('@tensorflow/tfjs-backend-wasm');
      if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend failed to initialise');
      return 'wasm';
    }
    case 'cpu': {
      if (!(await tf.setBackend('cpu'))) throw new Error('cpu backend failed to initialise');
      return 'cpu';
    }
  }
}

/**
 * Initialises the backend once per process. `requested` (or DETOPT_BACKEND)
 * forces one backend; a forced backend that cannot load is an error, never a
 * silent fallback.
 */
export async function initBackend(requested?: string, opts: { quiet?: boolean } = {}): Promise<BackendInfo> {
  const raw = requested ?? process.env.DETOPT_BACKEND;
  const forced = raw !== undefined && raw !== '' && raw !== 'auto';
  if (current) {
    if (forced && parseBackendName(raw!) !== current.name) {
      throw new Error(`backend: already initialised as ${current.name}, cannot switch to ${raw} in the same process`);
    }
    return current;
  }
  const skipped: BackendInfo['skipped'] = [];
  const order: readonly BackendName[] = forced ? [parseBackendName(raw!)] : BACKEND_NAMES;
  for (const name of order) {
    try {
      const tfBackend = await tryLoad(name);
      await tf.ready();
      current = { name, tfBackend, forced, skipped };
      if (!opts.quiet) process.stderr.write(`detopt: TensorFlow.js backend = ${name}\n`);
      return current;
    } catch (err) {
      const reason = err instanceof Error ? err.message.split('\n')[0]! : String(err);
      if (forced) throw new Error(`backend: forced backend "${name}" could not be loaded: ${reason}`);
      skipped.push({ name, reason });
    }
  }
  throw new Error(`backend: no TensorFlow.js backend could be loaded (${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')})`);
}

/** The backend in use; throws if initBackend has not run. */
export function backendInfo(): BackendInfo {
  if (!current) throw new Error('backend: initBackend() has not been called');
  return current;
}
