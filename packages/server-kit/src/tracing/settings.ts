import { z } from 'zod';

/**
 * What a router does with a caller's W3C `traceparent` (TRACE_INCOMING_CONTEXT): `link` starts a new
 * trace at the router and links the caller's span to it (the default: a client cannot pick our trace
 * ids or force sampling, and its trace still leads to ours); `honor` continues the caller's trace
 * (when the caller is a trusted service of your own); `ignore` starts a new trace with no link.
 */
export const INCOMING_TRACE_CONTEXT_POLICIES = ['link', 'honor', 'ignore'] as const;
export type IncomingTraceContextPolicy = (typeof INCOMING_TRACE_CONTEXT_POLICIES)[number];

/** The OTLP protocols the SDK exports traces with. */
const OTLP_PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'] as const;
const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();
const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, such as http://localhost:4318' })
  .optional();

/**
 * The standard OpenTelemetry variables this project reads itself, checked before the SDK starts so a
 * typo is a clear error at start-up rather than traces silently going nowhere. The SDK reads them
 * (and the rest: OTEL_RESOURCE_ATTRIBUTES, OTEL_BSP_*, headers) again on its own.
 */
export const tracingEnvironmentSchema = z.object({
  OTEL_SDK_DISABLED: z
    .enum(['true', 'false', 'TRUE', 'FALSE', ''], { error: 'must be true or false' })
    .optional()
    .transform((value) => value?.toLowerCase() === 'true'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess((value) => (value === '' ? undefined : value), httpUrl),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.preprocess((value) => (value === '' ? undefined : value), httpUrl),
  OTEL_EXPORTER_OTLP_PROTOCOL: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.enum(OTLP_PROTOCOLS, { error: `must be one of ${OTLP_PROTOCOLS.join(', ')}` }).optional(),
  ),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.enum(OTLP_PROTOCOLS, { error: `must be one of ${OTLP_PROTOCOLS.join(', ')}` }).optional(),
  ),
  OTEL_TRACES_EXPORTER: optionalText,
  OTEL_TRACES_SAMPLER: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.enum(SAMPLERS, { error: `must be one of ${SAMPLERS.join(', ')}` }).optional(),
  ),
  OTEL_TRACES_SAMPLER_ARG: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.coerce
      .number({ error: 'must be a sampling ratio between 0 and 1' })
      .min(0, { error: 'must be a sampling ratio between 0 and 1' })
      .max(1, { error: 'must be a sampling ratio between 0 and 1' })
      .optional(),
  ),
  OTEL_SERVICE_NAME: optionalText,
  TRACE_INCOMING_CONTEXT: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .enum(INCOMING_TRACE_CONTEXT_POLICIES, { error: `must be one of ${INCOMING_TRACE_CONTEXT_POLICIES.join(', ')}` })
      .default('link'),
  ),
});

export interface TracingSettings {
  /** Whether to start the SDK: an exporter is configured (an OTLP endpoint, or OTEL_TRACES_EXPORTER) and OTEL_SDK_DISABLED is not true. */
  enabled: boolean;
  serviceName: string;
  incomingContext: IncomingTraceContextPolicy;
}

/** Reads the tracing settings from `env`; throws a message naming every bad variable. */
export function readTracingSettings(service: string, env: NodeJS.ProcessEnv = process.env): TracingSettings {
  const parsed = tracingEnvironmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid tracing settings:\n  ${problems.join('\n  ')}`);
  }
  const values = parsed.data;
  const exporters = (values.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const hasEndpoint = Boolean(values.OTEL_EXPORTER_OTLP_ENDPOINT ?? values.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  const hasOtherExporter = exporters.some((name) => name !== 'otlp' && name !== 'none');
  const isOff = values.OTEL_SDK_DISABLED || exporters.includes('none');
  return {
    enabled: !isOff && (hasEndpoint || hasOtherExporter),
    serviceName: values.OTEL_SERVICE_NAME ?? service,
    incomingContext: values.TRACE_INCOMING_CONTEXT,
  };
}
