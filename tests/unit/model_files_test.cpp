// The GGUF and safetensors header readers (core/files), on files built here
// byte by byte: exact tensor bytes, the architecture from GGUF metadata, the
// "need more bytes" answer for a short read, and hostile headers refused with
// an error that names what is wrong.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/catalog.hpp"
#include "files/gguf.hpp"
#include "files/gguf_model.hpp"
#include "files/model_file.hpp"
#include "files/safetensors.hpp"
#include "model/config_json.hpp"
#include "model/model.hpp"
#include "support.hpp"

using namespace llmmem;
using namespace llmmem::files;
using json = nlohmann::json;
using Bytes8 = std::vector<std::uint8_t>;

namespace {

// A GGUF v3 file as ggml-org/ggml docs/gguf.md lays it out (little-endian).
class GgufWriter {
 public:
  void u8(std::uint8_t v) { kv_.push_back(v); }
  static void put(Bytes8& b, std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) b.push_back(std::uint8_t(v >> (8 * i)));
  }
  static void str(Bytes8& b, std::string_view s) {
    put(b, s.size(), 8);
    b.insert(b.end(), s.begin(), s.end());
  }
  void key(std::string_view k, std::uint32_t type) {
    str(kv_, k);
    put(kv_, type, 4);
    ++n_kv_;
  }
  void kv_u32(std::string_view k, std::uint32_t v) { key(k, 4), put(kv_, v, 4); }
  void kv_f32(std::string_view k, float v) {
    std::uint32_t u;
    std::memcpy(&u, &v, 4);
    key(k, 6), put(kv_, u, 4);
  }
  void kv_str(std::string_view k, std::string_view v) { key(k, 8), str(kv_, v); }
  void kv_strings(std::string_view k, std::size_t n) {
    key(k, 9), put(kv_, 8, 4), put(kv_, n, 8);
    for (std::size_t i = 0; i < n; ++i) str(kv_, "tok" + std::to_string(i));
  }
  void kv_i32s(std::string_view k, const std::vector<std::int32_t>& v) {
    key(k, 9), put(kv_, 5, 4), put(kv_, v.size(), 8);
    for (auto x : v) put(kv_, std::uint32_t(x), 4);
  }
  // A tensor; offsets follow one another, each aligned to 32 bytes.
  void tensor(std::string_view name, std::vector<std::uint64_t> dims, std::uint32_t type,
              std::uint64_t bytes) {
    str(ti_, name);
    put(ti_, dims.size(), 4);
    for (auto d : dims) put(ti_, d, 8);
    put(ti_, type, 4);
    put(ti_, offset_, 8);
    offset_ += (bytes + 31) / 32 * 32;
    ++n_t_;
  }
  Bytes8 bytes(std::uint32_t version = 3) const {
    Bytes8 b = {'G', 'G', 'U', 'F'};
    put(b, version, 4);
    put(b, n_t_, 8);
    put(b, n_kv_, 8);
    b.insert(b.end(), kv_.begin(), kv_.end());
    b.insert(b.end(), ti_.begin(), ti_.end());
    return b;
  }
  // The header padded to 32 and the tensor data (zeros).
  Bytes8 file() const {
    Bytes8 b = bytes();
    b.resize((b.size() + 31) / 32 * 32 + offset_, 0);
    return b;
  }
  std::uint64_t n_t_ = 0, n_kv_ = 0, offset_ = 0;
  Bytes8 kv_, ti_;
};

// ggml.c type_traits, bytes per block / values per block: q4_K 144/256,
// q6_K 210/256, f32 4/1 (ggml enum: q4_K = 12, q6_K = 14, f32 = 0).
constexpr std::uint32_t kQ4K = 12, kQ6K = 14, kF32 = 0;
std::uint64_t q4k(std::uint64_t n) {
  return n / 256 * 144;
}
std::uint64_t q6k(std::uint64_t n) {
  return n / 256 * 210;
}

// A small llama-like model: 2 layers, hidden 256, 4 heads of 64 (2 KV heads),
// FFN 512, vocabulary 320; the tensor types llama.cpp's Q4_K_M gives.
GgufWriter tiny_llama(std::uint64_t& expect) {
  GgufWriter w;
  w.kv_str("general.architecture", "llama");
  w.kv_str("general.name", "tiny");
  w.kv_u32("general.file_type", 15);  // LLAMA_FTYPE_MOSTLY_Q4_K_M
  w.kv_u32("llama.block_count", 2);
  w.kv_u32("llama.context_length", 4096);
  w.kv_u32("llama.embedding_length", 256);
  w.kv_u32("llama.feed_forward_length", 512);
  w.kv_u32("llama.attention.head_count", 4);
  w.kv_u32("llama.attention.head_count_kv", 2);
  w.kv_f32("llama.rope.freq_base", 500000.0f);
  w.kv_strings("tokenizer.ggml.tokens", 320);
  w.kv_i32s("tokenizer.ggml.token_type", std::vector<std::int32_t>(320, 1));
  expect = 0;
  auto t = [&](std::string_view n, std::vector<std::uint64_t> d, std::uint32_t type,
               std::uint64_t b) {
    w.tensor(n, d, type, b);
    expect += b;
  };
  t("token_embd.weight", {256, 320}, kQ4K, q4k(256 * 320));
  for (int i = 0; i < 2; ++i) {
    const std::string p = "blk." + std::to_string(i) + ".";
    t(p + "attn_norm.weight", {256}, kF32, 256 * 4);
    t(p + "attn_q.weight", {256, 256}, kQ4K, q4k(256 * 256));
    t(p + "attn_k.weight", {256, 128}, kQ4K, q4k(256 * 128));
    t(p + "attn_v.weight", {256, 128}, kQ6K, q6k(256 * 128));
    t(p + "attn_output.weight", {256, 256}, kQ4K, q4k(256 * 256));
    t(p + "ffn_gate.weight", {256, 512}, kQ4K, q4k(256 * 512));
    t(p + "ffn_up.weight", {256, 512}, kQ4K, q4k(256 * 512));
    t(p + "ffn_down.weight", {512, 256}, kQ6K, q6k(512 * 256));
    t(p + "ffn_norm.weight", {256}, kF32, 256 * 4);
  }
  t("output_norm.weight", {256}, kF32, 256 * 4);
  t("output.weight", {256, 320}, kQ6K, q6k(256 * 320));
  return w;
}

GgufRead read(const Bytes8& b, std::uint64_t file_size = 0) {
  return read_gguf({b.data(), b.size()}, file_size);
}

json read_file_json(const Bytes8& b, std::uint64_t file_size = 0) {
  return json::parse(read_model_file_json(
      std::string_view(reinterpret_cast<const char*>(b.data()), b.size()), "test", file_size));
}

}  // namespace

TEST_CASE("GGUF: a small llama's header gives its tensors' exact bytes and its config") {
  std::uint64_t expect = 0;
  const GgufWriter w = tiny_llama(expect);
  const Bytes8 file = w.file();
  const GgufRead r = read(file, file.size());
  REQUIRE(r.error == "");
  REQUIRE(r.header);
  const GgufHeader& h = *r.header;
  CHECK(h.version == 3);
  CHECK(h.tensors.size() == 21);
  CHECK(h.tensor_bytes == expect);
  CHECK(h.data_offset % 32 == 0);
  CHECK(h.data_offset == w.bytes().size() + (32 - w.bytes().size() % 32) % 32);
  CHECK(h.metadata.at("tokenizer.ggml.tokens").count == 320);
  CHECK(gguf_file_type(h) == "q4_k_m");
  std::string error;
  const json c = llmmem::test::test_json(gguf_config(h, error));
  REQUIRE(error == "");
  CHECK(c["model_type"] == "llama");
  CHECK(c["hidden_size"] == 256);
  CHECK(c["num_hidden_layers"] == 2);
  CHECK(c["num_attention_heads"] == 4);
  CHECK(c["num_key_value_heads"] == 2);
  CHECK(c["intermediate_size"] == 512);
  CHECK(c["max_position_embeddings"] == 4096);
  CHECK(c["vocab_size"] == 320);
  CHECK(c["tie_word_embeddings"] == false);
  CHECK(c["rope_theta"] == 500000.0);
}

TEST_CASE("GGUF: readModelFile's answer estimates llama.cpp memory from the file alone") {
  std::uint64_t expect = 0;
  const Bytes8 file = tiny_llama(expect).file();
  const json info = read_file_json(file, file.size());
  REQUIRE(info["ok"] == true);
  CHECK(info["kind"] == "gguf");
  CHECK(info["weightsBytes"] == expect);
  CHECK(info["fileBytes"] == file.size());
  CHECK(info["byType"][0]["type"] == "q4_K");  // the largest share first
  CHECK(info["configParameters"] == info["parameters"]);
  CHECK(!info.contains("warnings"));
  json req = info["request"];
  CHECK(req["engine"] == "llama.cpp");
  CHECK(req["weights"] == "q4_k_m");
  const json report = json::parse(estimate_json(req.dump()));
  REQUIRE(report["ok"] == true);
  // The config the metadata gives counts the same parameters as the tensor table holds.
  std::uint64_t elements = info["parameters"];
  CHECK(report["params"]["total"] == elements);
  // transformers at the file's own bytes: the weights component is those bytes exactly.
  req["engine"] = "transformers";
  req["weights"] = "bf16";
  const json t = json::parse(estimate_json(req.dump()));
  REQUIRE(t["ok"] == true);
  CHECK(t["components"][0]["id"] == "weights");
  CHECK(t["components"][0]["bytes"] == expect);
}

TEST_CASE("GGUF: a short read asks for more bytes until the header is whole") {
  std::uint64_t expect = 0;
  const Bytes8 file = tiny_llama(expect).file();
  const std::uint64_t header = read(file).header->data_offset;
  // Every cut inside the header asks for more than it was given, never errs.
  for (std::uint64_t n = 0; n < header - 31; ++n) {
    const Bytes8 part(file.begin(), file.begin() + n);
    const GgufRead r = read(part);
    CAPTURE(n);
    REQUIRE(!r.header);
    REQUIRE(r.error == "");
    REQUIRE(r.need_bytes > n);
    REQUIRE(r.need_bytes <= header);
    // Given the whole file is that short, it is a truncated file, said so.
    if (n >= 4) REQUIRE(read(part, n).error.find("ends inside") != std::string::npos);
  }
  // Growing by the answer reaches the header in a few steps.
  Bytes8 part(file.begin(), file.begin() + 16);
  int steps = 0;
  while (true) {
    const GgufRead r = read(part, file.size());
    if (r.header) break;
    REQUIRE(r.need_bytes > part.size());
    part.assign(file.begin(),
                file.begin() + std::max<std::uint64_t>(r.need_bytes, 2 * part.size()));
    REQUIRE(++steps < 20);
  }
  const json info = read_file_json(Bytes8(file.begin(), file.begin() + 100), file.size());
  CHECK(info["ok"] == false);
  CHECK(info["needBytes"] > 100);
  CHECK(info["errors"][0]["message"].get<std::string>().find("need more bytes") == 0);
}

TEST_CASE("GGUF: hostile headers are refused by what is wrong") {
  auto header = [](std::uint32_t version, std::uint64_t n_t, std::uint64_t n_kv) {
    Bytes8 b = {'G', 'G', 'U', 'F'};
    GgufWriter::put(b, version, 4);
    GgufWriter::put(b, n_t, 8);
    GgufWriter::put(b, n_kv, 8);
    return b;
  };
  auto error = [](const Bytes8& b) { return read(b).error; };
  CHECK(error(header(1, 0, 0)).find("version 1") != std::string::npos);
  CHECK(error(header(0x03000000, 0, 0)).find("big-endian") != std::string::npos);
  CHECK(error(header(3, std::uint64_t(1) << 40, 0)).find("tensor_count") != std::string::npos);
  CHECK(error(header(3, 0, ~std::uint64_t(0))).find("metadata_kv_count") != std::string::npos);
  CHECK(error(Bytes8{'G', 'G', 'U', 'X', 3, 0, 0, 0}).find("not a GGUF") != std::string::npos);
  {  // a key longer than 65535 bytes
    Bytes8 b = header(3, 0, 1);
    GgufWriter::put(b, 1 << 20, 8);
    CHECK(error(b).find("at most 65535") != std::string::npos);
  }
  {  // a string value claiming 2^63 bytes: longer than any header, not "read more"
    Bytes8 b = header(3, 0, 1);
    GgufWriter::str(b, "general.name");
    GgufWriter::put(b, 8, 4);
    GgufWriter::put(b, std::uint64_t(1) << 63, 8);
    CHECK(error(b).find("general.name") != std::string::npos);
  }
  {  // an array of 2^62 u64s
    Bytes8 b = header(3, 0, 1);
    GgufWriter::str(b, "x");
    GgufWriter::put(b, 9, 4);
    GgufWriter::put(b, 10, 4);
    GgufWriter::put(b, std::uint64_t(1) << 62, 8);
    CHECK(error(b).find("array of") != std::string::npos);
  }
  {  // unknown value type
    Bytes8 b = header(3, 0, 1);
    GgufWriter::str(b, "x");
    GgufWriter::put(b, 13, 4);
    CHECK(error(b).find("unknown value type 13") != std::string::npos);
  }
  auto one_tensor = [](std::vector<std::uint64_t> dims, std::uint32_t type, std::uint64_t off) {
    GgufWriter w;
    w.tensor("t", dims, type, 0);
    Bytes8 b = w.bytes();
    // patch the offset (the last 8 bytes)
    for (int i = 0; i < 8; ++i) b[b.size() - 8 + i] = std::uint8_t(off >> (8 * i));
    return b;
  };
  CHECK(error(one_tensor({1, 2, 3, 4, 5}, 0, 0)).find("dimensions") != std::string::npos);
  CHECK(
      error(one_tensor({std::uint64_t(1) << 40, std::uint64_t(1) << 40}, 0, 0)).find("overflow") !=
      std::string::npos);
  CHECK(error(one_tensor({~std::uint64_t(0)}, 0, 0)).find("overflow") != std::string::npos);
  CHECK(error(one_tensor({256}, 99, 0)).find("unknown ggml type 99") != std::string::npos);
  CHECK(error(one_tensor({100}, kQ4K, 0)).find("not a multiple") != std::string::npos);
  CHECK(error(one_tensor({256}, kF32, 7)).find("alignment") != std::string::npos);
  CHECK(error(one_tensor({std::uint64_t(1) << 60}, kF32, ~std::uint64_t(31))).find("overflow") !=
        std::string::npos);
  {  // two tensors at the same offset
    GgufWriter w;
    w.tensor("a", {64}, kF32, 256);
    w.offset_ = 0;
    w.tensor("b", {64}, kF32, 256);
    CHECK(error(w.bytes()).find("overlaps") != std::string::npos);
  }
  {  // a key twice
    GgufWriter w;
    w.kv_u32("a", 1);
    w.kv_u32("a", 2);
    CHECK(error(w.bytes()).find("appears twice") != std::string::npos);
  }
  {  // a file shorter than its tensor table says
    std::uint64_t expect = 0;
    Bytes8 file = tiny_llama(expect).file();
    const std::uint64_t size = file.size() - 1;
    CHECK(read(file, size).error.find("shorter than its tensor table") != std::string::npos);
  }
}

TEST_CASE("GGUF: an architecture the core has no family for is refused by name") {
  GgufWriter w;
  w.kv_str("general.architecture", "mamba9");
  w.kv_u32("mamba9.block_count", 2);
  const GgufRead r = read(w.bytes());
  REQUIRE(r.header);
  std::string error;
  CHECK(gguf_config(*r.header, error).is_null());
  CHECK(error.find("'mamba9' is not supported yet; known: llama") != std::string::npos);
  const json info = read_file_json(w.bytes());
  CHECK(info["ok"] == false);
  CHECK(info["errors"][0]["field"] == "general.architecture");
  // Per-layer head counts that vary are not guessed either.
  GgufWriter v;
  v.kv_str("general.architecture", "llama");
  v.kv_u32("llama.embedding_length", 256);
  v.kv_u32("llama.block_count", 2);
  v.kv_u32("llama.attention.head_count", 4);
  v.kv_i32s("llama.attention.head_count_kv", {2, 4});
  gguf_config(*read(v.bytes()).header, error);
  CHECK(error == "llama.attention.head_count_kv is a per-layer array with different values");
}

namespace {

// A .safetensors file: u64 header length, the JSON header padded with spaces
// to 8 bytes (as the safetensors writer does), then `data` zero bytes.
Bytes8 safetensors(const json& header, std::uint64_t data) {
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  Bytes8 b;
  GgufWriter::put(b, text.size(), 8);
  b.insert(b.end(), text.begin(), text.end());
  b.resize(b.size() + data, 0);
  return b;
}

json entry(const char* dtype, std::vector<std::uint64_t> shape, std::uint64_t begin,
           std::uint64_t end) {
  return {{"dtype", dtype}, {"shape", shape}, {"data_offsets", {begin, end}}};
}

}  // namespace

TEST_CASE("safetensors: exact bytes per tensor and per dtype, FP8 with its scales") {
  json h = {{"__metadata__", {{"format", "pt"}}}};
  h["model.embed_tokens.weight"] = entry("BF16", {320, 256}, 0, 163840);
  h["model.layers.0.mlp.down_proj.weight"] = entry("F8_E4M3", {256, 256}, 163840, 229376);
  h["model.layers.0.mlp.down_proj.weight_scale_inv"] = entry("F32", {2, 2}, 229376, 229392);
  h["model.norm.weight"] = entry("BF16", {256}, 229392, 229904);
  const Bytes8 file = safetensors(h, 229904);
  const SafetensorsRead r = read_safetensors({file.data(), file.size()}, file.size());
  REQUIRE(r.error == "");
  REQUIRE(r.header);
  CHECK(r.header->tensors.size() == 4);
  CHECK(r.header->tensor_bytes == 229904);
  CHECK(r.header->metadata.at("format") == "pt");
  const json info = read_file_json(file, file.size());
  REQUIRE(info["ok"] == true);
  CHECK(info["kind"] == "safetensors");
  CHECK(info["weightsBytes"] == 229904);
  CHECK(info["quantization"] == "fp8");
  CHECK(info["request"]["weights"] == "fp8");
  CHECK(info["byType"][0] ==
        json({{"type", "BF16"}, {"tensors", 2}, {"elements", 320 * 256 + 256}, {"bytes", 164352}}));
}

TEST_CASE("safetensors: MXFP4 blocks and NVFP4 packed weights are counted as stored") {
  // gpt-oss-20b: experts as U8 *_blocks [32, 5760, 90, 16] (two FP4 values a byte,
  // 32 values a block) and U8 *_scales [32, 5760, 90] (one E8M0 per block).
  json g;
  const std::uint64_t blocks = 32ull * 5760 * 90 * 16, scales = 32ull * 5760 * 90;
  g["model.layers.0.mlp.experts.gate_up_proj_blocks"] = entry("U8", {32, 5760, 90, 16}, 0, blocks);
  g["model.layers.0.mlp.experts.gate_up_proj_scales"] =
      entry("U8", {32, 5760, 90}, blocks, blocks + scales);
  const json gi = read_file_json(safetensors(g, 0));
  CHECK(gi["quantization"] == "mxfp4");
  CHECK(gi["weightsBytes"] == blocks + scales);
  // 4.25 bits per value: 32 values in 16 + 1 bytes.
  CHECK(double(blocks + scales) * 8 / (32.0 * 5760 * 90 * 32) == 4.25);
  // ModelOpt NVFP4: U8 weight (two FP4 a byte), F8_E4M3 scale per 16 values, F32 global scale.
  json n;
  n["layers.0.mlp.down_proj.weight"] = entry("U8", {4096, 7168}, 0, 4096ull * 7168);
  n["layers.0.mlp.down_proj.weight_scale"] =
      entry("F8_E4M3", {4096, 896}, 4096ull * 7168, 4096ull * 8064);
  n["layers.0.mlp.down_proj.weight_scale_2"] = entry("F32", {}, 4096ull * 8064, 4096ull * 8064 + 4);
  n["layers.0.mlp.down_proj.tiny"] = entry("F4", {4, 4}, 4096ull * 8064 + 4, 4096ull * 8064 + 12);
  const json ni = read_file_json(safetensors(n, 0));
  CHECK(ni["quantization"] == "nvfp4");
  CHECK(ni["weightsBytes"] == 4096ull * 8064 + 12);
}

TEST_CASE("safetensors: short reads ask for more, hostile headers are refused") {
  json h;
  h["w"] = entry("BF16", {4, 4}, 0, 32);
  const Bytes8 file = safetensors(h, 32);
  for (std::size_t n = 0; n < file.size() - 32; ++n) {
    const Bytes8 part(file.begin(), file.begin() + n);
    const auto r = read_safetensors({part.data(), part.size()}, 0);
    CAPTURE(n);
    REQUIRE(r.error == "");
    REQUIRE(r.need_bytes > n);
    if (n > 0)
      REQUIRE(read_safetensors({part.data(), part.size()}, n).error.find("ends inside") !=
              std::string::npos);
  }
  auto error = [](const json& header) {
    const Bytes8 b = safetensors(header, 0);
    return read_safetensors({b.data(), b.size()}, 0).error;
  };
  CHECK(error({{"w", entry("BF16", {4, 4}, 0, 30)}}).find("tensor w: data_offsets span 30") == 0);
  CHECK(error({{"w", entry("Q4", {4}, 0, 2)}}).find("unknown dtype") != std::string::npos);
  CHECK(error({{"w", entry("U8", {1ull << 40, 1ull << 40}, 0, 1)}}).find("overflow") !=
        std::string::npos);
  CHECK(error({{"w", {{"dtype", "U8"}, {"shape", {-1}}, {"data_offsets", {0, 1}}}}})
            .find("shape holds -1") != std::string::npos);
  CHECK(error({{"w", entry("U8", {4}, 4, 0)}}).find("begin <= end") != std::string::npos);
  CHECK(error({{"w", entry("F4", {3}, 0, 1)}}).find("not whole bytes") != std::string::npos);
  CHECK(error({{"a", entry("U8", {4}, 0, 4)}, {"b", entry("U8", {4}, 2, 6)}}).find("overlaps") !=
        std::string::npos);
  {  // a header length over the format's 100 MB
    Bytes8 b;
    GgufWriter::put(b, 100'000'001, 8);
    b.push_back('{');
    CHECK(read_safetensors({b.data(), b.size()}, 0).error.find("100,000,000") != std::string::npos);
  }
  {  // deep nesting is refused before the JSON parser sees it
    Bytes8 b;
    const std::string deep = std::string(100000, '[');
    GgufWriter::put(b, deep.size() + 1, 8);
    b.push_back('{');
    b.insert(b.end(), deep.begin(), deep.end());
    CHECK(read_safetensors({b.data(), b.size()}, 0).error.find("nested too deeply") !=
          std::string::npos);
  }
  // The file is shorter than its header says.
  CHECK(read_safetensors({file.data(), file.size()}, file.size() - 1).error.find("shorter") !=
        std::string::npos);
}

TEST_CASE("model.safetensors.index.json gives the checkpoint's total bytes") {
  // meta-llama/Llama-3.1-8B model.safetensors.index.json: "total_size": 16060522496
  // (8,030,261,248 parameters in BF16).
  const json idx = {{"metadata", {{"total_size", 16060522496ull}}},
                    {"weight_map",
                     {{"model.embed_tokens.weight", "model-00001-of-00004.safetensors"},
                      {"lm_head.weight", "model-00004-of-00004.safetensors"}}}};
  const std::string text = idx.dump();
  const Bytes8 b(text.begin(), text.end());
  const json info = read_file_json(b, b.size());
  REQUIRE(info["ok"] == true);
  CHECK(info["kind"] == "safetensors-index");
  CHECK(info["weightsBytes"] == 16060522496ull);
  CHECK(info["shards"].size() == 2);
  CHECK(16060522496ull == 8030261248ull * 2);
  // Given only part of it, the reader asks for the whole file.
  CHECK(read_file_json(Bytes8(b.begin(), b.begin() + 10), b.size())["needBytes"] == b.size());
  CHECK(read_safetensors_index(R"({"weight_map": {}})").error.find("total_size") !=
        std::string::npos);
  CHECK(read_safetensors_index(R"({"metadata": {"total_size": 1}, "weight_map": {"a": 1}})")
            .error.find("weight_map[a]") != std::string::npos);
}

TEST_CASE("weightsBytes is a request field with bounds") {
  const json bad =
      json::parse(estimate_json(R"({"model": {"preset": "llama-3.1-8b"}, "weightsBytes": -5})"));
  CHECK(bad["ok"] == false);
  CHECK(bad["errors"][0]["field"] == "weightsBytes");
  const json ok = json::parse(
      estimate_json(R"({"model": {"preset": "llama-3.1-8b"}, "weightsBytes": 16060522496})"));
  REQUIRE(ok["ok"] == true);
  // transformers loads the BF16 checkpoint as stored: its weights are the files' bytes.
  CHECK(ok["components"][0]["bytes"] == 16060522496ull);
}

TEST_CASE("GGUF: Meta-Llama-3.1-8B-Instruct Q4_K_M's tensor table adds up to its published sizes") {
  // The file's tensors as llama.cpp's Q4_K_M writes them (llama-quant.cpp): Q4_K everywhere but
  // output (Q6_K), norms and rope_freqs (F32), and attn_v / ffn_down Q6_K on the layers
  // use_more_bits picks (the first and last eighth, every third in between).
  const std::uint64_t L = 32, h = 4096, kv = 1024, ff = 14336, vocab = 128256;
  GgufWriter w;
  w.kv_str("general.architecture", "llama");
  w.kv_u32("general.file_type", 15);
  w.kv_u32("llama.block_count", L);
  w.kv_u32("llama.context_length", 131072);
  w.kv_u32("llama.embedding_length", h);
  w.kv_u32("llama.feed_forward_length", ff);
  w.kv_u32("llama.attention.head_count", 32);
  w.kv_u32("llama.attention.head_count_kv", 8);
  w.tensor("rope_freqs.weight", {64}, kF32, 64 * 4);
  w.tensor("token_embd.weight", {h, vocab}, kQ4K, q4k(h * vocab));
  for (std::uint64_t i = 0; i < L; ++i) {
    const bool more = i < L / 8 || i >= 7 * L / 8 || (i - L / 8) % 3 == 2;
    const std::string p = "blk." + std::to_string(i) + ".";
    w.tensor(p + "attn_norm.weight", {h}, kF32, h * 4);
    w.tensor(p + "ffn_down.weight", {ff, h}, more ? kQ6K : kQ4K, more ? q6k(ff * h) : q4k(ff * h));
    w.tensor(p + "ffn_gate.weight", {h, ff}, kQ4K, q4k(h * ff));
    w.tensor(p + "ffn_up.weight", {h, ff}, kQ4K, q4k(h * ff));
    w.tensor(p + "ffn_norm.weight", {h}, kF32, h * 4);
    w.tensor(p + "attn_k.weight", {h, kv}, kQ4K, q4k(h * kv));
    w.tensor(p + "attn_output.weight", {h, h}, kQ4K, q4k(h * h));
    w.tensor(p + "attn_q.weight", {h, h}, kQ4K, q4k(h * h));
    w.tensor(p + "attn_v.weight", {h, kv}, more ? kQ6K : kQ4K, more ? q6k(h * kv) : q4k(h * kv));
  }
  w.tensor("output.weight", {h, vocab}, kQ6K, q6k(h * vocab));
  w.tensor("output_norm.weight", {h}, kF32, h * 4);
  const GgufRead r = read(w.bytes());
  REQUIRE(r.header);
  CHECK(r.header->tensors.size() == 292);
  const std::uint64_t tensors = r.header->tensor_bytes;
  // llama.cpp loading bartowski/lmstudio's Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf prints
  // "CPU_Mapped model buffer size = 4685.30 MiB" (the tensor data; ikawrakow/ik_llama.cpp
  // discussion, 2025-05-20, and many logs of the same file).
  CHECK(std::llround(double(tensors) / (1 << 20) * 100) == 468530);
  // The file on Hugging Face is 4,920,734,048 bytes: what is left is the header (metadata with
  // the 128,256-token vocabulary and 280,147 merges, and this tensor table), padded to 32.
  const std::uint64_t file = 4'920'734'048;
  const std::uint64_t header = file - tensors;
  CHECK(header % 32 == 0);
  CHECK(header > r.header->data_offset + 128256 * 8);  // at least the token strings' lengths
  CHECK(header < (16u << 20));
  // The core's own Q4_K_M estimate for the catalog's Llama 3.1 8B types each tensor the same way
  // (it leaves out rope_freqs' 256 bytes).
  const json est = json::parse(estimate_json(
      R"({"model": {"preset": "llama-3.1-8b"}, "engine": "llama.cpp", "weights": "q4_k_m"})"));
  REQUIRE(est["ok"] == true);
  const std::string formula = est["components"][0]["formula"];
  CAPTURE(formula, tensors);
  CHECK(formula.find("= 4.58 GiB file") != std::string::npos);
  // Its metadata as a config counts the catalog's 8,030,261,248 parameters (+ rope_freqs' 64).
  std::string error;
  const json c = llmmem::test::test_json(gguf_config(*r.header, error));
  const json p = json::parse(estimate_json(json({{"model", {{"config", c}}}}).dump()));
  REQUIRE(p["ok"] == true);
  CHECK(p["params"]["total"] == 8030261248);
}

namespace {

// The parameters the core counts for the config a GGUF's metadata gives. The vocabulary comes
// from token_embd's shape; an output tensor means untied embeddings.
json params_of(GgufWriter& w, std::uint64_t hidden, std::uint64_t vocab, bool tied) {
  w.tensor("token_embd.weight", {hidden, vocab}, kF32, hidden * vocab * 4);
  if (!tied) w.tensor("output.weight", {hidden, vocab}, kF32, hidden * vocab * 4);
  const GgufRead r = read(w.bytes());
  REQUIRE(r.header);
  std::string error;
  const json c = llmmem::test::test_json(gguf_config(*r.header, error));
  REQUIRE(error == "");
  const json p = json::parse(estimate_json(json({{"model", {{"config", c}}}}).dump()));
  REQUIRE(p["ok"] == true);
  return json({{"config", c}, {"total", p["params"]["total"]}});
}

}  // namespace

TEST_CASE("GGUF: DeepSeek-V3's deepseek2 metadata (MLA, 256 experts) counts its 671B parameters") {
  // The metadata llama.cpp writes for DeepSeek-V3 / R1 (a llama_model_loader listing of
  // DeepSeek-R1 Q4_K_M: q_lora_rank 1536, kv_lora_rank 512, key_length 576, value_length 512,
  // key_length_mla 192, value_length_mla 128, expert_feed_forward_length 2048, expert_count 256).
  GgufWriter w;
  w.kv_str("general.architecture", "deepseek2");
  for (auto [k, v] : std::initializer_list<std::pair<const char*, std::uint32_t>>{
           {"block_count", 61},
           {"embedding_length", 7168},
           {"feed_forward_length", 18432},
           {"attention.head_count", 128},
           {"attention.head_count_kv", 1},
           {"attention.q_lora_rank", 1536},
           {"attention.kv_lora_rank", 512},
           {"attention.key_length", 576},
           {"attention.value_length", 512},
           {"attention.key_length_mla", 192},
           {"attention.value_length_mla", 128},
           {"rope.dimension_count", 64},
           {"expert_count", 256},
           {"expert_shared_count", 1},
           {"expert_used_count", 8},
           {"expert_feed_forward_length", 2048},
           {"leading_dense_block_count", 3},
           {"expert_gating_func", 2}})
    w.kv_u32("deepseek2." + std::string(k), v);
  const json p = params_of(w, 7168, 129280, false);
  CHECK(p["config"]["model_type"] == "deepseek_v3");
  CHECK(p["config"]["qk_nope_head_dim"] == 128);
  CHECK(p["config"]["v_head_dim"] == 128);
  // DeepSeek-V3 README_WEIGHTS.md: 671B main-model parameters (the catalog's formula:
  // 671,026,419,200); the GGUF holds no multi-token-prediction layer.
  CHECK(p["total"] == 671026419200);
}

TEST_CASE("GGUF: Llama 4 Scout's llama4 metadata counts its text model, chunked like llama.cpp") {
  // The keys convert_hf_to_gguf.py's Llama4Model writes for Llama-4-Scout-17B-16E
  // (families3_test.cpp has its config.json): feed_forward_length is the dense
  // width (intermediate_size_mlp), expert_feed_forward_length the experts'.
  GgufWriter w;
  w.kv_str("general.architecture", "llama4");
  for (auto [k, v] : std::initializer_list<std::pair<const char*, std::uint32_t>>{
           {"block_count", 48},
           {"embedding_length", 5120},
           {"feed_forward_length", 16384},
           {"expert_feed_forward_length", 8192},
           {"attention.head_count", 40},
           {"attention.head_count_kv", 8},
           {"attention.key_length", 128},
           {"expert_count", 16},
           {"expert_used_count", 1},
           {"interleave_moe_layer_step", 1},
           {"context_length", 10485760}})
    w.kv_u32("llama4." + std::string(k), v);
  const json p = params_of(w, 5120, 202048, false);
  CHECK(p["config"]["model_type"] == "llama4_text");
  // The checkpoint's 108,641,793,536 less its vision model and projector
  // (871,932,416), which llama.cpp keeps in the separate mmproj file.
  CHECK(p["total"] == 108641793536 - 871932416);
  // llama.cpp's chunking (LLAMA_SWA_TYPE_CHUNKED, n_swa 8192, every fourth layer full).
  Errors errors;
  const auto arch = parse_config(llmmem::test::core_json(p["config"]), "model.config", errors);
  REQUIRE(arch);
  CHECK(arch->layer(0).attn.sliding_window == 8192);
  CHECK(arch->layer(0).attn.chunked);
  CHECK(arch->layer(3).attn.sliding_window == 0);
}

TEST_CASE("GGUF: OLMo 2 and Command R metadata count the catalog's parameters") {
  // allenai/OLMo-2-1124-7B config.json (the catalog row): 7,298,617,344 parameters.
  GgufWriter o;
  o.kv_str("general.architecture", "olmo2");
  o.kv_u32("olmo2.block_count", 32);
  o.kv_u32("olmo2.embedding_length", 4096);
  o.kv_u32("olmo2.feed_forward_length", 11008);
  o.kv_u32("olmo2.attention.head_count", 32);
  o.kv_u32("olmo2.attention.head_count_kv", 32);
  o.kv_u32("olmo2.context_length", 4096);
  CHECK(params_of(o, 4096, 100352, false)["total"] == 7298617344);
  // CohereForAI/c4ai-command-r-v01 (llama.cpp arch "command-r", tied embeddings): 34,980,831,232.
  GgufWriter c;
  c.kv_str("general.architecture", "command-r");
  c.kv_u32("command-r.block_count", 40);
  c.kv_u32("command-r.embedding_length", 8192);
  c.kv_u32("command-r.feed_forward_length", 22528);
  c.kv_u32("command-r.attention.head_count", 64);
  c.kv_u32("command-r.attention.head_count_kv", 64);
  const json p = params_of(c, 8192, 256000, true);
  CHECK(p["config"]["tie_word_embeddings"] == true);
  CHECK(p["total"] == 34980831232);
}

TEST_CASE("GGUF: catalog models written as llama.cpp metadata read back to the same parameters") {
  // The keys convert_hf_to_gguf.py writes for each config.json field (gguf-py constants.py
  // Keys.LLM / Keys.Attention); general.architecture as llama.cpp names the family.
  const auto models = json::parse(*test::read_file(test::source_path("core/data/models.json")));
  const std::map<std::string, std::string> arch_of{{"qwen2", "qwen2"},   {"qwen3_moe", "qwen3moe"},
                                                   {"gemma2", "gemma2"}, {"gemma3_text", "gemma3"},
                                                   {"phi3", "phi3"},     {"gpt_oss", "gpt-oss"},
                                                   {"mixtral", "llama"}};
  const std::vector<std::pair<const char*, const char*>> keys{
      {"num_hidden_layers", "block_count"},
      {"hidden_size", "embedding_length"},
      {"intermediate_size", "feed_forward_length"},
      {"num_attention_heads", "attention.head_count"},
      {"num_key_value_heads", "attention.head_count_kv"},
      {"head_dim", "attention.key_length"},
      {"sliding_window", "attention.sliding_window"},
      {"num_experts", "expert_count"},
      {"num_local_experts", "expert_count"},
      {"num_experts_per_tok", "expert_used_count"},
      {"experts_per_token", "expert_used_count"},
      {"moe_intermediate_size", "expert_feed_forward_length"}};
  int checked = 0;
  for (const auto& m : models) {
    const std::string type = m.value("model_type", "");
    if (!arch_of.count(type)) continue;
    const std::string id = m["id"];
    CAPTURE(id);
    const std::string arch = arch_of.at(type);
    GgufWriter w;
    w.kv_str("general.architecture", arch);
    for (const auto& [field, key] : keys)
      if (m.contains(field) && m[field].is_number_integer())
        w.kv_u32(arch + "." + key, m[field].get<std::uint32_t>());
    if (type == "gpt_oss")  // its experts' width is intermediate_size
      w.kv_u32(arch + ".expert_feed_forward_length", m["intermediate_size"].get<std::uint32_t>());
    const Preset* preset = find_preset(id);
    REQUIRE(preset);
    // Tied (the family's default where the config is silent): convert writes no output tensor.
    bool tied = true;
    for (const auto& t : preset->arch->tail_modules) tied &= t.role != ModuleRole::LmHead;
    const json p = params_of(w, m["hidden_size"], m["vocab_size"], tied);
    CHECK(p["total"].get<double>() == count_params(*preset->arch).total.value);
    ++checked;
  }
  CHECK(checked >= 20);
}

TEST_CASE("GGUF: gguf-split parts each give their tensors' bytes; the metadata is in the first") {
  // llama.cpp gguf-split writes split.no (u16), split.count (u16), split.tensors.count (i32) in
  // every part and the model's metadata in part 0 only.
  std::uint64_t expect = 0;
  GgufWriter first = tiny_llama(expect);
  first.key("split.no", 2), GgufWriter::put(first.kv_, 0, 2);
  first.key("split.count", 2), GgufWriter::put(first.kv_, 2, 2);
  const json a = read_file_json(first.bytes());
  REQUIRE(a["ok"] == true);
  CHECK(a["split"] == json({{"index", 0}, {"count", 2}}));
  CHECK(a["modelType"] == "llama");
  GgufWriter second;
  second.key("split.no", 2), GgufWriter::put(second.kv_, 1, 2);
  second.key("split.count", 2), GgufWriter::put(second.kv_, 2, 2);
  second.tensor("blk.9.ffn_up.weight", {256, 512}, kQ4K, q4k(256 * 512));
  const json b = read_file_json(second.bytes());
  REQUIRE(b["ok"] == true);
  CHECK(b["split"] == json({{"index", 1}, {"count", 2}}));
  CHECK(b["weightsBytes"] == q4k(256 * 512));
  CHECK(b["request"]["weightsBytes"] == q4k(256 * 512));
  CHECK(!b.contains("config"));
  // Without split keys, a file with no architecture is refused by what it lacks.
  GgufWriter bare;
  bare.tensor("x", {256}, kF32, 1024);
  CHECK(read_file_json(bare.bytes())["errors"][0]["message"] ==
        "the file has no general.architecture (a string): the model cannot be named");
}
