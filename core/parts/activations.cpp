#include "parts/activations.hpp"

#include <algorithm>

#include "util/text.hpp"

namespace llmmem {

namespace {

// Bytes autograd keeps per element of a bool dropout mask.
constexpr double kMaskBytes = 1;
// fp32: softmax outputs (HF eager attention runs softmax in float32), norm
// statistics and the cross-entropy buffers.
constexpr double kFp32 = 4;

}  // namespace

bool trains_with_dropout(const ModelArch& arch) {
  // hidden_dropout_prob / attention_probs_dropout_prob 0.1 (BERT family),
  // dropout_rate 0.1 (T5); decoder LLMs train with attention_dropout 0.0.
  const std::string& t = arch.model_type;
  return t == "bert" || t == "roberta" || t == "t5" || t == "mt5" || t == "umt5";
}

LayerActivation layer_activation_impl(const ModelArch& arch, const LayerGroup& g,
                                      const ActivationSettings& s,
                                      const std::vector<bool>& trainable) {
  const LayerSpec& spec = g.spec;
  const double e = s.compute;
  const double h = double(arch.hidden_size);
  const bool rms = arch.norm == NormKind::RmsNorm;
  // RMSNorm (HF and torchtune) upcasts its input to fp32 and saves it; LayerNorm
  // saves its input in the dtype it runs in (fp32 under autocast).
  const double norm_in = rms || s.autocast ? kFp32 : e;
  const double norm_out = s.full && rms ? e : 0;  // x_normed, kept only when the norm weight trains
  const double resid =
      s.fp32_residual ? kFp32 : e;  // fp32 embeddings under AMP keep the residual fp32

  // Roles in the module list: the last attention Linear is the output
  // projection, the last MLP/expert Linear the down projection (config_json order).
  int last_attn = -1, last_mlp = -1, last_expert = -1;
  for (std::size_t i = 0; i < g.modules.size(); ++i) {
    const Module& m = g.modules[i];
    if (!m.linear) continue;
    if (m.role == ModuleRole::Attention) last_attn = int(i);
    if (m.role == ModuleRole::Mlp || m.role == ModuleRole::SharedExpert) last_mlp = int(i);
    if (m.role == ModuleRole::Expert) last_expert = int(i);
  }
  bool attn_in = false, mlp_in = false, down = false, experts_in = false, expert_down = false;
  double lora = 0;  // per token
  for (std::size_t i = 0; i < g.modules.size(); ++i) {
    const Module& m = g.modules[i];
    if (!m.linear || !trainable[i]) continue;
    const int k = int(i);
    if (m.role == ModuleRole::Attention) (k == last_attn ? void() : void(attn_in = true));
    if (m.role == ModuleRole::Mlp || m.role == ModuleRole::SharedExpert)
      (k == last_mlp ? void(down = true) : void(mlp_in = true));
    if (m.role == ModuleRole::Expert)
      (k == last_expert ? void(expert_down = true) : void(experts_in = true));
    if (s.lora_rank > 0) {
      const double copies = double(m.active_copies);
      lora += e * double(s.lora_rank) * copies;                 // A's output, saved by B
      lora += s.lora_input_copy_bytes * double(m.in) * copies;  // PEFT's cast copy of x
    }
  }

  const auto& a = spec.attn;
  double per_token = lora;
  double per_seq = 0;
  double scores = 0;
  double widest = h;
  if (a.kind != AttnKind::None) {
    const double q = double(a.num_heads * a.head_dim);
    // repeat_kv saves K/V widened to every query head; the cache (use_cache)
    // then holds the unrepeated ones too, which nothing else would keep.
    const double kv_heads = double(s.kv_expanded ? a.num_heads : a.num_kv_heads);
    const double k = kv_heads * double(a.head_dim);
    const double v = kv_heads * double(a.v_head_dim);
    const bool grouped = a.num_kv_heads < a.num_heads;
    const double cache = s.use_cache && s.kv_expanded && grouped
                             ? e * double(a.num_kv_heads) * double(a.head_dim + a.v_head_dim)
                             : 0;
    const double out = double(a.num_heads * a.v_head_dim);
    const double blocks = spec.cross_attention ? 2 : 1;  // T5 decoder: self + cross attention
    double attn = norm_in * h + norm_out * h;
    if (attn_in) attn += e * h;         // input of q/k/v (their weight or adapter gradients)
    attn += e * (q + k + v) + e * out;  // SDPA/flash backward needs q, k, v and the output
    attn += cache;
    attn += kFp32 * double(a.num_heads);    // logsumexp per head and token
    if (s.dropout) attn += kMaskBytes * h;  // hidden dropout after the output projection
    per_token += blocks * attn;
    if (s.attention == Attention::Eager) {
      // Materialised scores: fp32 softmax output, its 16-bit cast for the
      // matmul with V, and with dropout a mask plus the dropped copy.
      const double per_elem = kFp32 + (e < kFp32 ? e : 0) + (s.dropout ? kMaskBytes + kFp32 : 0);
      scores = blocks * double(a.num_heads) * s.seq_len * s.seq_len * per_elem;
      per_seq += scores;
    }
    widest = std::max({widest, q, k + v});
  }
  const auto& f = spec.ffn;
  if (f.kind != FfnKind::None) {
    double width = 0;
    if (f.kind == FfnKind::Dense)
      width = double(f.intermediate);
    else
      width = double(f.top_k * f.expert_intermediate + f.shared_intermediate);
    double mlp = spec.parallel ? 0 : norm_in * h + norm_out * h;
    if (mlp_in || experts_in)
      mlp += e * h * (f.kind == FfnKind::Moe && experts_in ? double(f.top_k) : 1);
    const bool trains_down = down || expert_down;
    // Gated: gate and up outputs, act(gate), and the product (down's input)
    // when down trains. Plain: the activation's input and its output.
    mlp += e * width * (f.gated ? 3 : 1) + (trains_down ? e * width : 0);
    if (f.kind == FfnKind::Moe) mlp += kFp32 * double(f.num_experts);  // router softmax
    if (s.dropout) mlp += kMaskBytes * h;
    per_token += mlp;
    widest = std::max(widest, width * (f.gated ? 2 : 1));
  }
  LayerActivation out;
  out.saved = per_token * s.tokens + per_seq * s.batch;
  out.scores = scores * s.batch;
  out.input = resid * h * s.tokens;
  // Backward of one layer: the incoming and outgoing gradient of the
  // hidden state and the gradients of its widest intermediates.
  out.workspace = e * (2 * h + widest) * s.tokens +
                  (s.attention == Attention::Eager ? scores * s.batch / 2 : 0);
  return out;
}

// Cross-entropy on fp32 logits: at the start of the backward pass the
// log-softmax output, its gradient and the gradient of the logits coexist,
// 12 B per logit. Beside them, depending on the loop and the loss (#17):
// - plain F.cross_entropy on an upcast: the 16-bit logits stay referenced
//   (e + 12: 14 B in bf16);
// - the loop keeps the model's output and the model returned logits.float()
//   (fsdp_qlora train.py, transformers <= 4.44 LlamaForCausalLM): 16 B;
// - torch.compile fuses log-softmax and its backward: 8 B per logit, and a
//   compiled chunked loss keeps the 16-bit logits plus two 16-bit chunks;
// - torchtune CEWithChunkedOutputLoss (8 chunks): the 16-bit logits of all
//   chunks and one chunk's fp32 work, e + 12/8.
double loss_bytes_per_logit(const LossSettings& loss, double e) {
  constexpr double fp32_work = 3 * kFp32;
  if (loss.chunked) return loss.compiled ? e + 2 * e / kLossChunks : e + fp32_work / kLossChunks;
  if (loss.compiled) return 2 * kFp32;
  if (loss.held_output) return kFp32 + fp32_work;
  return e + fp32_work;
}

LogitsCost logits_cost(const ModelArch& arch, const ActivationSettings& s, const LossSettings& loss,
                       double tp) {
  LogitsCost c;
  bool lm = false;
  for (const auto& m : arch.tail_modules)
    if (m.role == ModuleRole::LmHead) lm = true;
  bool encoder_only = !arch.encoder_decoder && !arch.layers.empty();
  for (const auto& g : arch.layers)
    if (!g.spec.encoder) encoder_only = false;
  if (arch.tie_embeddings && !encoder_only) lm = true;
  if (!lm || arch.vocab_size <= 0) {
    c.formula = "no vocabulary logits (classification head): 0 B";
    return c;
  }
  const double nv = s.tokens * double(arch.vocab_size) / tp;
  const double e = s.compute;
  c.per_logit = loss_bytes_per_logit(loss, e);
  c.bytes = nv * c.per_logit;
  std::string how;
  if (loss.chunked && loss.compiled)
    how = "e + 2e / " + format_number(kLossChunks) + " chunks (compiled chunked loss)";
  else if (loss.chunked)
    how = "e + 12 B / " + format_number(kLossChunks) +
          " chunks (16-bit logits kept, one chunk's fp32 work)";
  else if (loss.compiled)
    how = "8 B (compiled cross-entropy)";
  else if (loss.held_output)
    how = "16 B (fp32 logits held by the loop + log-softmax, its grad, grad of logits)";
  else
    how = "e + 12 B (16-bit logits still referenced + fp32 log-softmax, its grad, grad of logits)";
  c.formula = format_count(nv) + " logits (b·s·V) × " + format_number(c.per_logit) + " B: " + how +
              " = " + format_gib(Bytes(c.bytes));
  return c;
}

}  // namespace llmmem
