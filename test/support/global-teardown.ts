export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __testPg?: { stop(): Promise<void> } }).__testPg;
  await server?.stop();
}
