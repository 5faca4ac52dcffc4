// The fine-tuning estimator against published numbers (each with its
// source), and the properties every fine-tuning estimate must have.
#include <catch2/catch.hpp>

#include "parts/optimizer.hpp"
#include "support.hpp"

using llmmem::test::component;
using llmmem::test::estimate;
using nlohmann::json;

namespace {

json finetune(const std::string& preset) {
  return {{"model", {{"preset", preset}}}, {"task", "finetune"}};
}

std::uint64_t trainable(const json& r) {
  return r.at("params").at("trainable").get<std::uint64_t>();
}

}  // namespace

TEST_CASE("LoRA trainable parameters match PEFT's print_trainable_parameters") {
  SECTION("Llama-2-7B, r=8 on q_proj and v_proj: 4,194,304") {
    // PEFT README / docs: "trainable params: 4,194,304 || all params: 6,742,609,920".
    json req = finetune("llama-2-7b");
    req["method"] = "lora";
    req["loraRank"] = 8;
    req["loraTargets"] = {"q_proj", "v_proj"};
    const json r = estimate(req);
    REQUIRE(r.at("ok") == true);
    CHECK(trainable(r) == 4194304);
    CHECK(r.at("params").at("total").get<std::uint64_t>() ==
          6738415616);  // 6,742,609,920 - 4,194,304
  }
  SECTION("Llama-3-8B, r=16 on all linear layers: 41,943,040 (k and v are 1024 wide under GQA)") {
    // PEFT / TRL QLoRA examples for Meta-Llama-3-8B: "trainable params: 41,943,040".
    json req = finetune("llama-3.1-8b");
    req["method"] = "qlora-4bit";
    req["loraRank"] = 16;
    req["loraTargets"] = "all-linear";
    const json r = estimate(req);
    REQUIRE(r.at("ok") == true);
    CHECK(trainable(r) == 41943040);
  }
  SECTION("mt0-large (mT5), r=8 on q and v, cross-attention included: 2,359,296") {
    // PEFT quicktour: "trainable params: 2,359,296 || all params: 1,231,940,608".
    const json config = {{"model_type", "mt5"},
                         {"d_model", 1024},
                         {"d_ff", 2816},
                         {"d_kv", 64},
                         {"num_heads", 16},
                         {"num_layers", 24},
                         {"num_decoder_layers", 24},
                         {"vocab_size", 250112},
                         {"feed_forward_proj", "gated-gelu"},
                         {"tie_word_embeddings", false}};
    const json r = estimate({{"model", {{"config", config}}},
                             {"task", "finetune"},
                             {"method", "lora"},
                             {"weights", "fp32"},
                             {"loraRank", 8},
                             {"loraTargets", {"q", "v"}}});
    REQUIRE(r.at("ok") == true);
    CHECK(trainable(r) == 2359296);
  }
  SECTION("MoE expert targets count one adapter per expert") {
    json a = finetune("mixtral-8x7b"), b = a;
    a["method"] = b["method"] = "lora";
    a["loraRank"] = b["loraRank"] = 8;
    a["loraTargets"] = {"q_proj"};
    b["loraTargets"] = {"q_proj", "w1"};
    const json ra = estimate(a), rb = estimate(b);
    REQUIRE(ra.at("ok") == true);
    REQUIRE(rb.at("ok") == true);
    // w1: 4096 -> 14336 in each of 8 experts of 32 layers.
    CHECK(trainable(rb) - trainable(ra) == std::uint64_t(8) * (4096 + 14336) * 8 * 32);
  }
}

TEST_CASE("a target that names no module is an error naming loraTargets") {
  json req = finetune("llama-3.1-8b");
  req["method"] = "lora";
  req["loraTargets"] = {"query_key_value"};
  const json r = estimate(req);
  CHECK(llmmem::test::first_error(r).first == "loraTargets");
}

TEST_CASE("bytes per trainable parameter follow the HF model-memory anatomy and bitsandbytes") {
  using namespace llmmem;
  // HF docs, "Model training anatomy": fp32 AdamW 8 B/param, gradients 4 B,
  // weights 4 B; mixed precision 6 B of weights (fp32 + fp16 copy); SGD with
  // momentum 4 B; bitsandbytes 8-bit Adam 2 B/param.
  const PrecisionRegime fp32 = precision_regime(TrainingPrecision::Fp32);
  const PrecisionRegime mixed = precision_regime(TrainingPrecision::MixedFp16);
  const PrecisionRegime bf16 = precision_regime(TrainingPrecision::Bf16);
  CHECK(optimizer_cost(Optimizer::AdamW, fp32).bytes_per_param == 8);
  CHECK(fp32.gradient == 4);
  CHECK(fp32.trainable == 4);
  CHECK(mixed.trainable + mixed.compute == 6);
  CHECK(mixed.trainable + mixed.compute + mixed.gradient +
            optimizer_cost(Optimizer::AdamW, mixed).bytes_per_param ==
        18);
  CHECK(optimizer_cost(Optimizer::SgdMomentum, fp32).bytes_per_param == 4);
  CHECK(optimizer_cost(Optimizer::Sgd, fp32).bytes_per_param == 0);
  CHECK_THAT(optimizer_cost(Optimizer::AdamW8bit, fp32).bytes_per_param,
             Catch::Matchers::WithinRel(2.0, 0.005));
  // torchtune (pure bf16): AdamW states in the parameters' dtype, 2 x 2 B.
  CHECK(optimizer_cost(Optimizer::AdamW, bf16).bytes_per_param == 4);
  CHECK(optimizer_cost(Optimizer::Lion, fp32).bytes_per_param == 4);
  // Adafactor: rows + cols per matrix (Shazeer & Stern 2018).
  CHECK(adafactor_elements(4096, 11008) == 4096 + 11008);
}

TEST_CASE("full fp32 fine-tuning with AdamW keeps 16 bytes per parameter besides activations") {
  // HF anatomy: weights 4 + gradients 4 + AdamW 8 = 16 B per parameter.
  json req = finetune("qwen2.5-0.5b");
  req["weights"] = "fp32";
  req["gradientCheckpointing"] = true;
  req["seqLen"] = 16;
  const json r = estimate(req);
  REQUIRE(r.at("ok") == true);
  const double p = r.at("params").at("total").get<double>();
  CHECK(double(component(r, "weights")) == Approx(4 * p).epsilon(1e-9));
  CHECK(double(component(r, "optimizer")) == Approx(8 * p).epsilon(1e-9));
  CHECK(double(component(r, "gradients")) ==
        Approx(4 * p).epsilon(1e-9));  // the peak is the optimizer step
}

TEST_CASE(
    "optimizer-step temporaries: Adafactor's per-tensor fp32 copies, RMSprop's foreach sqrt") {
  using namespace llmmem;
  const PrecisionRegime fp32 = precision_regime(TrainingPrecision::Fp32);
  const PrecisionRegime bf16 = precision_regime(TrainingPrecision::Bf16);
  // transformers Adafactor.step: `update` and `_approx_sq_grad(...)` (or
  // `update` and `-update`) coexist: 2 fp32 copies of the largest tensor;
  // 16-bit parameters add p.float() and grad.float().
  CHECK(optimizer_step_bytes(optimizer_cost(Optimizer::Adafactor, fp32), 1000, 1e6) == 8000);
  CHECK(optimizer_step_bytes(optimizer_cost(Optimizer::Adafactor, bf16), 1000, 1e6) == 16000);
  // torch.optim.RMSprop (foreach): sqrt of every square_avg at once.
  CHECK(optimizer_step_bytes(optimizer_cost(Optimizer::RmsProp, fp32), 1000, 1e6) == 4e6);
  // Fused / 8-bit AdamW and plain SGD keep no step temporaries.
  CHECK(optimizer_step_bytes(optimizer_cost(Optimizer::AdamW, fp32), 1000, 1e6) == 0);
  CHECK(optimizer_step_bytes(optimizer_cost(Optimizer::AdamW8bit, fp32), 1000, 1e6) == 0);
  // The full fp32 fine-tune peaks at the step, so the temporaries show in the report.
  json req = finetune("qwen2.5-0.5b");
  req["weights"] = "fp32";
  req["gradientCheckpointing"] = true;
  req["seqLen"] = 16;
  req["optimizer"] = "adafactor";
  const json r = estimate(req);
  REQUIRE(r.at("ok") == true);
  // Qwen2.5-0.5B's largest tensor: the tied 151936 x 896 embedding.
  CHECK(double(component(r, "optimizer_step")) == Approx(2 * 4 * 151936.0 * 896).epsilon(1e-9));
}

TEST_CASE("QLoRA methods imply bitsandbytes bases unless weights were given") {
  json req = finetune("llama-3.1-8b");
  req["method"] = "qlora-4bit";
  const json nf4 = estimate(req);
  req["method"] = "qlora-8bit";
  const json int8 = estimate(req);
  req["method"] = "lora";
  const json bf16 = estimate(req);
  REQUIRE(nf4.at("ok") == true);
  CHECK(component(nf4, "weights") < component(int8, "weights"));
  CHECK(component(int8, "weights") < component(bf16, "weights"));
  CHECK(component(nf4, "dequant_buffer") > 0);
  CHECK(component(bf16, "dequant_buffer") == 0);
  req["method"] = "qlora-4bit";
  req["weights"] = "bf16";
  CHECK(component(estimate(req), "weights") == component(bf16, "weights"));
}

TEST_CASE("full fine-tuning of quantized weights is refused with the weights field") {
  json req = finetune("llama-3.1-8b");
  req["weights"] = "nf4";
  CHECK(llmmem::test::first_error(estimate(req)).first == "weights");
}

TEST_CASE("fine-tuning properties") {
  for (const char* id : {"llama-3.2-1b", "qwen3-8b", "qwen3-30b-a3b", "gemma-2-9b"}) {
    CAPTURE(id);
    for (const char* method : {"full", "lora", "qlora-4bit"}) {
      CAPTURE(method);
      json base = finetune(id);
      base["method"] = method;
      base["seqLen"] = 4096;
      {
        INFO("checkpointing reduces activations");
        json on = base;
        on["gradientCheckpointing"] = true;
        const json a = estimate(base), b = estimate(on);
        if (std::string(method) != "full")
          CHECK(component(b, "activations") < component(a, "activations"));
        CHECK(b.at("totalBytes").get<std::uint64_t>() <= a.at("totalBytes").get<std::uint64_t>());
      }
      {
        INFO("per-GPU memory never grows with more GPUs at ZeRO >= 1, nor with the stage");
        for (int stage : {1, 2, 3}) {
          std::uint64_t previous = UINT64_MAX;
          for (int gpus : {1, 2, 4, 8, 16, 256}) {
            json req = base;
            req["gpus"] = gpus;
            req["zeroStage"] = stage;
            const json r = estimate(req);
            REQUIRE(r.at("ok") == true);
            CHECK(r.at("totalBytes").get<std::uint64_t>() <= previous);
            previous = r.at("totalBytes").get<std::uint64_t>();
          }
        }
        for (int gpus : {1, 2, 8}) {
          std::uint64_t previous = UINT64_MAX;
          for (int stage : {0, 1, 2, 3}) {
            json req = base;
            req["gpus"] = gpus;
            req["zeroStage"] = stage;
            const std::uint64_t t = estimate(req).at("totalBytes").get<std::uint64_t>();
            CHECK(t <= previous);
            previous = t;
          }
        }
      }
      {
        INFO("offloading and chunked loss never add memory");
        const std::uint64_t t0 = estimate(base).at("totalBytes").get<std::uint64_t>();
        for (const char* flag : {"optimizerInBackward", "activationOffloading", "chunkedLoss"}) {
          json req = base;
          req[flag] = true;
          CHECK(estimate(req).at("totalBytes").get<std::uint64_t>() <= t0);
        }
        // Under one trainer: with none named, parameter offload and no
        // precision imply DeepSpeed, whose live parameters differ from FSDP's.
        for (const char* trainer : {"accelerate-fsdp", "deepspeed"}) {
          CAPTURE(trainer);
          json req = base;
          req["trainer"] = trainer;
          req["gpus"] = 8;
          req["zeroStage"] = 3;
          const std::uint64_t z3 = estimate(req).at("totalBytes").get<std::uint64_t>();
          req["cpuOffload"] = "optimizer";
          const std::uint64_t opt = estimate(req).at("totalBytes").get<std::uint64_t>();
          req["cpuOffload"] = "optimizer+params";
          const std::uint64_t all = estimate(req).at("totalBytes").get<std::uint64_t>();
          CHECK(opt <= z3);
          CHECK(all <= opt);
        }
      }
      {
        INFO("tensor parallelism divides the per-GPU memory");
        json req = base;
        req["gpus"] = 8;
        std::uint64_t previous = UINT64_MAX;
        for (int tp : {1, 2, 4, 8}) {
          req["tensorParallel"] = tp;
          const std::uint64_t t = estimate(req).at("totalBytes").get<std::uint64_t>();
          CHECK(t <= previous);
          previous = t;
        }
      }
    }
    {
      INFO("LoRA needs less than full fine-tuning, QLoRA less than LoRA");
      json req = finetune(id);
      const std::uint64_t full = estimate(req).at("totalBytes").get<std::uint64_t>();
      req["method"] = "lora";
      const std::uint64_t lora = estimate(req).at("totalBytes").get<std::uint64_t>();
      req["method"] = "qlora-8bit";
      const std::uint64_t q8 = estimate(req).at("totalBytes").get<std::uint64_t>();
      req["method"] = "qlora-4bit";
      const std::uint64_t q4 = estimate(req).at("totalBytes").get<std::uint64_t>();
      CHECK(lora < full);
      CHECK(q8 < lora);
      CHECK(q4 < q8);
    }
    {
      INFO("eager attention materialises the scores");
      json req = finetune(id);
      req["seqLen"] = 4096;
      req["attention"] = "eager";
      const std::uint64_t eager = component(estimate(req), "activations");
      req["attention"] = "flash";
      CHECK(component(estimate(req), "activations") < eager);
    }
  }
}

TEST_CASE("every fine-tuning report carries the six components and sums exactly") {
  for (const char* opt : {"adamw", "adam", "sgd", "sgd-momentum", "rmsprop", "adamw-8bit",
                          "paged-adamw-8bit", "adafactor", "lion"}) {
    CAPTURE(opt);
    json req = finetune("llama-3.2-1b");
    req["optimizer"] = opt;
    const json r = estimate(req);
    REQUIRE(r.at("ok") == true);
    std::uint64_t sum = 0;
    for (const auto& c : r.at("components")) sum += c.at("bytes").get<std::uint64_t>();
    CHECK(sum == r.at("totalBytes").get<std::uint64_t>());
    CHECK(r.at("components").size() >= 6);
  }
}

TEST_CASE("modulesToSave trains a full copy of the named modules beside the adapters") {
  json req = finetune("llama-2-7b");
  req["method"] = "lora";
  req["loraRank"] = 8;
  req["loraTargets"] = {"q_proj", "v_proj"};
  const json plain = estimate(req);
  req["modulesToSave"] = {"lm_head", "embed_tokens"};
  const json saved = estimate(req);
  REQUIRE(saved.at("ok") == true);
  // Llama-2-7B: embed_tokens and lm_head are 32000 x 4096 each.
  CHECK(trainable(saved) - trainable(plain) == std::uint64_t(2) * 32000 * 4096);
  CHECK(component(saved, "modules_to_save") > 0);
  CHECK(component(saved, "optimizer") > component(plain, "optimizer"));
  req["modulesToSave"] = "lm_head";
  CHECK(llmmem::test::first_error(estimate(req)).first == "modulesToSave");
}
