/**
 * Whether spans leave the process (`OTEL_EXPORTER_OTLP_ENDPOINT` is set).
 * OpenTelemetry runs only then: without an exporter no span would ever be
 * seen, and making them cost every request (about a tenth of the gateway's
 * busy time, and the peer of every gRPC call parsed) for trace ids in logs
 * alone is not worth it.
 */
export const tracesExported = (): boolean => Boolean(process.env.OTEL_EXPORTER_OTLP_ENDPOINT);
