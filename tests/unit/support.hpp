// Test helpers: reading the project's data files and calling the JSON API.
#pragma once

#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/estimate.hpp"
#include "util/json.hpp"

namespace llmmem::test {

inline std::string source_path(const std::string& rel) {
  return std::string(LLMMEM_SOURCE_DIR) + "/" + rel;
}
inline std::string shared_path(const std::string& rel) {
  return std::string(LLMMEM_SHARED_DIR) + "/" + rel;
}

inline std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A CSV with a header row; lines starting with '#' are comments. No quoting.
inline std::vector<std::map<std::string, std::string>> read_csv(const std::string& path) {
  std::vector<std::map<std::string, std::string>> rows;
  auto text = read_file(path);
  if (!text) return rows;
  std::istringstream in(*text);
  std::string line;
  std::vector<std::string> header;
  auto split = [](const std::string& l) {
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream s(l);
    while (std::getline(s, cell, ',')) cells.push_back(cell);
    if (!l.empty() && l.back() == ',') cells.emplace_back();
    return cells;
  };
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    if (header.empty()) {
      header = split(line);
      continue;
    }
    auto cells = split(line);
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < header.size(); ++i)
      row[header[i]] = i < cells.size() ? cells[i] : "";
    rows.push_back(row);
  }
  return rows;
}

// The tests build and read documents with nlohmann::json, an independent
// implementation; the core's own document (util/json.hpp) crosses as text.
inline llmmem::Json core_json(const nlohmann::json& j) {
  return llmmem::Json::parse(j.dump());
}
inline nlohmann::json test_json(const llmmem::Json& j) {
  return nlohmann::json::parse(j.dump());
}

inline nlohmann::json estimate(const nlohmann::json& request) {
  return nlohmann::json::parse(estimate_json(request.dump()));
}

inline std::uint64_t component(const nlohmann::json& report, const std::string& id) {
  if (id == "total") return report.at("totalBytes").get<std::uint64_t>();
  for (const auto& c : report.at("components"))
    if (c.at("id") == id) return c.at("bytes").get<std::uint64_t>();
  return 0;
}

// The first error's field and message, for assertions.
inline std::pair<std::string, std::string> first_error(const nlohmann::json& report) {
  if (report.value("ok", true) || report.at("errors").empty()) return {"", ""};
  const auto& e = report.at("errors").at(0);
  return {e.at("field").get<std::string>(), e.at("message").get<std::string>()};
}

}  // namespace llmmem::test
