// The readiness probe of a gRPC service whose port speaks mutual TLS (the
// chart's grpcTls.enabled): the kubelet's own gRPC probe speaks plaintext
// only and has no client certificate to show. This asks the same
// grpc.health.v1 Check of the whole process ("") over loopback, presenting
// the pod's own certificate (the files GRPC_TLS_CERT_FILE, GRPC_TLS_KEY_FILE
// and GRPC_TLS_CA_FILE name; plaintext without them), and exits 0 only on
// SERVING. Bare node:http2, no dependency: it is started at every probe.
import { readFileSync } from 'node:fs';
import http2 from 'node:http2';

const SERVING = 1; // grpc.health.v1.HealthCheckResponse.ServingStatus
const port = Number(process.env.GRPC_PORT ?? 50051);
const timeoutMs = Number(process.env.PROBE_TIMEOUT_MS ?? 2000);
const files = [process.env.GRPC_TLS_CERT_FILE, process.env.GRPC_TLS_KEY_FILE, process.env.GRPC_TLS_CA_FILE];

/** @returns {never} */
function done(ok, message) {
  (ok ? process.stdout : process.stderr).write(`grpc-health-probe: ${message}\n`);
  process.exit(ok ? 0 : 1);
}

setTimeout(() => done(false, `no answer within ${timeoutMs} ms`), timeoutMs).unref();

let session;
if (files.every(Boolean)) {
  const [cert, key, ca] = files.map((file) => readFileSync(file));
  session = http2.connect(`https://127.0.0.1:${port}`, {
    cert,
    key,
    ca,
    // The chain is checked against the CA; the name is not: the certificate
    // names the Service, and this dials its own pod over loopback.
    checkServerIdentity: () => undefined,
  });
} else {
  session = http2.connect(`http://127.0.0.1:${port}`);
}
session.on('error', (error) => done(false, `cannot connect: ${error.message}`));

const call = session.request({
  ':method': 'POST',
  ':path': '/grpc.health.v1.Health/Check',
  'content-type': 'application/grpc',
  te: 'trailers',
});
// One uncompressed message of length 0: HealthCheckRequest { service: "" }.
call.end(Buffer.alloc(5));

const chunks = [];
let grpcStatus;
call.on('response', (headers) => {
  if (headers[':status'] !== 200) done(false, `HTTP status ${headers[':status']}`);
  grpcStatus = headers['grpc-status']; // a trailers-only answer (an error) carries it here
});
call.on('trailers', (trailers) => {
  grpcStatus = trailers['grpc-status'];
});
call.on('data', (chunk) => chunks.push(chunk));
call.on('error', (error) => done(false, `call failed: ${error.message}`));
call.on('end', () => {
  if (grpcStatus !== undefined && grpcStatus !== '0') done(false, `gRPC status ${grpcStatus}`);
  const body = Buffer.concat(chunks);
  if (body.length < 5) done(false, 'no answer');
  const status = servingStatus(body.subarray(5, 5 + body.readUInt32BE(1)));
  done(status === SERVING, status === SERVING ? 'SERVING' : `not serving (status ${status})`);
});

/** The status field (1, a varint) of a HealthCheckResponse; absent means UNKNOWN (0). */
function servingStatus(message) {
  let i = 0;
  const varint = () => {
    let value = 0;
    for (let shift = 0; i < message.length; shift += 7) {
      const byte = message[i++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
    return done(false, 'a truncated answer');
  };
  let status = 0;
  while (i < message.length) {
    const tag = varint();
    if ((tag & 0x07) !== 0) break; // only varint fields in this message
    const value = varint();
    if (tag >> 3 === 1) status = value;
  }
  return status;
}
