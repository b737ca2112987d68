// Known fields of a run config's free-form problemOptions and surrogateOptions. A misspelled
// field ("emax" for eMax, "epochz") must be an error that names it, not a silent default.
import { FLOW1D_DEFAULTS } from '../surrogates/flow1d.ts';

export const SURROGATE_OPTION_FIELDS = {
  mlp: ['hidden', 'activation', 'learningRate', 'epochs', 'batchSize', 'weightDecay', 'validationFraction', 'seed'],
  flow1d: [...Object.keys(FLOW1D_DEFAULTS), 'range', 'thetaBounds'],
  gp: ['kernel', 'mean', 'normalize', 'noise', 'derivativeNoise', 'restarts', 'lengthscaleRange', 'noiseRange', 'maxIter', 'screening'],
} as const satisfies Record<string, readonly string[]>;

/** Throws `${field}.<name>: unknown field (known: …)` for a name outside `known`. */
export function checkKnownFields(value: Record<string, unknown> | undefined, known: readonly string[], field: string): void {
  for (const key of Object.keys(value ?? {})) {
    if (!known.includes(key)) {
      throw new Error(`${field}.${key}: unknown field (${known.length > 0 ? `known: ${known.join(', ')}` : 'this problem takes none'})`);
    }
  }
}

export function checkSurrogateOptions(kind: keyof typeof SURROGATE_OPTION_FIELDS, options: Record<string, unknown> | undefined): void {
  checkKnownFields(options, SURROGATE_OPTION_FIELDS[kind], `surrogateOptions (${kind})`);
}
