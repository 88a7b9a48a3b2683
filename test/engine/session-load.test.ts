import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Session } from '../../src/db/session';
import { testEngine } from '../support/engine';
import { bundledRates } from '../support/rates';

const file = (name: string) => ({ name, bytes: readFileSync(`test/fixtures/logs/${name}`) });

describe('Session loads: the start-up sample never replaces what the user loaded', () => {
  it('a default load queued after a user load is skipped; one queued before is replaced by the user load', async () => {
    const session = new Session(await testEngine());
    await session.setRates(bundledRates());
    const first = session.loadFiles([file('hostile.csv')], { mode: 'replace', asDefault: true });
    const user = session.loadFiles([file('tabs.tsv')], { mode: 'replace' });
    const late = session.loadFiles([file('hostile.csv')], { mode: 'replace', asDefault: true });
    expect((await first)?.map((d) => d.file)).toEqual(['hostile.csv']);
    expect((await user)?.map((d) => d.file)).toEqual(['tabs.tsv']);
    expect(await late).toBeNull();
    expect(session.files.map((d) => d.file)).toEqual(['tabs.tsv']);
    expect(await session.read((e) => e.query(`SELECT request_id FROM requests ORDER BY request_id`))).toEqual([{ request_id: 't1' }, { request_id: 't2' }]);
  });

  it('append keeps every file’s diagnostics; a refused file changes neither data nor diagnostics', async () => {
    const session = new Session(await testEngine());
    await session.setRates(bundledRates());
    await session.loadFiles([file('tabs.tsv')], { mode: 'replace' });
    await session.loadFiles([file('attempts.csv')], { mode: 'append' });
    const version = session.version;
    await expect(session.loadFiles([file('garbage.bin')], { mode: 'replace' })).rejects.toThrow(/binary file/);
    expect(session.version).toBe(version);
    expect(session.files.map((d) => [d.file, d.rowsRead])).toEqual([['tabs.tsv', 2], ['attempts.csv', 6]]);
    const [n] = await session.read((e) => e.query<{ n: number }>(`SELECT count(*) AS n FROM priced`));
    expect(n!.n).toBe(5);
  });
});
