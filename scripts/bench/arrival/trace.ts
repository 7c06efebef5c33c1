// Reads a Chromium trace (playwright's browser.startTracing) for what the page's main thread did
// between two user-timing marks: every task, so the longest one and the sum are exact, not only
// the tasks of 50 ms or more that the Long Tasks API reports.

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: Record<string, unknown> };
}

export interface MainThreadWindow {
  /** The longest task that overlaps the window, in ms. */
  longestTaskMs: number;
  /** Main-thread busy time inside the window (tasks clipped to it), in ms. */
  busyMs: number;
  /** The window itself: the first mark to the second, in ms. */
  windowMs: number;
  /** The longest stretch of script in one task named after what ran it (for the account of where time goes). */
  tasks: { ms: number; what: string }[];
}

/** The main thread's tasks between the marks `from` and `to` (the last of each name in the trace). */
export function mainThreadBetween(trace: Buffer, from: string, to: string): MainThreadWindow {
  const parsed = JSON.parse(trace.toString("utf8")) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const mark = (name: string) => events.filter((event) => event.name === name && event.cat.includes("blink.user_timing")).at(-1);
  const start = mark(from);
  const end = mark(to);
  if (!start || !end) throw new Error(`the trace has no ${start ? to : from} mark`);
  const mainThreads = new Set(events.filter((event) => event.ph === "M" && event.name === "thread_name" && event.args?.name === "CrRendererMain").map((event) => `${event.pid}:${event.tid}`));
  const tasks = events.filter((event) => event.name === "RunTask" && event.ph === "X" && event.pid === start.pid && mainThreads.has(`${event.pid}:${event.tid}`) && event.dur !== undefined);
  let longest = 0;
  let busy = 0;
  const long: { ms: number; what: string }[] = [];
  for (const task of tasks) {
    const taskEnd = task.ts + task.dur!;
    if (taskEnd <= start.ts || task.ts >= end.ts) continue;
    longest = Math.max(longest, task.dur! / 1000);
    busy += (Math.min(taskEnd, end.ts) - Math.max(task.ts, start.ts)) / 1000;
    if (task.dur! >= 16_000) long.push({ ms: task.dur! / 1000, what: whatRan(events, task) });
  }
  return { longestTaskMs: longest, busyMs: busy, windowMs: (end.ts - start.ts) / 1000, tasks: long };
}

// What a long task was: its biggest slices of the kinds that say what ran (script, the host's
// reading of the answer, style, layout, paint, compositing, GC), one of each kind.
const KINDS = [
  "RunMicrotasks", "FunctionCall", "TimerFire", "FireAnimationFrame", "EventDispatch", "v8.callFunction",
  "ResponseBodyLoader::DidFinishLoadingBody", "TextResourceDecoder::Decode",
  "UpdateLayoutTree", "Layout", "PrePaint", "Paint", "PaintImage", "Layerize", "Commit",
  "MinorGC", "MajorGC", "BlinkGC.AtomicPhase",
];
function whatRan(events: TraceEvent[], task: TraceEvent): string {
  const biggest = new Map<string, number>();
  for (const event of events) {
    if (event.ph !== "X" || event.pid !== task.pid || event.tid !== task.tid || event === task || !KINDS.includes(event.name)) continue;
    if (event.ts < task.ts || event.ts + (event.dur ?? 0) > task.ts + task.dur! || (event.dur ?? 0) < 2_000) continue;
    biggest.set(event.name, Math.max(biggest.get(event.name) ?? 0, event.dur!));
  }
  return [...biggest].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([name, dur]) => `${name} ${(dur / 1000).toFixed(0)} ms`).join(", ") || "no named slice";
}
