// A small pool of worker threads, each training a slice of the MINE
// estimators (objectives/mine-worker.ts). Data goes over as copies whose
// buffers are transferred (no second copy; the caller's arrays stay usable).
//
// What is guaranteed: every dataset's estimate depends only on its data, its
// seed and the options, never on which worker or slice trained it or how
// many workers there are (each member has its own Rng and its own 2-D
// kernels; see mine-network.ts). Only wall time depends on scheduling.
import { WorkerSlots } from '../lib/worker-thread.ts';
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

export class MineWorkerPool {
  readonly size: number;
  private readonly workers = new WorkerSlots<MineSliceRequest, MineSliceResponse>(new URL('./mine-worker.ts', import.meta.url), 'mine worker');
  private nextId = 1;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`workers: must be a positive integer (got ${size})`);
    this.size = size;
  }

  /** One slice trained in worker `i`; the datasets' buffers are transferred. */
  private async trainSlice(i: number, req: MineSliceRequest): Promise<MineEstimate[]> {
    const transfer = req.datasets.flatMap((d) => [d.a.buffer as ArrayBuffer, d.b.buffer as ArrayBuffer]);
    const res = await this.workers.get(i).request(req, transfer);
    if (!res.ok) throw new Error(`mine worker: ${res.error}`);
    return res.results;
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
        return this.trainSlice(s, req);
      }),
    );
    const out: MineEstimate[] = new Array(datasets.length);
    members.forEach((idx, s) => idx.forEach((i, j) => (out[i] = parts[s]![j]!)));
    return out;
  }

  terminate(): Promise<void> {
    return this.workers.terminate();
  }
}
