// The builders: config.json fields -> ModelArch, one per genuinely different
// kind of model. Each reads its fields through `Fields` (errors name the
// field) and returns nullptr when any field was wrong.
#pragma once

#include <memory>
#include <string>

#include "util/json.hpp"

#include "model/config_read.hpp"
#include "model/model.hpp"

namespace llmmem {

// Decoder-only transformers; `model_type` picks the family's row
// (families.cpp); a type the table has no decoder row for is an error.
std::shared_ptr<ModelArch> build_decoder(const Fields& f, const std::string& model_type);

// BERT-style encoders with a pooler and a classifier.
std::shared_ptr<ModelArch> build_bert(const Fields& f);

// T5 encoder-decoders.
std::shared_ptr<ModelArch> build_t5(const Fields& f, const std::string& model_type);

// The vision encoder of a multimodal config (`vision` reads vision_config) as
// one module, or a warning that it is not counted; false, with errors naming
// the fields, when a field it reads is out of range.
bool add_vision_tower(const Fields& vision, const std::string& outer_type, ModelArch& arch);

}  // namespace llmmem
