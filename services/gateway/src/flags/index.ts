export {
  FLAG_NAMES,
  defaultFlags,
  parseFlagDefinition,
  type BooleanFlag,
  type FlagDefinition,
  type FlagdFlag,
  type FlagName,
  type Flags,
  type Targeting,
} from './definition';
export { applyFlagOverrides, parseFlagOverrides, rolloutTargeting, type FlagOverrides } from './overrides';
export { createFlagEvaluator, type FlagEvaluationFailure, type FlagEvaluator, type FlagEvaluatorOptions } from './evaluator';
