#include "adapter_common/adapter.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <stdexcept>

namespace hearth::adapters {
namespace {

// A batch holding one rejection of the whole input.
ParsedBatch whole_input_rejected(const ParseContext &context, std::string field, std::string reason) {
  ParsedBatch batch;
  batch.source = context.source;
  batch.items = 1;
  batch.reject(0, std::move(field), std::move(reason));
  return batch;
}

std::string too_large(const ParseContext &context) {
  return "is larger than the limit of " + std::to_string(context.max_document_bytes) + " bytes";
}

} // namespace

std::string ParseContext::legal_basis_for(const std::string &data_class) const {
  const auto found = legal_bases.find(data_class);
  return found == legal_bases.end() ? std::string() : found->second;
}

std::optional<std::string> ParseContext::setting(const std::string &key) const {
  const auto found = settings.find(key);
  if (found == settings.end()) {
    return std::nullopt;
  }
  return found->second;
}

void apply_settings(ParseContext &context, std::string_view adapter, const std::map<std::string, std::string> &settings) {
  const std::string prefix = std::string(adapter) + ".";
  for (const auto &[key, value] : settings) {
    context.settings[key] = value;
    if (key.rfind(prefix, 0) != 0) {
      continue;
    }
    const std::string name = key.substr(prefix.size());
    if (name == "source" || name == "purpose") {
      if (value.empty()) {
        throw std::invalid_argument(key + ": must not be empty");
      }
      (name == "source" ? context.source : context.purpose) = value;
    } else if (name == "max_document_bytes") {
      std::size_t parsed = 0;
      const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), parsed);
      if (error != std::errc() || end != value.data() + value.size() || parsed == 0) {
        throw std::invalid_argument(key + ": must be a positive whole number of bytes");
      }
      context.max_document_bytes = parsed;
    } else if (name.rfind("legal_basis.", 0) == 0) {
      context.legal_bases[name.substr(12)] = value;
    }
  }
}

ParsedBatch parse_document(const Adapter &adapter, std::string_view document, const ParseContext &context) {
  if (document.size() > context.max_document_bytes) {
    auto batch = whole_input_rejected(context, "document", too_large(context));
    // Only a hash of the payload is ever kept; hashing a prefix is enough to identify it.
    batch.rejections.front().payload.assign(document.substr(0, 4096));
    return batch;
  }
  ParsedBatch batch = adapter.parse_document(document, context);
  batch.source = context.source;
  return batch;
}

ParsedBatch parse_file(const Adapter &adapter, const std::filesystem::path &file, const ParseContext &context) {
  if (adapter.parse_file != nullptr) {
    ParsedBatch batch = adapter.parse_file(file, context);
    batch.source = context.source;
    return batch;
  }
  std::error_code error;
  const auto size = std::filesystem::file_size(file, error);
  if (error) {
    return whole_input_rejected(context, "file", "cannot be read: " + error.message());
  }
  if (size > context.max_document_bytes) {
    return whole_input_rejected(context, "document", too_large(context));
  }
  std::ifstream in(file, std::ios::binary);
  std::string document(static_cast<std::size_t>(size), '\0');
  if (!in || !in.read(document.data(), static_cast<std::streamsize>(size))) {
    return whole_input_rejected(context, "file", "cannot be read");
  }
  return parse_document(adapter, document, context);
}

void AdapterRegistry::add(const Adapter &adapter) {
  if (adapter.parse_document == nullptr) {
    throw std::invalid_argument("adapter '" + std::string(adapter.name) + "' has no parse_document");
  }
  if (find(adapter.name) != nullptr) {
    throw std::invalid_argument("adapter '" + std::string(adapter.name) + "' is registered twice");
  }
  adapters_.push_back(&adapter);
}

const Adapter *AdapterRegistry::find(std::string_view name) const {
  for (const Adapter *adapter : adapters_) {
    if (adapter->name == name) {
      return adapter;
    }
  }
  return nullptr;
}

std::vector<std::string> AdapterRegistry::names() const {
  std::vector<std::string> result;
  for (const Adapter *adapter : adapters_) {
    result.emplace_back(adapter->name);
  }
  std::sort(result.begin(), result.end());
  return result;
}

} // namespace hearth::adapters
