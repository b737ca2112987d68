// Does the MI-OPT surrogate's gradient follow the data? Replays the candidate
// sets recorded in MI-OPT run folders (θ_k and the MINE estimate of each) through
// the MLP surrogate as the loop fits it (transfer learning: warm start every
// iteration), and compares the surrogate's gradient at θ with the candidates'
// own linear trend (least-squares plane through the K points), for several L2
// weight decays. A surrogate that fits the noise has a gradient at θ that points
// anywhere; the step then moves the design against what the candidates show.
// Usage: npx tsx benchmarks/mi-surrogate-replay.ts <mi-opt run dir> [more run dirs] [--decays 1e-4,3e-3,1e-2,3e-2]
import { initBackend, backendInfo } from '../lib/backend.ts';
import { RunFolder } from '../lib/history.ts';
import { Rng } from '../lib/random.ts';
import { tf } from '../lib/tf.ts';
import { candidatePlane } from '../lib/step-evidence.ts';
import { MlpSurrogate } from '../surrogates/mlp.ts';
import { MI_OPT_SURROGATE } from '../pipelines/mi-opt.ts';
import { stageLogger, table, writeSection } from './results.ts';

const argv = process.argv.slice(2);
const decaysAt = argv.indexOf('--decays');
const decaysArg = decaysAt >= 0 ? argv[decaysAt + 1] : undefined;
// run folders: every argument that is neither a flag nor the value after --decays
const dirs = argv.filter((a, i) => !a.startsWith('--') && !(decaysAt >= 0 && i === decaysAt + 1));
if (dirs.length === 0) {
  console.error('usage: npx tsx benchmarks/mi-surrogate-replay.ts <mi-opt run dir> [more run dirs]');
  process.exit(2);
}
const DECAYS = (decaysArg ?? '1e-4,3e-3,1e-2,3e-2').split(',').map(Number);
if (DECAYS.some((d) => !(d >= 0))) {
  console.error(`--decays: a comma-separated list of weight decays ≥ 0 (got ${decaysArg})`);
  process.exit(2);
}
await initBackend(undefined, { quiet: true });
const log = stageLogger();
const t0 = performance.now();

const cosine = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0) / (Math.hypot(...a) * Math.hypot(...b) + 1e-30);

const rows: (string | number)[][] = [];
for (const dir of dirs) {
  const folder = new RunFolder(dir);
  const config = folder.readConfig<{ problem: string; events: number; candidates: number; seed: number; sigma?: number }>();
  if (config.problem !== 'mi-opt') throw new Error(`${dir}: problem is ${config.problem}, not mi-opt`);
  const history = folder.readHistory();
  if (history.length === 0) throw new Error(`${dir}: no iterations in history.jsonl`);
  const dim = history[0]!.theta.length;
  for (const weightDecay of DECAYS) {
    // the pipeline's surrogate (pipelines/mi-opt.ts): 4-layer MLP, inputs centred on the start in units of 3σ
    const surrogate = new MlpSurrogate({ center: new Array(dim).fill(1), scale: new Array(dim).fill(3 * (config.sigma ?? 1.5)), hidden: [...MI_OPT_SURROGATE.hidden], weightDecay, seed: `${config.seed}/surrogate-init` });
    const rng = new Rng(`replay/${config.seed}`);
    const cos: number[] = [];
    for (const [i, rec] of history.entries()) {
      await surrogate.fit({ theta: rec.candidates, target: rec.delta.perCandidate }, { warmStart: i > 0, rng });
      const g = tf.tidy(() => Array.from(tf.grad((t: tf.Tensor) => surrogate.predict(t as tf.Tensor1D))(tf.tensor1d(rec.theta)).dataSync()));
      cos.push(cosine(g, candidatePlane(rec.candidates, rec.delta.perCandidate, rec.theta, new Array(dim).fill(1))!.slope));
    }
    surrogate.dispose();
    const label = dir.split('/').filter(Boolean).slice(-2).join('/');
    rows.push([label, `M = ${config.events}`, weightDecay.toExponential(0), (cos.reduce((a, b) => a + b, 0) / cos.length).toFixed(2), `${cos.filter((c) => c > 0).length} / ${cos.length}`]);
    log(`${label}: weight decay ${weightDecay} done`);
  }
}

const body = `
Recorded MI-OPT iterations replayed through the MLP surrogate (64-64-64 ELU, 300 epochs, warm start each iteration as with
transfer learning; targets the recorded MINE estimates of the K candidates). "cos" compares the surrogate's gradient at θ with
the slope of the least-squares plane through the candidates; "agree" counts iterations where the two point the same way (cos > 0).
The runs were recorded with weight decay 1e-4 (MI-OPT's setting before this benchmark; now ${MI_OPT_SURROGATE.weightDecay}), so later iterations
replay designs that surrogate chose. Took ${((performance.now() - t0) / 1000).toFixed(0)} s.

${table(['run', 'events per candidate', 'weight decay', 'mean cos', 'agree'], rows)}
`;
writeSection('mi-surrogate-replay', 'MI-OPT surrogate: does its gradient follow the candidates?', `npx tsx benchmarks/mi-surrogate-replay.ts ${dirs.join(' ')}${decaysArg ? ` --decays ${decaysArg}` : ''}`, body, backendInfo().name);
console.log(body);
