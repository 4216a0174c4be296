/** BullMQ rejects `:` in queue names and uses it to separate the parts of every key. */
export function assertRedisSafeName(what: string, name: string): void {
  if (name.length === 0 || name.includes(":")) throw new Error(`${what} must be non-empty and contain no ":" (got ${JSON.stringify(name)})`);
}

/** The prefix also names the connections (CLIENT SETNAME refuses spaces). */
export function assertValidPrefix(prefix: string): void {
  if (!/^\S+$/.test(prefix)) throw new Error(`prefix must be non-empty and contain no whitespace (got ${JSON.stringify(prefix)})`);
}
