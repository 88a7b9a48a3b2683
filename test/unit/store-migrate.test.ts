import { afterEach, describe, expect, it, vi } from 'vitest';
import { migrateInputs } from '../../src/state/store';

describe('stored inputs from version 1', () => {
  afterEach(() => vi.useRealTimers());

  it('a monthly budget becomes an overall budget row for the month the app is opened in; other inputs are kept', () => {
    vi.useFakeTimers({ now: Date.parse('2026-09-30T23:59:00Z') });
    expect(migrateInputs({ monthlyBudget: ' 2500.5 ', theme: 'dark' }, 1)).toEqual({ theme: 'dark', budgets: [{ month: '2026-09', attribute: 'overall', value: '', amount: '2500.5' }] });
    expect(migrateInputs({ monthlyBudget: '', theme: 'dark' }, 1)).toEqual({ theme: 'dark', budgets: [] });
    expect(migrateInputs({ theme: 'light' }, 0)).toEqual({ theme: 'light', budgets: [] });
  });

  it('version 2 and anything not an object pass through', () => {
    const v2 = { budgets: [{ month: '2026-01', attribute: 'overall', value: '', amount: '1' }] };
    expect(migrateInputs(v2, 2)).toBe(v2);
    expect(migrateInputs(null, 1)).toBeNull();
  });
});
