import type { FaultKind } from '../options.js';
import type { Prng } from './prng.js';

/** What the sim does to one request, decided before it is handled. */
export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'status'; status: 500 | 503 | 413 | 429; retryAfter: boolean; label: FaultKind }
  | { kind: 'reset'; label: 'reset' }
  | { kind: 'timeout'; label: 'timeout' };

/**
 * Draws the fault for one eligible request. Exactly two PRNG draws happen per eligible request
 * (and a third one for '5xx' to choose 500 or 503), so the sequence of faults depends only on
 * the seed and the order of requests.
 */
export function decideFault(prng: Prng, rate: number, kinds: readonly FaultKind[]): FaultDecision {
  const roll = prng.next();
  const pick = prng.int(Math.max(1, kinds.length));
  if (kinds.length === 0 || roll >= rate) return { kind: 'none' };
  const label = kinds[pick] as FaultKind;
  switch (label) {
    case '5xx':
      return { kind: 'status', status: prng.next() < 0.5 ? 500 : 503, retryAfter: false, label };
    case '413':
      return { kind: 'status', status: 413, retryAfter: true, label };
    case '429':
      return { kind: 'status', status: 429, retryAfter: true, label };
    case '413-no-retry-after':
      return { kind: 'status', status: 413, retryAfter: false, label };
    case '429-no-retry-after':
      return { kind: 'status', status: 429, retryAfter: false, label };
    case 'reset':
      return { kind: 'reset', label };
    case 'timeout':
      return { kind: 'timeout', label };
  }
}
