import { EventEmitter } from 'node:events';

const emitters = new WeakMap<AbortSignal, EventEmitter>();

/**
 * An EventEmitter that emits `abort` when `signal` aborts, one per signal,
 * given to undici as a request's `signal` (it accepts either). undici adds
 * and removes an abort listener per call: on an `AbortSignal` (an
 * EventTarget) that costs about a fifth of a call's client CPU, on an
 * EventEmitter next to nothing, and the calls of one request share its
 * signal (docs/performance.md#outbound-http-client). It has no `aborted`
 * flag (undici would then take it for an AbortSignal): callers check the
 * signal itself before dispatching.
 */
export function abortEmitterOf(signal: AbortSignal): EventEmitter {
  let emitter = emitters.get(signal);
  if (emitter === undefined) {
    const created = new EventEmitter();
    // Many calls in flight for one request each listen once: not a leak.
    created.setMaxListeners(0);
    signal.addEventListener('abort', () => created.emit('abort'), { once: true });
    emitters.set(signal, created);
    emitter = created;
  }
  return emitter;
}
