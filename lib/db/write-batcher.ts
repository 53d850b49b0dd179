// Group commit for hot writes (scheduled runs' ends, result handlers' runs and reads): items added
// while a write is in flight wait and go together in the next one, so a burst of a thousand
// finishing runs is a few statements, not a thousand, and never more than one connection at a
// time; a lone item is written at once.

export type WriteBatcher<T, R> = { add(item: T): Promise<R> };

export function createWriteBatcher<T, R>(write: (items: T[]) => Promise<R[]>, maxSize = 1_000): WriteBatcher<T, R> {
  let waiting: { item: T; resolve: (result: R) => void; reject: (error: unknown) => void }[] = [];
  let writing = false;

  async function flush(): Promise<void> {
    writing = true;
    while (waiting.length > 0) {
      const batch = waiting.slice(0, maxSize);
      waiting = waiting.slice(batch.length);
      try {
        const results = await write(batch.map((w) => w.item));
        batch.forEach((w, i) => w.resolve(results[i]!));
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    writing = false;
  }

  return {
    add(item) {
      return new Promise<R>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        // The first item waits for the rest of this turn of the event loop (runs finishing together).
        if (!writing) {
          writing = true;
          setImmediate(() => void flush());
        }
      });
    },
  };
}
