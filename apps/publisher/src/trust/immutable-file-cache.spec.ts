import { ImmutableFileCache } from './immutable-file-cache';

describe('ImmutableFileCache', () => {
  it('loads once, evicts the least recently used beyond the byte budget, and skips oversized entries', async () => {
    const cache = new ImmutableFileCache(10, 6);
    const loads: string[] = [];
    const loader = (name: string, size: number) => async () => {
      loads.push(name);
      return Buffer.alloc(size, name);
    };
    await cache.get('a', loader('a', 4));
    await cache.get('b', loader('b', 4));
    expect((await cache.get('a', loader('a', 4)))!.equals(Buffer.alloc(4, 'a'))).toBe(true);
    await cache.get('c', loader('c', 4));
    await cache.get('a', loader('a', 4));
    await cache.get('b', loader('b', 4));
    await cache.get('big', loader('big', 7));
    await cache.get('big', loader('big', 7));
    expect(loads).toEqual(['a', 'b', 'c', 'b', 'big', 'big']);
  });

  it('does not remember a missing file', async () => {
    const cache = new ImmutableFileCache(10, 10);
    let calls = 0;
    const missing = async () => {
      calls++;
      return undefined;
    };
    expect(await cache.get('x', missing)).toBeUndefined();
    expect(await cache.get('x', missing)).toBeUndefined();
    expect(calls).toBe(2);
  });
});
