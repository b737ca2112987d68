#!/usr/bin/env node
// A sample external simulator for `problem: "command"` (README, "Your own simulator"): it speaks the
// protocol of lib/simulators/external-command.ts, and a Geant4 or Python program replaces it by
// doing the same. Reads {"theta": {...}, "events": M, "seed": s} on stdin and writes
// {"x": [M truths], "y": [M responses]} on stdout. Toy physics: y = Σ (θ_i − 3)² + 2·noise per
// event, so the expected objective is minimal (0) with every parameter at 3.
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => (input += d));
process.stdin.on('end', () => {
  const { theta, events, seed } = JSON.parse(input);
  // mulberry32: a small seeded generator, so the same request gives the same events
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const distance = Object.values(theta).reduce((s, v) => s + (v - 3) ** 2, 0);
  const x = [];
  const y = [];
  for (let e = 0; e < events; e++) {
    x.push(uniform());
    y.push(distance + 2 * normal());
  }
  process.stdout.write(JSON.stringify({ x, y }) + '\n');
});
