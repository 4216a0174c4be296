export type LogFn = (line: string) => void;

export function makeLogger(option: boolean | LogFn | undefined): LogFn {
  if (typeof option === "function") return option;
  if (option === false) return () => {};
  return (line) => process.stderr.write(`[zendesk-sandbox] ${line}\n`);
}
