import { startSandbox } from "./sandbox.ts";

const port = process.env.SANDBOX_PORT ? Number(process.env.SANDBOX_PORT) : 4010;
const sandbox = await startSandbox({
  port,
  ...(process.env.SANDBOX_HOST ? { host: process.env.SANDBOX_HOST } : {}),
  ...(process.env.SANDBOX_DATA_FILE ? { dataFile: process.env.SANDBOX_DATA_FILE } : {}),
  ...(process.env.SANDBOX_PUBLIC_URL ? { publicUrl: process.env.SANDBOX_PUBLIC_URL } : {}),
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void sandbox.close().then(() => process.exit(0));
  });
}
