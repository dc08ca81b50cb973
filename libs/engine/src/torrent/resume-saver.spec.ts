import { ResumeSaver } from './resume-saver';

function setup() {
  let now = 0;
  const writes: number[] = [];
  let release: (() => void) | undefined;
  const saver = new ResumeSaver(
    () => {
      writes.push(now);
      return new Promise<void>((resolve) => (release = resolve));
    },
    () => now,
  );
  return { saver, writes, advance: (ms: number) => (now += ms), finish: () => release?.() };
}

it('saves periodically only when pieces changed and 30 s passed; a final save always', async () => {
  const { saver, writes, advance, finish } = setup();
  const first = saver.save(3, false);
  finish();
  await first;
  await saver.save(5, false); // too soon
  advance(30_000);
  await saver.save(3, false); // nothing new... pieces unchanged since the last save
  expect(writes).toEqual([0]);
  const second = saver.save(5, false);
  finish();
  await second;
  const final = saver.save(5, true);
  finish();
  await final;
  expect(writes).toEqual([0, 30_000, 30_000]);
});

it('never runs two writes at once: a save asked for during one runs after it', async () => {
  const { saver, writes, finish } = setup();
  const first = saver.save(1, true);
  const second = saver.save(2, true);
  await Promise.resolve();
  expect(writes).toHaveLength(1);
  finish();
  await first;
  await new Promise((resolve) => setImmediate(resolve));
  expect(writes).toHaveLength(2);
  finish();
  await second;
});
