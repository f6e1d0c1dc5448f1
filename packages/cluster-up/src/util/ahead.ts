import { setImmediate as nextTurn } from 'node:timers/promises';

export interface Ahead<T, R> {
  /** The result for `item`, once it is produced (items not given to `produceAhead` are refused). */
  get(item: T): Promise<R>;
  /** Stops producing; what is not produced yet is refused. */
  stop(): void;
}

/**
 * Produces a result for every item, in order, in the background, one per turn of the event loop:
 * CPU work (rendering user data) runs ahead of the I/O that needs it, and never as one long batch
 * that would hold back requests already on their way. The first failure stops the production and
 * is what every later item gets.
 */
export function produceAhead<T, R>(items: readonly T[], produce: (item: T) => R): Ahead<T, R> {
  const settlers = new Map<T, { resolve: (value: R) => void; reject: (error: unknown) => void }>();
  const results = new Map<T, Promise<R>>();
  for (const item of items) {
    const promise = new Promise<R>((resolve, reject) => settlers.set(item, { resolve, reject }));
    promise.catch(() => undefined); // awaited by its consumer, if there still is one
    results.set(item, promise);
  }
  let stopped = false;
  const refuseRest = (from: number, error: unknown) => {
    for (const item of items.slice(from)) settlers.get(item)?.reject(error);
  };
  void (async () => {
    for (let i = 0; i < items.length; i++) {
      await nextTurn();
      if (stopped) return refuseRest(i, new Error('stopped before it was produced'));
      const item = items[i] as T;
      try {
        settlers.get(item)?.resolve(produce(item));
      } catch (error) {
        return refuseRest(i, error);
      }
    }
  })();
  return {
    get: (item) => results.get(item) ?? Promise.reject(new Error('not one of the items given')),
    stop: () => void (stopped = true),
  };
}
