/** Where the data lives, for the start-up log: host, port, database and user, never the password. */
export function describeDatabase(embedded: boolean, url: string): string {
  const u = new URL(url);
  const where = `${u.hostname}:${u.port || 5432}${u.pathname}`;
  return embedded ? `embedded PostgreSQL at ${where}` : `PostgreSQL at ${where} as ${decodeURIComponent(u.username)}`;
}
