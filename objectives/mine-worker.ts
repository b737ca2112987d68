// Worker-thread entry: trains one slice of the MINE estimators with its own
// TensorFlow.js instance (the wasm backend is single-threaded, so two workers
// use two cores). Started by mine-pool.ts through lib/worker-thread.ts, which registers tsx.
import { parentPort } from 'node:worker_threads';
import { initBackend } from '../lib/backend.ts';
import { trainMembers } from './mine-train.ts';
import type { MineSliceRequest, MineSliceResponse } from './mine-pool.ts';

if (!parentPort) throw new Error('mine-worker: must run as a worker thread');
const port = parentPort;

port.on('message', async (req: MineSliceRequest) => {
  const t0 = performance.now();
  try {
    await initBackend(req.backend, { quiet: true });
    const results = trainMembers(req.datasets, req.seeds, req.options);
    const res: MineSliceResponse = { id: req.id, ok: true, results, seconds: (performance.now() - t0) / 1000 };
    port.postMessage(res);
  } catch (err) {
    const res: MineSliceResponse = { id: req.id, ok: false, error: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) };
    port.postMessage(res);
  }
});
