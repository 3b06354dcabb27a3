/** The stages of the pipeline, in order; also the `stage` label of the pipeline metrics. */
export const PIPELINE_STAGES = ['validate', 'sender_lease', 'route', 'dispatch'] as const;

export type PipelineStage = (typeof PIPELINE_STAGES)[number];
