/** A listener of one event type. */
export type Listener<T> = (payload: T) => void

/**
 * A small typed event emitter: `events` maps each event name to its payload.
 * Listener errors are swallowed, so one faulty listener cannot break the
 * SDK or other listeners.
 */
export interface Emitter<Events extends object> {
  /**
   * Listen to an event.
   * @param type - the event name.
   * @param listener - called with the payload.
   * @returns A function that removes the listener.
   */
  on<K extends keyof Events>(type: K, listener: Listener<Events[K]>): () => void
  /**
   * Stop listening.
   * @param type - the event name.
   * @param listener - the listener given to `on`.
   */
  off<K extends keyof Events>(type: K, listener: Listener<Events[K]>): void
  /**
   * Call every listener of an event.
   * @param type - the event name.
   * @param payload - the payload.
   */
  emit<K extends keyof Events>(type: K, payload: Events[K]): void
}

/**
 * Create an {@link Emitter}.
 * @returns An emitter without listeners.
 */
export function createEmitter<Events extends object>(): Emitter<Events> {
  const listeners = new Map<keyof Events, Set<Listener<never>>>()
  const emitter: Emitter<Events> = {
    on(type, listener) {
      const set = listeners.get(type) ?? new Set()
      listeners.set(type, set)
      set.add(listener as Listener<never>)
      return () => emitter.off(type, listener)
    },
    off(type, listener) {
      listeners.get(type)?.delete(listener as Listener<never>)
    },
    emit(type, payload) {
      for (const listener of [...(listeners.get(type) ?? [])]) {
        try {
          ;(listener as Listener<typeof payload>)(payload)
        } catch {
          // A listener's failure is its own.
        }
      }
    },
  }
  return emitter
}
