import { getJson } from "./http.ts";

/** `GET /host/events` answer: events newer than `after`, and the newest sequence number. */
interface EventsAnswer {
  events: { seq: number; event: string; payload: unknown }[];
  last: number;
}

/** What a Tauri `listen` callback receives (`Event<T>` of `@tauri-apps/api/event`). */
export interface TauriEvent {
  event: string;
  id: number;
  payload: unknown;
}

const RETRY_MS = 1000;

/**
 * The plugin's events (`ctx.events().emit`, wire name `plugin:<id>:<event>`) from the dev host to
 * Tauri `listen` callbacks: while anything listens, one long poll of `GET /host/events` at a time
 * (the dev host answers as soon as an event arrives); events from before the first listener are
 * not replayed.
 */
export class EventRelay {
  private readonly listeners = new Map<number, { event: string; handler: number }>();
  private nextId = 1;
  private after: number | null = null;
  private polling = false;

  constructor(private readonly deliver: (handler: number, event: TauriEvent) => void) {}

  listen(event: string, handler: number): number {
    const id = this.nextId++;
    this.listeners.set(id, { event, handler });
    void this.poll();
    return id;
  }

  unlisten(id: number): void {
    this.listeners.delete(id);
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      while (this.listeners.size > 0) {
        try {
          const query = this.after === null ? "" : `?after=${this.after}`;
          const answer = (await getJson(`/host/events${query}`)) as EventsAnswer;
          // A restarted dev host numbers from 1 again.
          if (this.after !== null && answer.last < this.after) this.after = 0;
          else this.after ??= answer.last;
          for (const { seq, event, payload } of answer.events) {
            this.after = Math.max(this.after, seq);
            for (const [id, listener] of this.listeners) {
              if (listener.event === event) this.deliver(listener.handler, { event, id, payload });
            }
          }
        } catch {
          await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        }
      }
    } finally {
      this.polling = false;
    }
  }
}
