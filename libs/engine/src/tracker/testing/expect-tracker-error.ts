import { TrackerError } from '../tracker-error';

/** The TrackerError a promise rejects with; fails the test if it resolves or rejects with anything else. */
export async function trackerFailure(promise: Promise<unknown>): Promise<TrackerError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TrackerError);
  return error as TrackerError;
}
