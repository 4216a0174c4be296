import { InProcessBus, InProcessQueue } from "./in-process.ts";
import { describeBusContract, describeQueueContract } from "./testing/contract.ts";

describeQueueContract("InProcessQueue", (log) => new InProcessQueue(log));
describeBusContract("InProcessBus", () => new InProcessBus());
