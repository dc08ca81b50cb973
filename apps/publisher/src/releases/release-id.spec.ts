import { newReleaseId } from './release-id';
import { RELEASE_ID_PATTERN } from './release.model';

describe('newReleaseId', () => {
  it('makes opaque ids that match the pattern and sort by creation time', () => {
    const ids = [0, 1, 1_700_000_000_000, 1_700_000_000_001, 2 ** 48 - 1].map((now) => newReleaseId(now));
    for (const id of ids) expect(id).toMatch(RELEASE_ID_PATTERN);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(Array.from({ length: 1000 }, () => newReleaseId(5))).size).toBe(1000);
  });
});
