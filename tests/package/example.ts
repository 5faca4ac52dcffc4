// A typed use of the llmmem package: tests/node/package.test.mjs copies it
// beside an installed tarball and runs `tsc --noEmit --strict` on it. Each
// expected error below proves the declarations are precise (not `any`).
import createEstimator from 'llmmem';
import type { Request, Report, OkReport, Schema, WeightFormat, Answer, GpusNeededAnswer } from 'llmmem';

async function main(): Promise<number> {
  const est = await createEstimator();
  const request: Request = {
    model: { preset: 'llama-3.1-8b' },
    engine: 'vllm',
    weights: 'awq-int4',
    kvCache: 'fp8',
    seqLen: 32768,
    gpu: 'rtx-4090',
    gpuMemoryUtilization: 0.9,
  };
  const report: Report = est.estimate(request);
  if (!report.ok) return report.errors.length;
  const ok: OkReport = report;
  const weights = ok.components.find((c) => c.id === 'weights');
  const total: number = ok.totalBytes + (weights ? weights.bytes : 0) + ok.params.active;

  const finetune: Request = {
    model: { configJson: '{"model_type": "llama"}' },
    task: 'finetune',
    method: 'qlora-4bit',
    optimizer: 'paged-adamw-8bit',
    loraTargets: ['q_proj', 'v_proj'],
    zeroStage: 3,
    gradientCheckpointing: true,
  };
  const schema: Schema = est.schema();
  const rows: WeightFormat[] = schema.engines[0].rows;
  const seqLenDefault = schema.fields.seqLen.default;
  const need: Answer<GpusNeededAnswer> = est.gpusNeeded(finetune, est.gpus()[0].usableBytes);
  const cards = need.ok ? need.value : null;
  const longest = est.maxSeqLen(request, 24e9, 131072);
  const best = est.bestFormat(request, 24e9, ['bf16', 'fp8']);
  const sweep = est.sweep(request, { axis: 'batch', to: 64, points: 8 });
  const presets = est.presets().map((p) => p.hfId ?? p.id);
  const plan = est.plan(request, { gpu: 'rtx-4090', maxGpus: 8 });
  const planCards: number = 'errors' in plan ? 0 : plan.gpus + Object.keys(plan.changes).length;
  const fits: boolean = report.ok && report.fit !== undefined && report.fit.ok;

  // @ts-expect-error: 'train' is not a task
  est.estimate({ model: { preset: 'x' }, task: 'train' });
  // @ts-expect-error: a model is exactly one of preset, config, configJson, params
  est.estimate({ model: { preset: 'x', params: 7e9 } });
  // @ts-expect-error: zeroStage is 0 to 3
  est.estimate({ model: { params: 7e9 }, zeroStage: 4 });
  // @ts-expect-error: the model is required
  est.estimate({ seqLen: 4096 });

  return total + (cards ?? 0) + rows.length + presets.length + String(seqLenDefault).length +
    (longest.ok ? longest.value : 0) + (best.ok && best.value ? 1 : 0) + (sweep.ok ? sweep.x.length : 0) + planCards + (fits ? 1 : 0);
}

main().then((n) => n > 0);
