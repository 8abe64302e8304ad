/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The router's GraphQL endpoint, inlined at build time. Default: http://localhost:4000/graphql. */
  readonly VITE_GRAPHQL_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
