// Turns a mathjs expression over design-parameter names into two evaluators:
// a plain-number one (feasibility checks, reports) and a tfjs one (penalties
// whose gradient reaches θ).
import { parse, type MathNode } from 'mathjs';
import { tf } from './tf.ts';

export type NumberFn = (values: readonly number[]) => number;
export type TensorFn = (theta: tf.Tensor1D) => tf.Scalar;

interface Compiled {
  num: NumberFn;
  ten: TensorFn;
}

const UNARY_FUNCTIONS: Record<string, [(v: number) => number, (t: tf.Tensor) => tf.Tensor]> = {
  sqrt: [Math.sqrt, (t) => tf.sqrt(t)],
  exp: [Math.exp, (t) => tf.exp(t)],
  log: [Math.log, (t) => tf.log(t)],
  abs: [Math.abs, (t) => tf.abs(t)],
  sin: [Math.sin, (t) => tf.sin(t)],
  cos: [Math.cos, (t) => tf.cos(t)],
  tan: [Math.tan, (t) => tf.tan(t)],
  square: [(v) => v * v, (t) => tf.square(t)],
};

const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E };

/** Parses `source` (the text in field `field`) once; throws naming the field on any problem. */
export function compileExpression(source: string, names: readonly string[], field: string): Compiled {
  let node: MathNode;
  try {
    node = parse(source);
  } catch (err) {
    throw new Error(`${field}: cannot parse "${source}": ${err instanceof Error ? err.message : String(err)}`);
  }
  return compileNode(node, names, field, source);
}

function compileNode(node: MathNode, names: readonly string[], field: string, source: string): Compiled {
  const recurse = (n: MathNode) => compileNode(n, names, field, source);
  // mathjs node classes are told apart by their `type` string.
  const n = node as MathNode & Record<string, unknown>;
  switch (node.type) {
    case 'ConstantNode': {
      const v = Number(n.value);
      if (!Number.isFinite(v)) throw new Error(`${field}: "${String(n.value)}" is not a number in "${source}"`);
      return { num: () => v, ten: () => tf.scalar(v) };
    }
    case 'SymbolNode': {
      const name = String(n.name);
      const idx = names.indexOf(name);
      if (idx < 0) {
        if (name in CONSTANTS) {
          const v = CONSTANTS[name]!;
          return { num: () => v, ten: () => tf.scalar(v) };
        }
        throw new Error(`${field}: unknown parameter "${name}" in "${source}" (parameters: ${names.join(', ')})`);
      }
      return { num: (x) => x[idx]!, ten: (t) => tf.squeeze(tf.slice(t, [idx], [1])) as tf.Scalar };
    }
    case 'ParenthesisNode':
      return recurse(n.content as MathNode);
    case 'OperatorNode': {
      const args = (n.args as MathNode[]).map(recurse);
      const fn = String(n.fn);
      if (args.length === 1) {
        const [a] = args as [Compiled];
        if (fn === 'unaryMinus') return { num: (x) => -a.num(x), ten: (t) => tf.neg(a.ten(t)) };
        if (fn === 'unaryPlus') return a;
      }
      if (args.length === 2) {
        const [a, b] = args as [Compiled, Compiled];
        const binary: Record<string, [(p: number, q: number) => number, (p: tf.Tensor, q: tf.Tensor) => tf.Tensor]> = {
          add: [(p, q) => p + q, tf.add],
          subtract: [(p, q) => p - q, tf.sub],
          multiply: [(p, q) => p * q, tf.mul],
          divide: [(p, q) => p / q, tf.div],
          pow: [Math.pow, tf.pow],
        };
        const op = binary[fn];
        if (op) return { num: (x) => op[0](a.num(x), b.num(x)), ten: (t) => op[1](a.ten(t), b.ten(t)) as tf.Scalar };
      }
      throw new Error(`${field}: operator "${String(n.op)}" is not supported in "${source}"`);
    }
    case 'FunctionNode': {
      const fname = String((n.fn as MathNode & { name?: string }).name ?? '');
      const args = (n.args as MathNode[]).map(recurse);
      const unary = UNARY_FUNCTIONS[fname];
      if (unary && args.length === 1) {
        const [a] = args as [Compiled];
        return { num: (x) => unary[0](a.num(x)), ten: (t) => unary[1](a.ten(t)) as tf.Scalar };
      }
      if ((fname === 'min' || fname === 'max') && args.length >= 2) {
        const pick = fname === 'min' ? Math.min : Math.max;
        const tpick = fname === 'min' ? tf.minimum : tf.maximum;
        return {
          num: (x) => pick(...args.map((a) => a.num(x))),
          ten: (t) => args.map((a) => a.ten(t) as tf.Tensor).reduce((p, q) => tpick(p, q)) as tf.Scalar,
        };
      }
      if (fname === 'pow' && args.length === 2) {
        const [a, b] = args as [Compiled, Compiled];
        return { num: (x) => Math.pow(a.num(x), b.num(x)), ten: (t) => tf.pow(a.ten(t), b.ten(t)) as tf.Scalar };
      }
      throw new Error(`${field}: function "${fname}" with ${args.length} argument(s) is not supported in "${source}"`);
    }
    default:
      throw new Error(`${field}: "${node.toString()}" (${node.type}) is not supported in "${source}"`);
  }
}

export type Relation = '<=' | '>=' | '==';

/** A constraint `lhs REL rhs`, compiled to violation = max(0, lhs − rhs) (or the reverse, or |lhs − rhs|). */
export interface CompiledConstraint {
  source: string;
  relation: Relation;
  violation: NumberFn;
  violationTensor: TensorFn;
}

export function compileConstraint(source: string, names: readonly string[], field: string): CompiledConstraint {
  let node: MathNode;
  try {
    node = parse(source);
  } catch (err) {
    throw new Error(`${field}: cannot parse "${source}": ${err instanceof Error ? err.message : String(err)}`);
  }
  const n = node as MathNode & { fn?: string; args?: MathNode[] };
  const relations: Record<string, Relation> = { smallerEq: '<=', smaller: '<=', largerEq: '>=', larger: '>=', equal: '==' };
  const relation = node.type === 'OperatorNode' ? relations[String(n.fn)] : undefined;
  if (!relation || n.args?.length !== 2) {
    throw new Error(`${field}: "${source}" is not a constraint; write it as "lhs <= rhs", "lhs >= rhs" or "lhs == rhs"`);
  }
  const lhs = compileNode(n.args[0]!, names, field, source);
  const rhs = compileNode(n.args[1]!, names, field, source);
  const diff: NumberFn = (x) => lhs.num(x) - rhs.num(x);
  const diffT: TensorFn = (t) => tf.sub(lhs.ten(t), rhs.ten(t)) as tf.Scalar;
  switch (relation) {
    case '<=':
      return { source, relation, violation: (x) => Math.max(0, diff(x)), violationTensor: (t) => tf.relu(diffT(t)) as tf.Scalar };
    case '>=':
      return { source, relation, violation: (x) => Math.max(0, -diff(x)), violationTensor: (t) => tf.relu(tf.neg(diffT(t))) as tf.Scalar };
    case '==':
      return { source, relation, violation: (x) => Math.abs(diff(x)), violationTensor: (t) => tf.abs(diffT(t)) as tf.Scalar };
  }
}
