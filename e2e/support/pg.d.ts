// The repository root has pg but not @types/pg (dependencies are fixed); this declares the part the tests use.
declare module 'pg' {
  interface ClientConfig {
    host: string;
    port: number;
    user: string;
    password: string;
    database: string;
    connectionTimeoutMillis?: number;
  }
  interface Client {
    connect(): Promise<void>;
    query(sql: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
    end(): Promise<void>;
  }
  const pg: { Client: new (config: ClientConfig) => Client };
  export default pg;
}
