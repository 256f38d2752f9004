/**
 * EventBridge Scheduler expressions, checked field by field, so a schedule AWS would refuse (or read otherwise)
 * never reaches a template. https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 * The cron fields, their ranges and wildcards: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html
 */

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** JAN-DEC or SUN-SAT, numbered from min. */
  readonly names?: readonly string[];
  /** `?`, `L`, `W` and `#` are allowed only where AWS allows them. */
  readonly wildcards: string;
}

const CRON_FIELDS: readonly CronField[] = [
  { name: 'minutes', min: 0, max: 59, wildcards: ',-*/' },
  { name: 'hours', min: 0, max: 23, wildcards: ',-*/' },
  { name: 'day-of-month', min: 1, max: 31, wildcards: ',-*?/LW' },
  { name: 'month', min: 1, max: 12, wildcards: ',-*/', names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day-of-week', min: 1, max: 7, wildcards: ',-*?L#', names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
  { name: 'year', min: 1970, max: 2199, wildcards: ',-*/' },
];

const has = (field: CronField, wildcard: string) => field.wildcards.includes(wildcard);

/** A single value: a number in range, or (month, day-of-week) its three-letter name. */
function valueProblem(field: CronField, text: string): string | undefined {
  const named = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return undefined;
  const number = /^\d{1,4}$/.test(text) ? Number(text) : NaN;
  if (number >= field.min && number <= field.max) return undefined;
  const names = field.names ? ` or ${field.names[0]}-${field.names.at(-1)}` : '';
  return `${field.name} value "${text}" must be ${field.min}-${field.max}${names}`;
}

/** One element of a comma-separated list: `*`, `v`, `a-b`, with an optional `/step`, or a special day form. */
function elementProblem(field: CronField, element: string): string | undefined {
  if (element === '') return `${field.name} has an empty list element`;
  if (field.name === 'day-of-month') {
    if (element === 'L' || element === 'LW') return undefined;
    const weekday = /^(\d{1,2})W$/.exec(element);
    if (weekday) return valueProblem(field, weekday[1]!);
  }
  if (field.name === 'day-of-week') {
    if (element === 'L') return undefined;
    const last = /^(\w+)L$/.exec(element);
    if (last) return valueProblem(field, last[1]!);
    const nth = /^(\w+)#(\d+)$/.exec(element);
    if (nth) return valueProblem(field, nth[1]!) ?? (/^[1-5]$/.test(nth[2]!) ? undefined : `${field.name} "${element}": the instance after # must be 1-5`);
  }
  const [base = '', step, extra] = element.split('/');
  if (extra !== undefined) return `${field.name} "${element}" has more than one /`;
  if (step !== undefined) {
    if (!has(field, '/')) return `${field.name} does not allow /`;
    if (!/^\d+$/.test(step) || Number(step) < 1 || Number(step) > field.max) return `${field.name} "${element}": the step after / must be 1-${field.max}`;
  }
  if (base === '*') return undefined;
  const [from = '', to, more] = base.split('-');
  if (more !== undefined) return `${field.name} "${element}" is not a range a-b`;
  return valueProblem(field, from) ?? (to === undefined ? undefined : valueProblem(field, to));
}

function fieldProblem(field: CronField, text: string): string | undefined {
  const forbidden = [...text].find((c) => !/[\dA-Za-z]/.test(c) && !has(field, c));
  if (forbidden) return `${field.name} does not allow "${forbidden}" (allowed: ${field.wildcards.split('').join(' ')})`;
  if (text === '?') return undefined;
  if (text.includes('?')) return `${field.name}: ? stands alone`;
  const elements = text.split(',');
  if (text.includes('#') && elements.length > 1) return `${field.name}: a # expression cannot be part of a list`;
  for (const element of elements) {
    const problem = elementProblem(field, element);
    if (problem) return problem;
  }
  return undefined;
}

function cronProblem(body: string): string | undefined {
  const fields = body.split(' ');
  if (fields.length !== CRON_FIELDS.length) return `cron() needs 6 fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`;
  for (const [index, field] of CRON_FIELDS.entries()) {
    const problem = fieldProblem(field, fields[index]!);
    if (problem) return `cron(): ${problem}`;
  }
  const [dayOfMonth, dayOfWeek] = [fields[2], fields[4]];
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) return 'cron(): exactly one of day-of-month and day-of-week must be ?';
  return undefined;
}

const RATE = /^(\d+) (minute|minutes|hour|hours|day|days)$/;

function rateProblem(body: string): string | undefined {
  const match = RATE.exec(body);
  if (!match) return 'rate() must be rate(N minutes|hours|days), e.g. rate(12 hours)';
  const [, amount, unit] = match;
  const value = Number(amount);
  if (value < 1 || amount!.startsWith('0')) return 'rate(): the value must be a whole number from 1';
  if ((value === 1) !== !unit!.endsWith('s')) return `rate(): write ${value === 1 ? `1 ${unit!.replace(/s$/, '')}` : `${value} ${unit}s`}: the unit is singular for 1 only`;
  return undefined;
}

const AT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;

function atProblem(body: string): string | undefined {
  const match = AT.exec(body);
  if (!match) return 'at() must be at(yyyy-mm-ddThh:mm:ss)';
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
  return real ? undefined : `at(): ${body} is not a real date and time`;
}

const RULE = 'must be rate(N unit), cron(6 fields) or at(yyyy-mm-ddThh:mm:ss)';

/** Why AWS would refuse this schedule expression (the general rule, then the detail), or undefined when it is valid. */
export function scheduleProblem(expression: string): string | undefined {
  const match = /^(cron|rate|at)\((.*)\)$/s.exec(expression);
  if (!match) return RULE;
  const [, kind, body = ''] = match;
  const problem = kind === 'cron' ? cronProblem(body) : kind === 'rate' ? rateProblem(body) : atProblem(body);
  return problem && `${RULE}: ${problem}`;
}
