// Worker threads whose entry is a TypeScript module, spoken to by request and
// reply. Node 20 does not apply an `--import tsx` from execArgv to a worker's own
// entry module, so the worker starts from a tiny bootstrap that registers tsx's
// ESM hooks inside the thread and then imports the entry. Both URLs are resolved
// here, so the worker finds them whatever the cwd.
import { Worker } from 'node:worker_threads';

/** Starts `entry` (a .ts module URL) in a new worker thread, unref'ed: an idle worker must not keep the process alive. */
export function startTsWorker(entry: URL): Worker {
  const api = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const source = `import(${api}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); }).catch((e) => { setImmediate(() => { throw e; }); });`;
  const worker = new Worker(source, { eval: true });
  worker.unref();
  return worker;
}

/**
 * One worker thread answering requests: each request carries an `id` and the entry posts one reply
 * with the same `id`. The thread keeps the process alive only while a request is pending. If the
 * thread fails or exits, every pending request rejects with the reason and `dead` turns true.
 */
export class RequestWorker<Req extends { id: number }, Res extends { id: number }> {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (r: Res) => void; reject: (e: Error) => void }>();
  dead = false;

  constructor(entry: URL, label: string) {
    this.worker = startTsWorker(entry);
    this.worker.on('message', (res: Res) => {
      const p = this.pending.get(res.id);
      if (!p) return;
      this.pending.delete(res.id);
      if (this.pending.size === 0) this.worker.unref();
      p.resolve(res);
    });
    this.worker.on('error', (err) => this.die(new Error(`${label} thread failed: ${err.message}`)));
    this.worker.on('exit', (code) => this.die(new Error(`${label} thread exited with code ${code}`)));
  }

  private die(err: Error): void {
    this.dead = true;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  /** Sends a request (`transfer`: buffers to move instead of copying) and waits for its reply. */
  request(req: Req, transfer: ArrayBuffer[] = []): Promise<Res> {
    if (this.dead) return Promise.reject(new Error('request to a dead worker thread'));
    return new Promise((resolve, reject) => {
      this.pending.set(req.id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage(req, transfer);
    });
  }

  terminate(): Promise<number> {
    this.dead = true;
    return this.worker.terminate();
  }
}

/** Numbered worker threads of one entry: slot i is started on first use, and again if its thread died. */
export class WorkerSlots<Req extends { id: number }, Res extends { id: number }> {
  private slots: RequestWorker<Req, Res>[] = [];

  constructor(
    private readonly entry: URL,
    private readonly label: string,
  ) {}

  get(i: number): RequestWorker<Req, Res> {
    const w = this.slots[i];
    if (w && !w.dead) return w;
    const fresh = new RequestWorker<Req, Res>(this.entry, this.label);
    this.slots[i] = fresh;
    return fresh;
  }

  async terminate(): Promise<void> {
    const ws = this.slots;
    this.slots = [];
    await Promise.all(ws.map((w) => w.terminate()));
  }
}
