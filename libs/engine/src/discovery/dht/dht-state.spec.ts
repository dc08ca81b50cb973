import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { encodeDhtState, loadDhtState, parseDhtState, saveDhtState } from './dht-state';

const state = { nodeId: 'ab'.repeat(20), nodes: [{ host: '10.0.0.1', port: 6881 }] };

describe('DHT state file', () => {
  it('saves and loads', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'sf-dht-state-'));
    try {
      const path = join(directory, 'dht.json');
      expect(await loadDhtState(path)).toBeUndefined();
      await saveDhtState(path, state);
      expect(await loadDhtState(path)).toEqual(state);
      await writeFile(path, '{"nodeId": 5}');
      expect(await loadDhtState(path)).toBeUndefined();
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('keeps good contacts and drops bad ones', () => {
    const text = JSON.stringify({ nodeId: state.nodeId, nodes: [{ host: 'example.com', port: 1 }, { host: '10.0.0.2', port: 0 }, null, { host: '10.0.0.3', port: 7 }] });
    expect(parseDhtState(text)).toEqual({ nodeId: state.nodeId, nodes: [{ host: '10.0.0.3', port: 7 }] });
    expect(parseDhtState(encodeDhtState(state))).toEqual(state);
  });

  it('never throws on arbitrary text or JSON', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        const parsed = parseDhtState(text);
        return parsed === undefined || /^[0-9a-f]{40}$/.test(parsed.nodeId);
      }),
      { numRuns: 2000 },
    );
  });
});
