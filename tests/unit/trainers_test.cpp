// The trainers (#17): each mechanism of core/finetune against a published
// figure or the arithmetic its source states, the three memory readings and
// the range of every fine-tuning report, and the trainer field's overrides.
#include <catch2/catch.hpp>

#include "parts/activations.hpp"
#include "support.hpp"

using llmmem::test::component;
using llmmem::test::estimate;
using nlohmann::json;

namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

double gib(const json& r, const char* key) {
  return double(r.at("memory").at(key).get<std::uint64_t>()) / kGiB;
}

bool has_component(const json& r, const std::string& id) {
  for (const auto& c : r.at("components"))
    if (c.at("id") == id) return true;
  return false;
}

// Answer.AI fsdp_qlora benchmark template: Llama-2-7B, LoRA r64 on
// q,k,v,gate,up,down, batch 1, gradient checkpointing, 2 GPUs FSDP full shard.
json fsdp_qlora_lora(int seq_len) {
  return {{"model", {{"preset", "llama-2-7b"}}},
          {"task", "finetune"},
          {"trainer", "fsdp-qlora"},
          {"method", "lora"},
          {"loraRank", 64},
          {"loraTargets", {"q_proj", "k_proj", "v_proj", "gate_proj", "up_proj", "down_proj"}},
          {"batch", 1},
          {"seqLen", seq_len},
          {"gradientCheckpointing", true},
          {"gpus", 2},
          {"zeroStage", 3}};
}

// torchtune's Llama 3.2 3B optimisation table (A100, bs 2, 4096 packed).
json llama32_3b_full() {
  return {{"model", {{"preset", "llama-3.2-3b"}}}, {"task", "finetune"}, {"method", "full"},
          {"trainingPrecision", "bf16"},           {"batch", 2},         {"seqLen", 4096}};
}

}  // namespace

TEST_CASE(
    "FSDP keeps the root unit gathered and fsdp_qlora holds the fp32 logits: 8.28 / 9.16 GiB") {
  // fsdp_qlora benchmarks_03_2024.md: "the peak allocated memory is 8.28 GiB
  // vs 9.16 GiB" for LoRA at 512 and 2048 tokens (reserved 10.24 / 10.22 GiB).
  const json a = estimate(fsdp_qlora_lora(512)), b = estimate(fsdp_qlora_lora(2048));
  REQUIRE(a.at("ok") == true);
  REQUIRE(b.at("ok") == true);
  CHECK_THAT(gib(a, "allocatedBytes"), Catch::Matchers::WithinRel(8.28, 0.05));
  CHECK_THAT(gib(b, "allocatedBytes"), Catch::Matchers::WithinRel(9.16, 0.05));
  // The root unit (embeddings, lm_head, final norm: 262M params in bf16) is part of what is
  // gathered.
  CHECK(a.at("settings").at("trainer") == "fsdp-qlora");
  CHECK(component(a, "gathered_params") >= std::uint64_t(2 * 262144000));
}

TEST_CASE("bytes per logit follow the loss form") {
  using llmmem::loss_bytes_per_logit;
  using llmmem::LossSettings;
  LossSettings plain, held, compiled, chunked, both;
  held.held_output = true;
  compiled.compiled = true;
  chunked.chunked = true;
  both.chunked = both.compiled = true;
  // #17: not chunked, not compiled: the bf16 logits stay referenced beside
  // the fp32 work, 14 B; the loop holding fp32 logits 16 B; compiled 8 B; a
  // compiled chunked loss e + 2e/C; torchtune's eager chunked loss e + 12/8.
  CHECK(loss_bytes_per_logit(plain, 2) == 14);
  CHECK(loss_bytes_per_logit(held, 2) == 16);
  CHECK(loss_bytes_per_logit(compiled, 2) == 8);
  CHECK(loss_bytes_per_logit(both, 2) == 2.5);
  CHECK(loss_bytes_per_logit(chunked, 2) == 3.5);
}

TEST_CASE("torchtune's Llama 3.2 3B table: eager 60.0 GiB active, with torch.compile 51.0 GiB") {
  // torchtune docs, memory optimisation overview, Llama 3.2 3B full fine-tune
  // rows "baseline" (60.0 GiB) and "+ torch.compile" (51.0 GiB), peak active.
  json req = llama32_3b_full();
  const json eager = estimate(req);
  req["compile"] = true;
  const json compiled = estimate(req);
  REQUIRE(eager.at("ok") == true);
  REQUIRE(compiled.at("ok") == true);
  CHECK_THAT(gib(eager, "allocatedBytes"), Catch::Matchers::WithinRel(60.0, 0.05));
  CHECK_THAT(gib(compiled, "allocatedBytes"), Catch::Matchers::WithinRel(51.0, 0.07));
  // 2 × 4096 × 128256 logits: 14 B eager, 8 B compiled.
  CHECK(component(eager, "logits") == std::uint64_t(2.0 * 4096 * 128256 * 14));
  CHECK(component(compiled, "logits") == std::uint64_t(2.0 * 4096 * 128256 * 8));
}

TEST_CASE("torch's foreach AdamW allocates one state-sized temporary in the step") {
  // #17: 6.4 GB for a 3B full fine-tune in bf16 (_multi_tensor_adamw's
  // _foreach_sqrt of every exp_avg_sq): Llama 3.2 3B, 3.21e9 params × 2 B.
  json req = llama32_3b_full();
  req["gradientCheckpointing"] = true;
  req["chunkedLoss"] = true;
  req["trainer"] = "plain-pytorch";
  const json foreach_step = estimate(req);
  REQUIRE(foreach_step.at("ok") == true);
  CHECK(foreach_step.at("settings").at("peak") == "at the optimizer step");
  CHECK_THAT(double(component(foreach_step, "optimizer_step")) / 1e9,
             Catch::Matchers::WithinRel(6.43, 0.01));
  req["fusedOptimizer"] = true;
  CHECK_FALSE(has_component(estimate(req), "optimizer_step"));
}

TEST_CASE("Unsloth's gradient checkpointing keeps its checkpoints on the CPU: 7 GB for 7B QLoRA") {
  // LLaMA-Factory README benchmark (unsloth+fa2 QLoRA): LLaMA2-7B, bs 4, max
  // length 1024, LoRA rank 8, GPU memory 7 GB (rounded to whole GB).
  json req = {{"model", {{"preset", "llama-2-7b"}}},
              {"task", "finetune"},
              {"trainer", "unsloth"},
              {"method", "qlora-4bit"},
              {"weights", "nf4"},
              {"loraRank", 8},
              {"batch", 4},
              {"seqLen", 1024},
              {"gradientCheckpointing", true}};
  const json u = estimate(req);
  REQUIRE(u.at("ok") == true);
  // Its metric is not stated: the device total, CUDA context included; ±0.5 GB of rounding.
  CHECK_THAT(double(u.at("totalBytes").get<std::uint64_t>()) / 1e9,
             Catch::Matchers::WithinRel(7.0, 0.10));
  // Unsloth's own prepare_model_for_kbit_training leaves the 16-bit parameters
  // (embeddings + lm_head 2 x 32000 x 4096, 65 norms x 4096) as they are: PEFT's less 2 B each.
  json peft = req;
  peft["trainer"] = "hf-trainer";
  CHECK(component(estimate(peft), "weights") - component(u, "weights") ==
        std::uint64_t(2 * 32000 * 4096 + 65 * 4096) * 2);
  // Offloaded: the same as torchtune's activationOffloading; the HF Trainer keeps all 32
  // checkpointed inputs (32 x 4 x 1024 x 4096 x 2 B = 1 GiB) on the GPU.
  req["activationOffloading"] = true;
  CHECK(component(estimate(req), "activations") == component(u, "activations"));
  req["trainer"] = "hf-trainer";
  req["chunkedLoss"] = true;
  req.erase("activationOffloading");
  const json hf = estimate(req);
  CHECK(double(component(hf, "activations") - component(u, "activations")) / kGiB >= 0.9);
  // A request naming no trainer with Unsloth's defaults (4-bit, adamw_8bit, one GPU) is read as
  // Unsloth; eager attention (which Unsloth never runs) is not.
  req.erase("trainer");
  req.erase("chunkedLoss");
  req["optimizer"] = "adamw-8bit";
  CHECK(
      estimate(req).at("settings").at("trainer").get<std::string>().rfind("unsloth (inferred", 0) ==
      0);
  req["attention"] = "eager";
  CHECK(estimate(req).at("settings").at("trainer").get<std::string>().rfind("hf-trainer", 0) == 0);
}

TEST_CASE("zero_grad(set_to_none=False) keeps every gradient alive at the loss") {
  json req = llama32_3b_full();
  const json none = estimate(req);
  req["zeroGradSetToNone"] = false;
  const json zeroed = estimate(req);
  REQUIRE(zeroed.at("ok") == true);
  CHECK(none.at("settings").at("peak") == "at the loss");
  CHECK(component(none, "gradients") == 0);
  // 3.21e9 bf16 gradients, allocated since the previous step.
  CHECK_THAT(double(component(zeroed, "gradients")) / 1e9, Catch::Matchers::WithinRel(6.43, 0.01));
}

TEST_CASE(
    "DeepSpeed ZeRO-3 keeps stage3_max_live_parameters gathered; offload clamps before the peak") {
  // PEFT README: bigscience/T0_3B LoRA with DeepSpeed ZeRO-3 CPU offload of
  // parameters and optimizer, GPU peak 9.8 GB (TorchTracemalloc, allocated).
  json req = {{"model", {{"preset", "llama-3.2-3b"}}},
              {"task", "finetune"},
              {"method", "lora"},
              {"weights", "fp32"},
              {"gpus", 1},
              {"zeroStage", 3},
              {"cpuOffload", "optimizer+params"}};
  const json r = estimate(req);
  REQUIRE(r.at("ok") == true);
  CHECK(r.at("settings").at("trainer").get<std::string>().rfind("deepspeed", 0) == 0);
  // 1e9 live parameters (deepspeed/runtime/zero/config.py) × 4 B (fp32).
  CHECK_THAT(double(component(r, "gathered_params")), Catch::Matchers::WithinRel(4e9, 0.001));
  CHECK(r.at("settings").at("peak") == "at the loss");
  // Full fine-tuning with parameter offload: the optimizer step's unclamped
  // gradients (3.2 GB here) outweigh every other moment, but only one layer's
  // stay on the GPU. Clamped first, the peak is in backward with its
  // activations (#17: the old order picked the step, then clamped, and
  // reported 0.1 GB of gradients and no activations).
  json full = llama32_3b_full();
  full["batch"] = 1;
  full["seqLen"] = 1024;
  full["chunkedLoss"] = true;
  full["gradientCheckpointing"] = true;
  full["gpus"] = 2;
  full["zeroStage"] = 3;
  full["cpuOffload"] = "optimizer+params";
  full["trainer"] = "accelerate-fsdp";
  const json f = estimate(full);
  REQUIRE(f.at("ok") == true);
  CHECK(f.at("settings").at("peak") == "in the backward pass");
  CHECK(component(f, "activations") > 0);
}

TEST_CASE("plain PyTorch + PEFT saves each adapter's fp32 input copy; HF SDPA repeats K/V") {
  json req = {{"model", {{"preset", "llama-3.2-3b"}}},
              {"task", "finetune"},
              {"method", "lora"},
              {"batch", 2},
              {"seqLen", 1024},
              {"attention", "flash"},
              {"loraTargets", {"q_proj"}}};
  req["trainer"] = "hf-trainer";
  const json autocast = estimate(req);
  req["trainer"] = "plain-pytorch";
  req["trainingPrecision"] = "mixed-bf16";  // fp32 adapters on a bf16 base, no autocast
  const json plain = estimate(req);
  REQUIRE(plain.at("ok") == true);
  // The adapter on q_proj saves x (3072 wide) as fp32: 4 B instead of autocast's 2 B,
  // per token and layer; the rest of the layer is the same.
  const double tokens = 2 * 1024, layers = 28, h = 3072;
  const double diff =
      double(component(plain, "activations")) - double(component(autocast, "activations"));
  CHECK_THAT(diff, Catch::Matchers::WithinRel(2 * h * tokens * layers, 0.001));
  // SDPA with a padding mask saves K/V for all 24 query heads instead of 8
  // (#17), and use_cache (on without checkpointing) keeps the unrepeated 8 too.
  req.erase("trainingPrecision");
  req["trainer"] = "hf-trainer";
  req["attention"] = "sdpa";
  const double sdpa = double(component(estimate(req), "activations"));
  const double expanded = 2 * (24 - 8) * 128 * 2 * tokens * layers;  // K and V, bf16
  const double cache = 2 * 8 * 128 * 2 * tokens * layers;
  CHECK_THAT(sdpa - double(component(autocast, "activations")),
             Catch::Matchers::WithinRel(expanded + cache, 0.001));
  req["useCache"] = false;
  CHECK_THAT(
      double(component(estimate(req), "activations")) - double(component(autocast, "activations")),
      Catch::Matchers::WithinRel(expanded, 0.001));
}

TEST_CASE("every fine-tuning report carries the three readings and a range around the total") {
  for (const char* trainer : {"hf-trainer", "torchtune", "accelerate-fsdp", "fsdp-qlora",
                              "deepspeed", "unsloth", "plain-pytorch"}) {
    for (const char* method : {"full", "lora", "qlora-4bit"}) {
      CAPTURE(trainer, method);
      json req = {{"model", {{"preset", "llama-3.1-8b"}}},
                  {"task", "finetune"},
                  {"trainer", trainer},
                  {"method", method},
                  {"gpus", 2},
                  {"zeroStage", 3}};
      const json r = estimate(req);
      REQUIRE(r.at("ok") == true);
      const auto total = r.at("totalBytes").get<std::uint64_t>();
      const json& m = r.at("memory");
      CHECK(m.at("deviceBytes").get<std::uint64_t>() == total);
      CHECK(m.at("reservedBytes").get<std::uint64_t>() == total - component(r, "overhead"));
      CHECK(m.at("allocatedBytes").get<std::uint64_t>() ==
            total - component(r, "overhead") - component(r, "allocator_reserve"));
      for (const char* id : {"weights", "kv_cache", "activations", "gradients", "optimizer",
                             "overhead", "allocator_reserve"})
        CHECK(has_component(r, id));
      if (r.contains("range")) {
        CHECK(r.at("range").at("lowBytes").get<std::uint64_t>() <= total);
        CHECK(r.at("range").at("highBytes").get<std::uint64_t>() >= total);
      }
    }
  }
}

TEST_CASE("a trainer's defaults yield to the request's own fields") {
  json req = llama32_3b_full();
  req["trainer"] = "torchtune";
  const json chunked = estimate(req);  // torchtune configs: CEWithChunkedOutputLoss
  req["chunkedLoss"] = false;
  const json plain = estimate(req);
  CHECK(component(chunked, "logits") < component(plain, "logits"));
  req["emptyCacheEachStep"] = true;
  const json emptied = estimate(req);
  // ~0-2% reserve when the loop empties the cache each step, 11% otherwise (pytorch#40989).
  CHECK(component(emptied, "allocator_reserve") < component(plain, "allocator_reserve") / 5);
  req["trainer"] = "axolotl";
  const json bad = estimate(req);
  REQUIRE(bad.at("ok") == false);
  CHECK(bad.at("errors").at(0).at("field") == "trainer");
}

// google-bert/bert-large-uncased for sequence classification (config.json + a 2-label head).
json bert_large() {
  return {{"model_type", "bert"},
          {"architectures", {"BertForSequenceClassification"}},
          {"vocab_size", 30522},
          {"hidden_size", 1024},
          {"intermediate_size", 4096},
          {"num_hidden_layers", 24},
          {"num_attention_heads", 16},
          {"max_position_embeddings", 512},
          {"type_vocab_size", 2},
          {"hidden_act", "gelu"},
          {"num_labels", 2}};
}

TEST_CASE("an fp32 / fp16-AMP HF Trainer run keeps its gradients (torch 1.x zero_grad)") {
  // transformers docs, model_memory_anatomy.md: bert-large-uncased, Trainer,
  // fp32 AdamW, 512 tokens; nvidia-smi 8681 MiB at batch 1 and 14949 MiB at
  // batch 4, less the 1343 MiB CUDA context the same page measured: 7338 and
  // 13606 MiB of PyTorch's reserved memory.
  json req = {{"model", {{"config", bert_large()}}},
              {"task", "finetune"},
              {"method", "full"},
              {"weights", "fp32"},
              {"optimizer", "adamw"},
              {"seqLen", 512},
              {"attention", "eager"},
              {"batch", 1}};
  const json one = estimate(req);
  req["batch"] = 4;
  const json four = estimate(req);
  REQUIRE(one.at("ok") == true);
  REQUIRE(four.at("ok") == true);
  CHECK(one.at("settings").at("trainer").get<std::string>().find("zero_grad") != std::string::npos);
  CHECK_THAT(gib(one, "reservedBytes") * 1024, Catch::Matchers::WithinRel(7338.0, 0.06));
  CHECK_THAT(gib(four, "reservedBytes") * 1024, Catch::Matchers::WithinRel(13606.0, 0.06));
  // The gradients (3.35e8 fp32) are alive at the activation peak of batch 4.
  CHECK_THAT(double(component(four, "gradients")) / 1e9, Catch::Matchers::WithinRel(1.34, 0.01));
  // Named, the trainer is today's (torch >= 2.0: set_to_none=True): no gradient at the loss.
  req["trainer"] = "hf-trainer";
  CHECK(component(estimate(req), "gradients") < component(four, "gradients") / 10);
}

TEST_CASE(
    "autocast's 16-bit weight casts live from the forward pass to backward, not at the step") {
  // perf_train_gpu_one.md (transformers docs), bert-large-uncased at batch 1,
  // gradient checkpointing, fp16 AMP: nvidia-smi 7275 MiB with AdamW, 4847 MiB
  // with Adafactor, less the page's 1343 MiB CUDA context.
  json req = {{"model", {{"config", bert_large()}}},
              {"task", "finetune"},
              {"method", "full"},
              {"weights", "fp16"},
              {"trainingPrecision", "mixed-fp16"},
              {"optimizer", "adafactor"},
              {"seqLen", 512},
              {"attention", "eager"},
              {"gradientCheckpointing", true},
              {"batch", 1}};
  CHECK_THAT(gib(estimate(req), "reservedBytes") * 1024, Catch::Matchers::WithinRel(3504.0, 0.06));
  req["optimizer"] = "adamw";
  CHECK_THAT(gib(estimate(req), "reservedBytes") * 1024, Catch::Matchers::WithinRel(5932.0, 0.10));
  // Today's Trainer (set_to_none=True) peaks at the optimizer step: fp32
  // parameters 4 + gradients 4 + AdamW 8 B per parameter, and no 16-bit cast
  // (torch.autocast clears its cache when the forward's region exits).
  req["trainer"] = "hf-trainer";
  const json r = estimate(req);
  REQUIRE(r.at("ok") == true);
  CHECK(r.at("settings").at("peak") == "at the optimizer step");
  CHECK(component(r, "weights") == 0);
  const double p = r.at("params").at("total").get<double>();
  CHECK(double(component(r, "master_weights")) == Approx(4 * p).epsilon(1e-9));
  // At the loss the casts are all there: with batch 64 the activations put the peak there.
  req["batch"] = 64;
  req["gradientCheckpointing"] = false;
  const json big = estimate(req);
  CHECK(big.at("settings").at("peak") != "at the optimizer step");
  CHECK(double(component(big, "weights")) == Approx(2 * p).epsilon(1e-9));
}

TEST_CASE(
    "sharded QLoRA (FSDP / ZeRO-3) keeps the unquantized modules and the residual in 16 bits") {
  // TRL's SFTTrainer skips prepare_model_for_kbit_training when the Params4bit
  // sit on cpu/meta for FSDP / DeepSpeed ZeRO-3 ("one should never call
  // peft_module_casting_to_bf16 or prepare_model_for_kbit_training when doing
  // QLoRA + FSDP / DS-Zero3"), and FSDP's FlatParameter needs one dtype per
  // unit: PEFT's FSDP QLoRA run (docs/source/accelerate/fsdp.md: Llama-2-70B,
  // 2 GPUs, bnb_4bit_quant_storage bfloat16) has no fp32 norms or embeddings.
  json req = {{"model", {{"preset", "llama-2-70b"}}},
              {"task", "finetune"},
              {"method", "qlora-4bit"},
              {"loraRank", 8},
              {"loraTargets", "all-linear"},
              {"batch", 2},
              {"seqLen", 2048},
              {"attention", "flash"},
              {"gradientCheckpointing", true},
              {"gpus", 2},
              {"zeroStage", 3}};
  const json sharded = estimate(req);
  req["gpus"] = 1;
  req["zeroStage"] = 0;
  const json single = estimate(req);
  REQUIRE(sharded.at("ok") == true);
  REQUIRE(single.at("ok") == true);
  // One GPU, PEFT's kbit preparation: the 5.24e8 embedding / lm_head / norm
  // parameters become fp32 (+2 B each), and the residual stream with them.
  CHECK(component(single, "weights") - 2 * component(sharded, "weights") ==
        Approx(5.24e8 * 2).epsilon(0.01));
  // Checkpointed layer inputs: 80 layers × 4096 tokens × 8192 in bf16 (5 GiB), plus the
  // recomputed layer, against fp32 (10 GiB) on one GPU.
  CHECK(double(component(sharded, "activations")) / kGiB < 8);
  CHECK(double(component(single, "activations")) / kGiB > 10);
}

TEST_CASE("DeepSpeed ZeRO-3 keeps a reduce_bucket_size gradient bucket: T0_3B LoRA, 9.8 GB") {
  // PEFT README table: bigscience/T0_3B, LoRA r8 on q,v, batch 8, DeepSpeed
  // ZeRO-3 with parameters and optimizer offloaded to the CPU (accelerate
  // yaml, mixed_precision 'no'): GPU peak 9.8 GB (the example's
  // TorchTracemalloc, max_memory_allocated). stage3.py allocates
  // torch.empty(reduce_bucket_size) in the parameters' dtype at optimizer init:
  // 5e8 × 4 B in fp32.
  const json t0_3b = {{"model_type", "t5"},
                      {"d_model", 2048},
                      {"d_ff", 5120},
                      {"d_kv", 64},
                      {"num_heads", 32},
                      {"num_layers", 24},
                      {"num_decoder_layers", 24},
                      {"vocab_size", 32128},
                      {"feed_forward_proj", "gated-gelu"},
                      {"tie_word_embeddings", false}};
  json req = {{"model", {{"config", t0_3b}}},
              {"task", "finetune"},
              {"trainer", "deepspeed"},
              {"trainingPrecision", "fp32"},
              {"method", "lora"},
              {"weights", "fp32"},
              {"loraRank", 8},
              {"loraTargets", {"q", "v"}},
              {"batch", 8},
              {"seqLen", 64},
              {"gpus", 1},
              {"zeroStage", 3},
              {"cpuOffload", "optimizer+params"}};
  const json r = estimate(req);
  REQUIRE(r.at("ok") == true);
  CHECK(double(component(r, "grad_buckets")) == Approx(5e8 * 4).epsilon(1e-9));
  CHECK_THAT(gib(r, "allocatedBytes"), Catch::Matchers::WithinRel(9.8e9 / kGiB, 0.05));
  // Under bf16 the engine casts the module to 16 bits: the bucket halves.
  req["trainingPrecision"] = "mixed-bf16";
  CHECK(double(component(estimate(req), "grad_buckets")) == Approx(5e8 * 2).epsilon(1e-9));
  // FSDP has no such bucket.
  req["trainer"] = "accelerate-fsdp";
  CHECK_FALSE(has_component(estimate(req), "grad_buckets"));
}

TEST_CASE("FSDP keeps the root unit gathered under CPU offload too: 7B QLoRA bs 12, 22.38 GiB") {
  // fsdp_qlora benchmarks_03_2024.md, dual-4090 case study: Llama-2-7B QLoRA,
  // batch 12, 2048 tokens, use_cpu_offload: max_memory_reserved 22.38 GiB.
  // CPUOffload(offload_params=True) moves the shards to the CPU, but
  // _post_forward_reshard still skips the root, so its unsharded flat
  // parameter (embeddings + lm_head + final norm, 262M params in bf16) is on
  // the GPU at the loss.
  json req = fsdp_qlora_lora(2048);
  req["method"] = "qlora-4bit";
  req["batch"] = 12;
  req["cpuOffload"] = "optimizer+params";
  const json r = estimate(req);
  REQUIRE(r.at("ok") == true);
  CHECK(r.at("settings").at("peak") == "at the loss");
  CHECK(component(r, "gathered_params") >= std::uint64_t(2 * 262144000));
  CHECK_THAT(gib(r, "reservedBytes"), Catch::Matchers::WithinRel(22.38, 0.10));
}

TEST_CASE("DeepSpeed ZeRO-1/2 allocate the gradient bucket when backward starts") {
  // stage_1_and_2.py backward(): torch.empty(reduce_bucket_size) in the
  // parameters' dtype (bf16 here: 5e8 × 2 B), released after the reduction;
  // overlap_comm (a second bucket) is off below stage 3 by default.
  json req = {{"model", {{"preset", "llama-3.2-1b"}}},
              {"task", "finetune"},
              {"trainer", "deepspeed"},
              {"method", "lora"},
              {"gpus", 2},
              {"zeroStage", 2},
              {"batch", 1},
              {"seqLen", 2048}};
  const json at_loss = estimate(req);
  REQUIRE(at_loss.at("ok") == true);
  CHECK(at_loss.at("settings").at("peak") == "at the loss");
  CHECK(double(component(at_loss, "grad_buckets")) == Approx(5e8 * 2).epsilon(1e-9));
  // ZeRO-1, a full fine-tune with checkpointing on 128 tokens: the peak is the
  // optimizer step (every unsharded gradient beside the states), where the
  // bucket has been released.
  req["zeroStage"] = 1;
  req["method"] = "full";
  req["gradientCheckpointing"] = true;
  req["seqLen"] = 128;
  const json z1 = estimate(req);
  REQUIRE(z1.at("ok") == true);
  CHECK(z1.at("settings").at("peak") == "at the optimizer step");
  CHECK_FALSE(has_component(z1, "grad_buckets"));
}
