import { describe, expect, it } from 'vitest';
import { decodeScenario, DEFAULT_SCENARIO, encodeScenario, sanitizeSaved, SCENARIO_LIMITS, validateScenario, type Scenario } from '../../src/domain/scenario';

const good: Scenario = {
  name: 'Café plan - Q3 (50% batch)',
  volume: 12_345,
  per: 'month',
  daysPerMonth: 31,
  retryPercent: 7.25,
  lines: [
    { model: 'gemini-3.1-flash-image', provider: 'google', lane: 'batch', size: '512', share: 1, acceptance: 81.5 },
    { model: 'gemini-3-pro-image', provider: 'openrouter', lane: 'standard', size: '2K', share: 1, acceptance: null },
  ],
};

const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const link = (json: unknown) => decodeScenario(b64url(JSON.stringify(json)));

describe('a scenario in a link', () => {
  it('round-trips exactly, accents included', () => {
    const token = encodeScenario(good);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeScenario(token)).toEqual({ ok: true, scenario: good });
    // the same bytes Node's own base64url gives: any other encoder can write these links
    expect(token).toBe(b64url(JSON.stringify(good)));
  });

  it.each([
    ['script tag as the token', '<script>alert(1)</script>', 'not valid base64url'],
    ['garbage base64', 'Zm9vYmFy!!', 'not valid base64url'],
    ['valid characters, not JSON', b64url('hello world'), 'not valid JSON'],
    ['bytes that are not UTF-8', Buffer.from([0xff, 0xfe, 0x7b]).toString('base64url'), 'could not be decoded'],
    ['impossible base64 length', 'A', 'not valid base64url'],
    ['too long', 'A'.repeat(SCENARIO_LIMITS.maxParamLength + 4), 'too long'],
  ])('%s → message and the default scenario', (_, token, problem) => {
    const r = decodeScenario(token);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem).toContain(problem);
    expect(r.scenario).toEqual(DEFAULT_SCENARIO);
  });

  it.each([
    ['markup in the name', { ...good, name: '<img src=x onerror=alert(1)>' }, 'name'],
    ['a script in a model id', { ...good, lines: [{ ...good.lines[0], model: '<script>x</script>' }] }, 'model'],
    ['huge volume', { ...good, volume: 1e300 }, 'volume'],
    ['volume just over the limit', { ...good, volume: SCENARIO_LIMITS.maxVolume + 1 }, 'volume'],
    ['negative volume', { ...good, volume: -5 }, 'volume'],
    ['fractional volume', { ...good, volume: 1.5 }, 'volume'],
    ['volume as a string', { ...good, volume: '1000' }, 'volume'],
    ['unknown period', { ...good, per: 'year' }, 'per'],
    ['too many days', { ...good, daysPerMonth: 32 }, 'days'],
    ['retry rate with 3 decimals', { ...good, retryPercent: 1.125 }, 'retry'],
    ['retry rate above the limit', { ...good, retryPercent: 501 }, 'retry'],
    ['unknown top-level key', { ...good, extra: 1 }, 'unknown field'],
    ['prototype key', JSON.parse(`{"__proto__": {"polluted": true}, "name": "x"}`), 'unknown field'],
    ['no lines', { ...good, lines: [] }, 'lines'],
    ['too many lines', { ...good, lines: Array.from({ length: 25 }, () => good.lines[0]) }, 'lines'],
    ['lines not an array', { ...good, lines: { 0: good.lines[0] } }, 'lines'],
    ['a line that is null', { ...good, lines: [null] }, 'line 1'],
    ['unknown lane', { ...good, lines: [{ ...good.lines[0], lane: 'express' }] }, 'lane'],
    ['lowercase size', { ...good, lines: [{ ...good.lines[0], size: '1k' }] }, 'size'],
    ['negative share', { ...good, lines: [{ ...good.lines[0], share: -1 }] }, 'share'],
    ['acceptance over 100', { ...good, lines: [{ ...good.lines[0], acceptance: 101 }] }, 'acceptance'],
    ['unknown line key', { ...good, lines: [{ ...good.lines[0], onclick: 'x' }] }, 'unknown field'],
    ['an array', [good], 'not a scenario'],
    ['null', null, 'not a scenario'],
  ])('%s is refused with a message', (_, json, problem) => {
    const r = link(json);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem).toContain(problem);
      expect(r.scenario).toEqual(DEFAULT_SCENARIO);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('the default scenario handed out is a copy: changing it does not change the next one', () => {
    const r = decodeScenario('!');
    r.scenario.lines[0]!.share = 7;
    expect(decodeScenario('!').scenario.lines[0]!.share).toBe(100);
  });

  it('validation keeps only known fields', () => {
    const r = validateScenario(JSON.parse(JSON.stringify(good)));
    expect(r.ok && Object.keys(r.scenario)).toEqual(['name', 'volume', 'per', 'daysPerMonth', 'retryPercent', 'lines']);
  });
});

describe('saved scenarios read back from local storage', () => {
  it('keeps the valid entries and drops tampered ones', () => {
    const stored = JSON.parse(JSON.stringify([
      { id: 'a', scenario: good },
      { id: 'b', scenario: { ...good, name: '<script>x</script>' } },
      { id: 7, scenario: good },
      null,
      'junk',
      { id: 'c' },
    ]));
    expect(sanitizeSaved(stored)).toEqual([{ id: 'a', scenario: good }]);
    expect(sanitizeSaved({ not: 'a list' })).toEqual([]);
  });
});
