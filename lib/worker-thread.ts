// Starting a worker thread whose entry is a TypeScript module. Node 20 does not
// apply an `--import tsx` from execArgv to a worker's own entry module, so the
// worker starts from a tiny bootstrap that registers tsx's ESM hooks inside the
// thread and then imports the entry. Both URLs are resolved here, so the worker
// finds them whatever the cwd.
import { Worker } from 'node:worker_threads';

/** Starts `entry` (a .ts module URL) in a new worker thread, unref'ed: an idle worker must not keep the process alive. */
export function startTsWorker(entry: URL): Worker {
  const api = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const source = `import(${api}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); }).catch((e) => { setImmediate(() => { throw e; }); });`;
  const worker = new Worker(source, { eval: true });
  worker.unref();
  return worker;
}
