// TypeScript declarations of the llmmem package (copied to dist/llmmem.d.ts by
// wasm/package-dist.mjs). They describe the project contract: plain objects in
// and out, every size in whole bytes per GPU, nothing throws. The enumerations
// mirror est.schema(); tests/node/package.test.mjs checks that every field and
// value of the schema is named here.
//
//   const createEstimator = require('llmmem');      // CommonJS
//   import createEstimator from 'llmmem';           // ES module
//   const est = await createEstimator();

declare function createEstimator(moduleOverrides?: Record<string, unknown>): Promise<createEstimator.Estimator>;

declare namespace createEstimator {
  // --- the request ---------------------------------------------------------

  type Task = 'inference' | 'finetune';
  type Engine = 'transformers' | 'vllm' | 'llama.cpp';
  type EstimatorKind = 'detailed' | 'simple';
  /** Formats of the transformers and vLLM engines. */
  type TorchWeightFormat =
    | 'fp32' | 'bf16' | 'fp16' | 'fp8' | 'int8' | 'int4' | 'nf4' | 'gptq-int4' | 'gptq-int8' | 'awq-int4';
  /** llama.cpp's GGUF file types, in lower case. */
  type GgufWeightFormat =
    | 'f32' | 'f16' | 'q8_0' | 'q6_k' | 'q5_k_m' | 'q5_k_s' | 'q5_1' | 'q5_0' | 'q4_k_m' | 'q4_k_s' | 'q4_1' | 'q4_0'
    | 'iq4_xs' | 'iq4_nl' | 'mxfp4' | 'q3_k_l' | 'q3_k_m' | 'q3_k_s' | 'iq3_m' | 'iq3_s' | 'iq3_xs' | 'iq3_xxs'
    | 'q2_k' | 'q2_k_s' | 'iq2_m' | 'iq2_s' | 'iq2_xs' | 'iq2_xxs' | 'tq2_0' | 'iq1_m' | 'iq1_s' | 'tq1_0';
  type WeightFormat = TorchWeightFormat | GgufWeightFormat;
  /** 'auto' is the compute dtype. */
  type KvCacheType = 'auto' | 'fp16' | 'bf16' | 'fp32' | 'fp8' | 'q8_0' | 'q4_0' | 'q4_1' | 'iq4_nl' | 'q5_0' | 'q5_1';
  type Method = 'full' | 'lora' | 'qlora-8bit' | 'qlora-4bit';
  type Optimizer =
    | 'adamw' | 'adam' | 'sgd' | 'sgd-momentum' | 'rmsprop' | 'adamw-8bit' | 'paged-adamw-8bit' | 'adafactor' | 'lion';
  type Attention = 'eager' | 'sdpa' | 'flash';
  type TrainingPrecision = 'bf16' | 'mixed-bf16' | 'mixed-fp16' | 'fp32';
  type CpuOffload = 'none' | 'optimizer' | 'optimizer+params';
  type Trainer = 'hf-trainer' | 'torchtune' | 'accelerate-fsdp' | 'fsdp-qlora' | 'deepspeed' | 'unsloth' | 'plain-pytorch';
  type ZeroStage = 0 | 1 | 2 | 3;

  /** A Hugging Face config.json, parsed. */
  type HfConfig = { model_type?: string; [key: string]: unknown };

  /** Exactly one of: a preset id, a config.json (parsed or as text), or a parameter count. */
  type ModelSpec =
    | { preset: string; config?: never; configJson?: never; params?: never }
    | { config: HfConfig; preset?: never; configJson?: never; params?: never }
    | { configJson: string; preset?: never; config?: never; params?: never }
    | { params: number; preset?: never; config?: never; configJson?: never };

  interface Request {
    model: ModelSpec;
    /** Default 'detailed' ('simple' when model is {params}). */
    estimator?: EstimatorKind;
    task?: Task;
    engine?: Engine;
    weights?: WeightFormat;
    kvCache?: KvCacheType;
    /** Inference: concurrent sequences; fine-tuning: micro-batch per GPU. */
    batch?: number;
    /** Tokens per sequence (prompt + generated; the training sequence length). */
    seqLen?: number;
    method?: Method;
    optimizer?: Optimizer;
    loraRank?: number;
    loraTargets?: 'all-linear' | string[];
    /** PEFT's modules_to_save: trainable full copies beside the adapters. */
    modulesToSave?: string[];
    gradientCheckpointing?: boolean;
    gpus?: number;
    zeroStage?: ZeroStage;
    /** Must divide gpus. */
    tensorParallel?: number;
    attention?: Attention;
    /** llama.cpp n_ubatch. */
    ubatch?: number;
    /** llama.cpp V-cache type when it differs from K's (kvCache). */
    kvCacheV?: Exclude<KvCacheType, 'auto'>;
    /** llama.cpp -ngl. */
    gpuLayers?: number;
    /** llama.cpp -ot exps=CPU. */
    expertsOnCpu?: boolean;
    /** llama.cpp --swa-full. */
    swaFull?: boolean;
    /** vLLM: the fraction of the card it claims (0, 1]; default 0.9. */
    gpuMemoryUtilization?: number;
    maxNumBatchedTokens?: number;
    maxNumSeqs?: number;
    maxModelLen?: number;
    /** vLLM: false is --enforce-eager. */
    cudaGraphs?: boolean;
    /** The real bits per weight of a specific file, overriding the format's own mix. */
    bitsPerWeight?: number;
    /** The model files' exact tensor bytes (from readModelFile): the weights of the whole model, placed as the engine places them. */
    weightsBytes?: number;
    trainingPrecision?: TrainingPrecision;
    cpuOffload?: CpuOffload;
    optimizerInBackward?: boolean;
    activationOffloading?: boolean;
    chunkedLoss?: boolean;
    /** Fine-tuning: the trainer whose defaults apply; each is overridable by its own field below. */
    trainer?: Trainer;
    compile?: boolean;
    fsdpVersion?: 1 | 2;
    emptyCacheEachStep?: boolean;
    useCache?: boolean;
    fusedOptimizer?: boolean;
    zeroGradSetToNone?: boolean;
    /** A card id from gpus(). */
    gpu?: string;
    /** A custom card's memory in bytes. */
    gpuMemoryBytes?: number;
    /** Free text; never changes the estimate. */
    notes?: string;
  }

  // --- the report ----------------------------------------------------------

  /** The six ids every report carries, then the ones some reports add. */
  type ComponentId =
    | 'weights' | 'kv_cache' | 'activations' | 'gradients' | 'optimizer' | 'overhead'
    | 'master_weights' | 'logits' | 'adapter' | 'dequant_buffer' | 'allocator_reserve'
    | (string & {});

  interface Component {
    id: ComponentId;
    /** Per GPU, whole bytes. */
    bytes: number;
    /** The arithmetic with its values, e.g. "8.03e9 params × 2 B = 16.06 GB". */
    formula: string;
  }

  interface FieldError {
    /** The request field, as a path: "seqLen", "model.preset", "model.configJson.hidden_size". */
    field: string;
    message: string;
  }

  interface ErrorReport {
    ok: false;
    errors: FieldError[];
  }

  /** Whether the per-GPU total fits the card of request.gpu / gpuMemoryBytes (when the core reports it). */
  interface Fit {
    ok: boolean;
    gpus: number;
    usableBytes: number;
    reasons: Array<{ id: string; message: string }>;
  }

  /** vLLM's pool on the card of request.gpu. */
  interface VllmPool {
    budgetBytes: number;
    cardBytes: number;
    kvCapacityTokens: number;
    kvPoolBytes: number;
    maxConcurrentSeqs: number;
  }

  interface OkReport {
    ok: true;
    estimator: EstimatorKind;
    /**
     * total: the model as engines load it; checkpoint: total plus what the checkpoint stores beside
     * it and plain inference does not load (multi-token-prediction layers).
     */
    params: { total: number; active: number; trainable: number; checkpoint: number };
    components: Component[];
    /** The sum of the components, per GPU. */
    totalBytes: number;
    warnings: string[];
    /** The engine or trainer settings assumed, in words. */
    settings: Record<string, string>;
    vllm?: VllmPool;
    fit?: Fit;
    memory?: { allocatedBytes: number; reservedBytes: number; deviceBytes: number };
    /**
     * Fine-tuning: the totals the measured runs of this trainer and method imply (10th to 90th
     * percentile of their error); `trainer` / `method` are "*" where the runs were pooled.
     */
    range?: { lowBytes: number; highBytes: number; cases: number; trainer: string; method: string; medianError: number };
  }

  type Report = OkReport | ErrorReport;

  // --- the inverse questions ----------------------------------------------

  /** An answer of an inverse question, or the errors of its request. */
  type Answer<T> = ({ ok: true } & T) | ErrorReport;

  interface MaxAnswer {
    /** 0 when not even 1 fits. */
    value: number;
    /** True when the answer is the limit itself. */
    capped: boolean;
    limit: number;
    totalBytes: number;
    /** With a card in the request: what the next value up runs into (a fit reason id, or "limit"). */
    binding?: string;
    /** vLLM with a card and no maxModelLen: the --max-model-len the answer assumes. */
    changes?: { maxModelLen: number };
  }

  interface PlanOptions {
    /** The card (an id from gpus()); otherwise the request's own gpu / gpuMemoryBytes. */
    gpu?: string;
    gpuMemoryBytes?: number;
    /** The most cards the plan may use (default 8). */
    maxGpus?: number;
  }

  interface PlanAnswer {
    /** False when nothing within maxGpus makes it fit. */
    ok: boolean;
    gpus: number;
    /** Request fields to set: estimate({...request, ...changes}).fit.ok holds when ok. */
    changes: Partial<Request>;
    totalBytes: number;
    /** What stops the request as given: a fit reason id. */
    binding: string;
    /** In plain words: "fits on 8 × NVIDIA H100 SXM 80GB with ZeRO-3 and gradient checkpointing". */
    summary: string;
    fit: Fit | null;
  }

  interface BestFormatAnswer {
    /** The most precise candidate that fits; null when none does. */
    value: WeightFormat | null;
    candidates: Array<{ weights: WeightFormat; ok: boolean; totalBytes: number | null; fits: boolean }>;
  }

  interface GpusNeededAnswer {
    /** null when no count up to the limit holds the request. */
    value: number | null;
    perGpuBytes: number;
    basis: string;
  }

  interface SweepRange {
    axis: 'seqLen' | 'batch';
    from?: number;
    to: number;
    points?: number;
  }

  interface SweepAnswer {
    axis: 'seqLen' | 'batch';
    x: number[];
    /** null where that point's request is invalid. */
    totalBytes: Array<number | null>;
  }

  // --- catalogs and the schema --------------------------------------------

  interface Preset {
    id: string;
    name: string;
    family: string;
    params: number;
    activeParams: number;
    hfId?: string;
    maxContext?: number;
    modelType?: string;
    source: string;
  }

  interface Gpu {
    id: string;
    name: string;
    vendor: string;
    segment: string;
    /** The card's memory. */
    memoryBytes: number;
    /** What its driver lets a process allocate. */
    usableBytes: number;
    basis: string;
    source: string;
    notes: string;
  }

  type FieldType = 'model' | 'enum' | 'integer' | 'number' | 'boolean' | 'string' | 'gpu' | 'modules';

  interface FieldSchema {
    type: FieldType;
    values?: string[];
    min?: number;
    max?: number;
    minExclusive?: number;
    maxItems?: number;
    maxLength?: number;
    /** null: the engine's or trainer's own default applies. */
    default: string | number | boolean | string[] | null;
    /** The task or engines the field applies to. */
    appliesTo?: Array<Task | Engine>;
    /** type 'model': the forms of ModelSpec and the bounds of {params}. */
    forms?: Array<'preset' | 'config' | 'configJson' | 'params'>;
    params?: { min: number; max: number };
  }

  interface EngineSchema {
    id: Engine;
    /** The formats of the 16-bit, 8-bit and 4-bit rows. */
    rows: [WeightFormat, WeightFormat, WeightFormat];
    weights: WeightFormat[];
    kvCache: KvCacheType[];
  }

  interface Schema {
    version: number;
    fields: { [K in keyof Request]-?: FieldSchema };
    fieldOrder: Array<keyof Request>;
    engines: EngineSchema[];
    weights: Array<{ id: WeightFormat; label: string; bits: number; gguf: boolean }>;
    kvCache: Array<{ id: Exclude<KvCacheType, 'auto'>; bits: number }>;
    /** Sizes refused before parsing: a request's JSON text and a configJson text. */
    limits: { requestBytes: number; configJsonBytes: number };
    /** The measured error (make bench, core/data/accuracy.json); null if the build has none. */
    accuracy: {
      source: string;
      inference: Array<{ engine: Engine; n: number; medianAbs: number; p90Abs: number; compared: string[] }>;
      finetune: Array<{ trainer: string; method: string; n: number; low: number; high: number; median: number; medianAbs: number }>;
    } | null;
  }

  // --- model files -----------------------------------------------------------

  /** Tensors of one type (GGUF: a ggml type such as 'q4_K'; safetensors: a dtype such as 'BF16'). */
  interface TensorTally {
    type: string;
    tensors: number;
    elements: number;
    bytes: number;
  }

  /** est.readModelFile: what a file's header says, or how many bytes it needs, or why it cannot be read. */
  interface ModelFileInfo {
    ok: boolean;
    kind?: 'gguf' | 'safetensors' | 'safetensors-index' | 'config' | 'json';
    name?: string;
    /** Read at least this many bytes from the start of the file and ask again. */
    needBytes?: number;
    errors?: FieldError[];
    /** GGUF general.architecture, and the config.json model_type it maps to. */
    architecture?: string;
    modelType?: string;
    modelName?: string;
    version?: number;
    tensorCount?: number;
    /** GGUF: the tensor table's elements, and the parameters the core's family counts for the config. */
    parameters?: number;
    configParameters?: number;
    /** E.g. when those two differ by more than 2%. */
    warnings?: string[];
    /** The sum of every tensor's bytes: the weights exactly as the files store them. */
    weightsBytes?: number;
    headerBytes?: number;
    fileBytes?: number;
    /** GGUF general.file_type as a weight format ('q4_k_m'). */
    fileType?: WeightFormat;
    /** safetensors: 'mxfp4', 'nvfp4', 'fp8' or 'gptq-int4' when the tensors say so. */
    quantization?: string;
    byType?: TensorTally[];
    shards?: string[];
    /** A gguf-split part: index from 0; the model metadata is in part 0 only. */
    split?: { index: number; count: number };
    config?: Record<string, unknown>;
    metadata?: Record<string, string>;
    /** The request fields the file gives: model ({config}), engine, weights, weightsBytes. */
    request?: Partial<Request>;
  }

  // --- the module ------------------------------------------------------------

  interface Estimator {
    /** Never throws: bad input gives {ok: false, errors}. */
    estimate(request: Request): Report;
    presets(): Preset[];
    gpus(): Gpu[];
    schema(): Schema;
    /** The longest seqLen that fits budgetBytes, or the request's card by its fit (budget optional then). */
    maxSeqLen(request: Request, budgetBytes?: number, limit?: number): Answer<MaxAnswer>;
    /** The largest batch that fits (same rules as maxSeqLen). */
    maxBatch(request: Request, budgetBytes?: number, limit?: number): Answer<MaxAnswer>;
    /** The most precise format that fits (candidates default to the engine's 16/8/4-bit rows). */
    bestFormat(request: Request, budgetBytes?: number, candidates?: WeightFormat[]): Answer<BestFormatAnswer>;
    /** The fewest cards of gpuBytes each, or of the request's card (a count the engine can use, by fit). */
    gpusNeeded(request: Request, gpuBytes?: number, limit?: number): Answer<GpusNeededAnswer>;
    /** The cheapest change that makes the request fit its card. */
    plan(request: Request, options?: PlanOptions): PlanAnswer | ErrorReport;
    /** Per-GPU totals over a range of seqLen or batch. */
    sweep(request: Request, range: SweepRange): Answer<SweepAnswer>;
    /** Each engine's 16/8/4-bit row formats. */
    formats(): Record<Engine, [WeightFormat, WeightFormat, WeightFormat]>;
    /** A model file's header: bytes are its first bytes (File.slice), grown to needBytes when asked. */
    readModelFile(bytes: Uint8Array, name: string, fileSize?: number): ModelFileInfo;
  }
}

export = createEstimator;
