/** The steps of up / down, in the order a person reads them. */
export type StepId = 'plan' | 'release' | 'network' | 'keypair' | 'servers' | 'active' | 'api' | 'kubeconfig' | 'delete';

export type ResourceKind = 'network' | 'subnet' | 'port' | 'keypair' | 'server' | 'release';

/** What up / down / status report as they go; the CLI renders these, other tools subscribe. */
export type ClusterEvent =
  | { type: 'step-started'; step: StepId; title: string }
  | { type: 'step-progress'; step: StepId; message: string; done?: number; total?: number }
  | { type: 'step-done'; step: StepId; message: string }
  | { type: 'step-failed'; step: StepId; error: Error }
  | { type: 'resource'; action: 'created' | 'reused' | 'deleted'; kind: ResourceKind; name: string; id: string };

export type EventSink = (event: ClusterEvent) => void;

/** Runs `work` as a step: started, then done with its summary, or failed with its error. */
export async function step<T>(emit: EventSink, id: StepId, title: string, work: () => Promise<T>, summary: (result: T) => string): Promise<T> {
  emit({ type: 'step-started', step: id, title });
  try {
    const result = await work();
    emit({ type: 'step-done', step: id, message: summary(result) });
    return result;
  } catch (error) {
    emit({ type: 'step-failed', step: id, error: error instanceof Error ? error : new Error(String(error)) });
    throw error;
  }
}
