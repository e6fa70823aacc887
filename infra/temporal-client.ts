/**
 * The Temporal client every production entry point uses: starting, signalling or querying a workflow opens a
 * StartWorkflow / SignalWithStartWorkflow / ... span, a child of the active span (the API request's), whose context
 * travels to the workflow in Temporal headers. Without tracing set up the spans are no-ops and nothing is sent on.
 */
import { Client, type Connection } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';

/**
 * @example const client = createTemporalClient({ connection: await Connection.connect({ address }), namespace: 'default' });
 */
export function createTemporalClient(options: { connection: Connection; namespace?: string }): Client {
  return new Client({
    connection: options.connection,
    ...(options.namespace ? { namespace: options.namespace } : {}),
    interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] },
  });
}
