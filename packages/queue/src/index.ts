export type { EventBus, KeyedJobQueue, KeyHandler, Logger, RunResult, Scheduler } from "./types.ts";
export { InProcessBus, InProcessQueue, IntervalScheduler } from "./in-process.ts";
