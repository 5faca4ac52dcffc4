#include "parts/lora.hpp"

#include <algorithm>

#include "util/text.hpp"

namespace llmmem {

namespace {

bool name_matches(const std::string& name, const std::string& target) {
  if (name == target) return true;
  if (name.size() > target.size() &&
      name.compare(name.size() - target.size(), target.size(), target) == 0)
    return name[name.size() - target.size() - 1] == '.';
  return false;
}

}  // namespace

bool lora_targets_module(const Module& m, const Request& req) {
  if (!m.linear) return false;
  if (req.lora_all_linear) return m.role != ModuleRole::LmHead && m.role != ModuleRole::Vision;
  for (const auto& t : req.lora_targets) {
    if (name_matches(m.name, t)) return true;
    // torchtune's apply_lora_to_output and PEFT's "lm_head" name the output layer.
    if (m.role == ModuleRole::LmHead && (t == "lm_head" || t == "output")) return true;
  }
  return false;
}

bool saved_in_full(const Module& m, const Request& req) {
  for (const auto& t : req.modules_to_save) {
    if (name_matches(m.name, t)) return true;
    if (m.role == ModuleRole::LmHead && (t == "lm_head" || t == "output")) return true;
    if (m.role == ModuleRole::Embedding && (t == "embed_tokens" || t == "tok_embeddings"))
      return true;
  }
  return false;
}

ParamCount lora_module_params(const Module& m, std::int64_t layers, std::int64_t rank) {
  // A: in x r, B: r x out (Hu et al. 2021); experts each get their own pair.
  return ParamCount(double(rank) * double(m.in + m.out) * double(m.copies) * double(layers));
}

LoraPlan plan_lora(const ModelArch& arch, const Request& req) {
  LoraPlan p;
  std::vector<std::string> seen;
  // Which named targets some Linear module answers to, found in the same walk.
  const auto& targets = req.lora_targets;
  std::vector<bool> hit(req.lora_all_linear ? 0 : targets.size(), false);
  arch.for_each_module([&](const Module& m, std::int64_t layers) {
    if (saved_in_full(m, req)) p.saved += module_params(m, layers);
    if (m.linear)
      for (std::size_t i = 0; i < hit.size(); ++i)
        if (!hit[i] &&
            (name_matches(m.name, targets[i]) ||
             (m.role == ModuleRole::LmHead && (targets[i] == "lm_head" || targets[i] == "output"))))
          hit[i] = true;
    if (!lora_targets_module(m, req)) return;
    p.adapter += lora_module_params(m, layers, req.lora_rank);
    if (std::find(seen.begin(), seen.end(), m.name) == seen.end()) seen.push_back(m.name);
  });
  p.targeted = std::int64_t(seen.size());
  for (std::size_t i = 0; i < hit.size(); ++i)
    if (!hit[i]) p.unmatched.push_back(targets[i]);
  for (const auto& t : req.modules_to_save) {
    bool found = false;
    arch.for_each_module([&](const Module& m, std::int64_t) {
      Request one;
      one.modules_to_save = {t};
      if (saved_in_full(m, one)) found = true;
    });
    if (!found) p.unmatched.push_back(t);
  }
  if (QuietText::on()) return p;  // a search's trial: the counts, not the text
  std::string names;
  for (std::size_t i = 0; i < seen.size() && i < 8; ++i) names += (i ? "," : "") + seen[i];
  if (seen.size() > 8) names += ",…";
  p.formula = "r=" + std::to_string(req.lora_rank) + " × (in+out) over " + names + " = " +
              format_integer(p.adapter.value) + " params";
  return p;
}

}  // namespace llmmem
