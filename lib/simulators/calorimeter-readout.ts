// Readout smearing of the energy seen in one scintillator layer (see the model
// notes at the top of calorimeter.ts):  Gamma(ΔE/c², c²) × (1 + k z) [+ noise z'],
// clipped at 0. Written for the event loop: normals come in Box–Muller pairs
// (the spare is kept) and uniforms from single 32-bit draws, which together
// halve the cost of the rng calls that dominate the readout.
import type { Rng } from '../random.ts';
import { uniform32 as importedUniform32 } from './calorimeter-shower.ts';

const uniform32 = importedUniform32;

export class ReadoutSmearing {
  private readonly c2: number;
  private spare = 0;
  private hasSpare = false;

  /**
   * @param stochasticTerm c in √GeV (σ/E = c/√E); 0 = no photostatistics
   * @param constantTerm k, relative, per layer
   * @param noise Gaussian noise per layer in GeV
   * Make one per simulate call: the kept spare normal is part of the stream's state.
   */
  constructor(
    stochasticTerm: number,
    private readonly constantTerm: number,
    private readonly noise: number,
  ) {
    this.c2 = stochasticTerm * stochasticTerm;
  }

  /** The smeared reading (GeV, ≥ 0) of a layer that saw `seen` GeV. */
  smear(seen: number, rng: Rng): number {
    let v = seen;
    if (this.c2 > 0 && seen > 0) v = this.gamma(seen / this.c2, rng) * this.c2;
    if (this.constantTerm > 0 && v > 0) v *= 1 + this.constantTerm * this.normal(rng);
    if (this.noise > 0) v += this.noise * this.normal(rng);
    return v > 0 ? v : 0;
  }

  /** Standard normal (Box–Muller, both members of the pair used). */
  normal(rng: Rng): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    const r = Math.sqrt(-2 * Math.log(uniform32(rng)));
    const phi = 2 * Math.PI * uniform32(rng);
    this.spare = r * Math.sin(phi);
    this.hasSpare = true;
    return r * Math.cos(phi);
  }

  /** Gamma(shape, 1) by Marsaglia–Tsang (ACM TOMS 26, 2000); shape < 1 via the u^(1/shape) boost. */
  gamma(shape: number, rng: Rng): number {
    if (shape < 1) return this.gamma(shape + 1, rng) * Math.pow(uniform32(rng), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const z = this.normal(rng);
      let v = 1 + c * z;
      if (v <= 0) continue;
      v = v * v * v;
      const u = uniform32(rng);
      const z2 = z * z;
      if (u < 1 - 0.0331 * z2 * z2) return d * v; // squeeze: accepts ~98 % without a log
      if (Math.log(u) < 0.5 * z2 + d * (1 - v + Math.log(v))) return d * v;
    }
  }
}
