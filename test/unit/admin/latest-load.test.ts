import { describe, expect, it } from 'vitest';
import { latestLoad, type Outcome } from '../../../src-renderer/src/screens/admin/latest-load';

/** A promise settled by hand, to make answers arrive in any order. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A `latestLoad` whose first two calls answer with `answers[0]` and `answers[1]`. */
function twoAnswers() {
  const answers = [deferred<string>(), deferred<string>()];
  let calls = 0;
  const landed: Array<Outcome<string>> = [];
  const load = latestLoad(
    () => answers[calls++]!.promise,
    (o) => landed.push(o),
  );
  return { answers, landed, load };
}

describe('latestLoad (admin lists)', () => {
  it('resolves an overtaken call only after the latest one has landed', async () => {
    const { answers, landed, load } = twoAnswers();
    let firstDone = false;
    const first = load().then(() => (firstDone = true));
    const second = load();
    answers[0]!.resolve('old filters'); // the overtaken answer arrives first: it must not land
    await new Promise((r) => setTimeout(r, 0));
    expect(landed).toEqual([]);
    expect(firstDone).toBe(false); // and its caller waits for the fresh data
    answers[1]!.resolve('new filters');
    await Promise.all([first, second]);
    expect(landed).toEqual([{ ok: true, value: 'new filters' }]);
    expect(firstDone).toBe(true);
  });

  it('does not land an overtaken answer that arrives last', async () => {
    const { answers, landed, load } = twoAnswers();
    const both = Promise.all([load(), load()]);
    answers[1]!.resolve('new filters');
    answers[0]!.resolve('old filters');
    await both;
    expect(landed).toEqual([{ ok: true, value: 'new filters' }]);
  });

  it('lands a failure of the latest call and ignores one of an overtaken call', async () => {
    const { answers, landed, load } = twoAnswers();
    const both = Promise.all([load(), load()]);
    answers[0]!.reject(new Error('stale failure'));
    answers[1]!.reject(new Error('forbidden'));
    await both;
    expect(landed).toHaveLength(1);
    expect(landed[0]).toMatchObject({ ok: false, error: new Error('forbidden') });
  });

  it('turns a load that throws at once into a landed failure', async () => {
    const landed: Array<Outcome<unknown>> = [];
    const load = latestLoad(
      () => {
        throw new Error('no session');
      },
      (o) => landed.push(o),
    );
    await load();
    expect(landed).toEqual([{ ok: false, error: new Error('no session') }]);
  });
});
