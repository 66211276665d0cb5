/**
 * TLS for every gRPC channel, from mounted certificates (what cert-manager
 * writes: `tls.crt`, `tls.key`, `ca.crt`): a server asks its callers for a
 * certificate of the same authority, a client presents its own. All three
 * files or none; none is plaintext (local runs, tests), and then a call's
 * credentials (identity.ts) are still verified.
 */
import { readFileSync } from 'node:fs';
import { ChannelCredentials, ServerCredentials } from '@grpc/grpc-js';
import { z } from 'zod';

export const tlsEnv = {
  GRPC_TLS_CERT_FILE: z.string().optional(),
  GRPC_TLS_KEY_FILE: z.string().optional(),
  GRPC_TLS_CA_FILE: z.string().optional(),
};

export interface Transport {
  readonly server: ServerCredentials;
  /** Undefined: plaintext. */
  readonly client: ChannelCredentials | undefined;
  readonly tls: boolean;
}

export function transportFrom(config: { GRPC_TLS_CERT_FILE?: string; GRPC_TLS_KEY_FILE?: string; GRPC_TLS_CA_FILE?: string }): Transport {
  const files = [config.GRPC_TLS_CERT_FILE, config.GRPC_TLS_KEY_FILE, config.GRPC_TLS_CA_FILE];
  if (files.every((file) => !file)) return { server: ServerCredentials.createInsecure(), client: undefined, tls: false };
  if (files.some((file) => !file))
    throw new Error('GRPC_TLS_CERT_FILE, GRPC_TLS_KEY_FILE and GRPC_TLS_CA_FILE go together: set all three, or none');
  const [cert, key, ca] = files.map((file) => readFileSync(file!));
  return {
    server: ServerCredentials.createSsl(ca!, [{ cert_chain: cert!, private_key: key! }], true),
    client: ChannelCredentials.createSsl(ca, key, cert),
    tls: true,
  };
}
