// Multi-fidelity test functions, written from their published formulas as
// given in the SFU Virtual Library of Simulation Experiments
// (Surjanovic & Bingham, https://www.sfu.ca/~ssurjano/multi.html).
// Inputs are in natural units within [lower, upper]; level 0 is the low fidelity.

export interface MultiFidelityFunction {
  name: string;
  dim: number;
  lower: number[];
  upper: number[];
  /** low → high fidelity */
  levels: ((x: readonly number[]) => number)[];
}

/** Forrester et al. (2008): f_H = (6x−2)² sin(12x−4), f_L = 0.5 f_H + 10(x−0.5) − 5 (A = 0.5, B = 10, C = −5). */
const forresterHigh = (x: readonly number[]): number => (6 * x[0]! - 2) ** 2 * Math.sin(12 * x[0]! - 4);
export const forrester: MultiFidelityFunction = {
  name: 'Forrester',
  dim: 1,
  lower: [0],
  upper: [1],
  levels: [(x) => 0.5 * forresterHigh(x) + 10 * (x[0]! - 0.5) - 5, forresterHigh],
};

/** Currin et al. (1988) exponential function on [0,1]²; the low fidelity averages four shifted copies (Xiong et al. 2013). */
function currinHigh(x: readonly number[]): number {
  const [x1, x2] = [x[0]!, x[1]!];
  const fact1 = x2 > 0 ? 1 - Math.exp(-1 / (2 * x2)) : 1; // limit x2 → 0⁺
  return (fact1 * (2300 * x1 ** 3 + 1900 * x1 ** 2 + 2092 * x1 + 60)) / (100 * x1 ** 3 + 500 * x1 ** 2 + 4 * x1 + 20);
}
export const currin: MultiFidelityFunction = {
  name: 'Currin',
  dim: 2,
  lower: [0, 0],
  upper: [1, 1],
  levels: [
    (x) => {
      const [x1, x2] = [x[0]!, x[1]!];
      const lo2 = Math.max(0, x2 - 0.05);
      return (
        0.25 * (currinHigh([x1 + 0.05, x2 + 0.05]) + currinHigh([x1 + 0.05, lo2])) +
        0.25 * (currinHigh([x1 - 0.05, x2 + 0.05]) + currinHigh([x1 - 0.05, lo2]))
      );
    },
    currinHigh,
  ],
};

/**
 * Park (1991) function 1 on [0,1]⁴: f_H = (x1/2)[√(1 + (x2 + x3²) x4/x1²) − 1] + (x1 + 3x4) exp(1 + sin x3)
 * (note x3², which one popular implementation drops), written as ½(√(x1² + (x2 + x3²)x4) − x1)
 * so x1 → 0 is finite. f_L = (1 + sin(x1)/10) f_H − 2x1 + x2² + x3² + 0.5 (Xiong et al. 2013).
 */
function parkHigh(x: readonly number[]): number {
  const [x1, x2, x3, x4] = [x[0]!, x[1]!, x[2]!, x[3]!];
  return 0.5 * (Math.sqrt(x1 * x1 + (x2 + x3 * x3) * x4) - x1) + (x1 + 3 * x4) * Math.exp(1 + Math.sin(x3));
}
export const park: MultiFidelityFunction = {
  name: 'Park',
  dim: 4,
  lower: [0, 0, 0, 0],
  upper: [1, 1, 1, 1],
  levels: [(x) => (1 + Math.sin(x[0]!) / 10) * parkHigh(x) - 2 * x[0]! + x[1]! ** 2 + x[2]! ** 2 + 0.5, parkHigh],
};

/**
 * Borehole (Harper & Gupta 1983), water flow rate in m³/yr; inputs
 * (rw, r, Tu, Hu, Tl, Hl, L, Kw). High: 2π Tu(Hu−Hl) / [ln(r/rw)(1 + 2L Tu/(ln(r/rw) rw² Kw) + Tu/Tl)];
 * low (Xiong et al. 2013): 5 Tu(Hu−Hl) / [ln(r/rw)(1.5 + 2L Tu/(ln(r/rw) rw² Kw) + Tu/Tl)].
 */
function borehole(x: readonly number[], num: number, add: number): number {
  const [rw, r, Tu, Hu, Tl, Hl, L, Kw] = x as [number, number, number, number, number, number, number, number];
  const lr = Math.log(r / rw);
  return (num * Tu * (Hu - Hl)) / (lr * (add + (2 * L * Tu) / (lr * rw * rw * Kw) + Tu / Tl));
}
export const boreholeFn: MultiFidelityFunction = {
  name: 'Borehole',
  dim: 8,
  lower: [0.05, 100, 63070, 990, 63.1, 700, 1120, 9855],
  upper: [0.15, 50000, 115600, 1110, 116, 820, 1680, 12045],
  levels: [(x) => borehole(x, 5, 1.5), (x) => borehole(x, 2 * Math.PI, 1)],
};

export const MF_FUNCTIONS: readonly MultiFidelityFunction[] = [forrester, currin, park, boreholeFn];

/** Maps a point of the unit cube to the function's natural units. */
export function fromUnit(f: MultiFidelityFunction, u: readonly number[]): number[] {
  return u.map((v, d) => f.lower[d]! + v * (f.upper[d]! - f.lower[d]!));
}
