// A small pool of worker threads, each training a slice of the MINE
// estimators (objectives/mine-worker.ts). Data goes over as copies whose
// buffers are transferred (no second copy; the caller's arrays stay usable).
//
// What is guaranteed: every dataset's estimate depends only on its data, its
// seed and the options, never on which worker or slice trained it or how
// many workers there are (each member has its own Rng and its own 2-D
// kernels; see mine-network.ts). Only wall time depends on scheduling.
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../lib/worker-thread.ts';
import type { MineDataset, MineEstimate, MineOptions } from './mine-train.ts';

export interface MineSliceRequest {
  id: number;
  backend: string;
  datasets: MineDataset[];
  seeds: string[];
  options: MineOptions;
}

export type MineSliceResponse =
  | { id: number; ok: true; results: MineEstimate[]; seconds: number }
  | { id: number; ok: false; error: string };

interface Pending {
  resolve: (r: MineEstimate[]) => void;
  reject: (e: Error) => void;
}

class MineWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private busy = 0;

  constructor() {
    this.worker = startTsWorker(new URL('./mine-worker.ts', import.meta.url));
    this.worker.on('message', (res: MineSliceResponse) => {
      const p = this.pending.get(res.id);
      if (!p) return;
      this.pending.delete(res.id);
      this.setBusy(-1);
      if (res.ok) p.resolve(res.results);
      else p.reject(new Error(`mine worker: ${res.error}`));
    });
    this.worker.on('error', (err) => this.failAll(err));
    this.worker.on('exit', (code) => {
      if (this.pending.size > 0) this.failAll(new Error(`mine worker exited with code ${code}`));
    });
  }

  private setBusy(delta: number): void {
    this.busy += delta;
    if (this.busy > 0) this.worker.ref();
    else this.worker.unref();
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    this.busy = 0;
    this.worker.unref();
  }

  run(req: MineSliceRequest): Promise<MineEstimate[]> {
    return new Promise((resolve, reject) => {
      this.pending.set(req.id, { resolve, reject });
      this.setBusy(1);
      const transfer: ArrayBuffer[] = [];
      for (const d of req.datasets) transfer.push(d.a.buffer as ArrayBuffer, d.b.buffer as ArrayBuffer);
      this.worker.postMessage(req, transfer);
    });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

export class MineWorkerPool {
  readonly size: number;
  private workers: MineWorker[] = [];
  private nextId = 1;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`workers: must be a positive integer (got ${size})`);
    this.size = size;
  }

  private worker(i: number): MineWorker {
    while (this.workers.length <= i) this.workers.push(new MineWorker());
    return this.workers[i]!;
  }

  /**
   * Deals the datasets out to the workers in turn (dataset i to worker
   * i mod size: neighbouring candidates tend to need similar epochs, so this
   * balances the slices better than contiguous blocks), trains the slices in
   * parallel and returns the estimates in input order.
   */
  async train(datasets: MineDataset[], seeds: string[], options: MineOptions, backend: string): Promise<MineEstimate[]> {
    const slices = Math.min(this.size, datasets.length);
    const members = Array.from({ length: slices }, (_, s) => datasets.map((_, i) => i).filter((i) => i % slices === s));
    const parts = await Promise.all(
      members.map((idx, s) => {
        const req: MineSliceRequest = {
          id: this.nextId++,
          backend,
          // copies, so transferring their buffers leaves the caller's data intact
          datasets: idx.map((i) => {
            const d = datasets[i]!;
            return { ...d, a: d.a.slice(), b: d.b.slice() };
          }),
          seeds: idx.map((i) => seeds[i]!),
          options,
        };
        return this.worker(s).run(req);
      }),
    );
    const out: MineEstimate[] = new Array(datasets.length);
    members.forEach((idx, s) => idx.forEach((i, j) => (out[i] = parts[s]![j]!)));
    return out;
  }

  async terminate(): Promise<void> {
    const ws = this.workers;
    this.workers = [];
    await Promise.all(ws.map((w) => w.terminate()));
  }
}
