import { ByteBudget } from './byte-budget';

/** Settles pending promise callbacks, so a grant that should have happened has. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('ByteBudget', () => {
  it('lets requests through up to the limit and holds the rest, in order, until bytes are released', async () => {
    const budget = new ByteBudget(100);
    const granted: string[] = [];
    const take = (name: string, bytes: number) => budget.acquire(bytes).then(() => granted.push(name));
    void take('a', 60);
    void take('b', 40);
    void take('c', 30);
    void take('d', 10); // fits after b, but waits behind c: no starving a large request
    await settle();
    expect(granted).toEqual(['a', 'b']);
    expect(budget.inFlight).toBe(100);
    budget.release(40);
    await settle();
    expect(granted).toEqual(['a', 'b', 'c', 'd']);
    expect(budget.inFlight).toBe(100);
  });

  it('lets a request larger than the budget through alone', async () => {
    const budget = new ByteBudget(10);
    const granted: number[] = [];
    void budget.acquire(5).then(() => granted.push(5));
    void budget.acquire(50).then(() => granted.push(50));
    await settle();
    expect(granted).toEqual([5]);
    budget.release(5);
    await settle();
    expect(granted).toEqual([5, 50]);
  });
});
