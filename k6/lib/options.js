// The run's shape, shared by the k6 scripts and the Node engine: how many
// users, the stages they ramp through, the think time, the seed, and the
// thresholds that fail a run (the guide: p95 < 500 ms, errors < 1 %).

export const SCENARIOS = ['structured-courses', 'authoring', 'reading'];

export const THRESHOLDS = {
  http_req_duration: ['p(95)<500'],
  http_req_failed: ['rate<0.01'],
  checks: ['rate>0.99'],
};

/** The defaults of `npm run load-test` and of `k6 run`, each overridable by an environment variable of the same name. */
export const DEFAULTS = {
  BASE_URL: 'http://localhost:8080',
  SCENARIO: 'structured-courses',
  USERS: 1000,
  RAMP_UP_SECONDS: 30,
  HOLD_SECONDS: 60,
  RAMP_DOWN_SECONDS: 10,
  THINK_SECONDS: 1,
  SEED: 1,
  JWT_SECRET: 'testmancer-local-development-secret-do-not-use-in-production',
};

/**
 * The settings of a run from an environment (k6's __ENV or process.env).
 * Throws on a value that is not what its name says.
 */
export function runSettings(env) {
  const number = (name, min) => {
    const raw = env[name] ?? String(DEFAULTS[name]);
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number of at least ${min}, not "${raw}"`);
    return value;
  };
  const scenario = env.SCENARIO ?? DEFAULTS.SCENARIO;
  if (!SCENARIOS.includes(scenario)) throw new Error(`SCENARIO must be one of ${SCENARIOS.join(', ')}, not "${scenario}"`);
  const users = Math.round(number('USERS', 1));
  return {
    baseUrl: (env.BASE_URL ?? DEFAULTS.BASE_URL).replace(/\/+$/, ''),
    scenario,
    users,
    // structured-courses: students, and one author for every hundred of them; reading: readers only.
    students: scenario === 'authoring' ? 0 : users,
    authors: { authoring: users, reading: 0 }[scenario] ?? Math.max(1, Math.floor(users / 100)),
    rampUpSeconds: number('RAMP_UP_SECONDS', 0),
    holdSeconds: number('HOLD_SECONDS', 1),
    rampDownSeconds: number('RAMP_DOWN_SECONDS', 0),
    thinkSeconds: number('THINK_SECONDS', 0),
    seed: Math.round(number('SEED', 0)),
    jwtSecret: env.JWT_SECRET ?? DEFAULTS.JWT_SECRET,
  };
}

/** k6's ramping-vus stages for `target` users. */
export function stages(settings, target) {
  return [
    { duration: `${settings.rampUpSeconds}s`, target },
    { duration: `${settings.holdSeconds}s`, target },
    { duration: `${settings.rampDownSeconds}s`, target: 0 },
  ];
}

/** The users that should be running `seconds` into the run, as k6 ramps them: linearly within each stage. */
export function targetAt(settings, target, seconds) {
  const { rampUpSeconds: up, holdSeconds: hold, rampDownSeconds: down } = settings;
  if (seconds < up) return Math.ceil((target * seconds) / up);
  if (seconds < up + hold) return target;
  if (seconds < up + hold + down) return Math.floor(target * (1 - (seconds - up - hold) / down));
  return 0;
}

/**
 * Whether a threshold holds for a metric, in k6's notation: `p(95)<500`
 * (milliseconds, over request durations), `rate<0.01`, `avg<200`, `max<1000`.
 * `metric` carries what the expression names: `{ 'p(95)': …, rate: … }`.
 */
export function thresholdHolds(expression, metric) {
  const match = /^\s*(p\(\d+(?:\.\d+)?\)|rate|avg|min|max|med)\s*(<=|>=|<|>|==)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(expression);
  if (!match) throw new Error(`threshold "${expression}" is not of the form p(95)<500 or rate<0.01`);
  const [, name, operator, limitText] = match;
  const value = metric[name];
  if (value === undefined) throw new Error(`threshold "${expression}": the metric has no ${name}`);
  const limit = Number(limitText);
  switch (operator) {
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
    default:
      return value === limit;
  }
}
