// The adapter interface and registry behind `hearth ingest --adapter NAME FILE...` and the
// adapters' HTTP endpoints. Part of hearth_adapter_common. Since 0.1 (ABI 1.1).
//
// How to add an adapter (the "zgw" and "signalen" adapters follow this too):
//
//   1. In host-adapters/<name>/, write a parser with the ParseDocumentFn signature:
//
//        hearth::adapters::ParsedBatch parse_zgw_document(std::string_view document,
//                                                         const hearth::adapters::ParseContext &context);
//
//      It must never throw for bad input and never log record contents: every record it
//      cannot turn into a signal becomes a Rejection naming the field and the reason
//      (ParsedBatch::reject), the other records still become signals. A document it cannot
//      read at all (malformed JSON, invalid UTF-8) is one rejection of item 0 with field
//      "document". Use the checks in input_checks.hpp (UTF-8, elfproef, dates, amounts) so
//      every adapter refuses the same things with the same words. Set every signal's
//      source to context.source, its legal basis with context.legal_basis_for(data_class)
//      and its purpose to context.purpose.
//
//   2. Expose it as an Adapter:
//
//        const hearth::adapters::Adapter &zgw_adapter() {
//          static const hearth::adapters::Adapter adapter{
//              "zgw", "ZGW Zaken API objects (JSON), one document per file", parse_zgw_document, nullptr};
//          return adapter;
//        }
//
//      Give `parse_file` only when a file is not simply one document (CSV streams it row by
//      row); otherwise parse_file() below reads the file (refusing it over
//      context.max_document_bytes) and calls parse_document.
//
//   3. Add one line to host-adapters/cli/commands/ingest/adapter_table.cpp
//      (`registry.add(zgw_adapter());`) and link the adapter's library into
//      hearth_ingest_command in that folder's CMakeLists.txt.
//
// Ingesting the batch (chunks, counting, dead letters) is not the adapter's job: see
// ingest_driver.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapter_common/parsed_batch.hpp"

namespace hearth::adapters {

// What a parser needs besides the input. Built by the caller (the ingest command from its
// options and hearth.ini; a plugin from its configuration section). Read-only for parsers.
struct ParseContext {
  std::string source = "unknown";     // every signal's source, e.g. "vera:woonstad"
  std::int64_t now_ms = 0;            // the runtime clock; later dates are refused
  std::int64_t max_future_skew_ms = 0; // tolerance for "in the future"
  std::size_t max_document_bytes = 16u * 1024u * 1024u; // bigger input is refused whole
  std::string purpose = "early-warning";
  // Legal basis per data class ("finance" -> "wgs-vroegsignalering"); see docs/data.md.
  std::map<std::string, std::string> legal_bases = {
      {"finance", "wgs-vroegsignalering"}, {"nuisance", "avg-6-1-e"}, {"housing", "avg-6-1-f"},
      {"contact", "avg-6-1-f"},            {"care", "avg-9-2-h"}};
  // Adapter-specific settings ("vera.tenancy_from" ...), from the caller's configuration.
  std::map<std::string, std::string> settings;
  // Reads a runtime view for the caller's actor (hearth_runtime_read, or a plugin's
  // data->read): `view`, JSON `args_json`; on HEARTH_OK `answer` holds the JSON result,
  // otherwise the reason. Empty when the caller has no runtime (a parser then refuses what
  // it cannot resolve, naming the field). Called on the parsing thread only.
  std::function<std::int32_t(const std::string &view, const std::string &args_json, std::string &answer)> read;

  // The legal basis for `data_class`, or "" when none is configured (the runtime then
  // refuses the signal, naming legal_basis).
  std::string legal_basis_for(const std::string &data_class) const;
  // Setting `key`, if present.
  std::optional<std::string> setting(const std::string &key) const;
};

// Fills `context` from an adapter's settings, keyed "<adapter>.<key>" (the CLI reads them
// from config/adapters/<adapter>.ini, section [<adapter>]; a plugin from its configuration
// section): source, max_document_bytes, purpose, legal_basis.<data class>. Every entry is
// also kept in context.settings for the adapter's own keys. Throws std::invalid_argument
// naming the key for a bad value (max_document_bytes not a positive whole number, an empty
// source or purpose).
void apply_settings(ParseContext &context, std::string_view adapter, const std::map<std::string, std::string> &settings);

// Parses one whole document (a file's bytes, an HTTP body). Never throws for bad input.
using ParseDocumentFn = ParsedBatch (*)(std::string_view document, const ParseContext &context);
// Parses one file, when a file is not one document. Never throws for bad input; a file that
// cannot be opened is one rejection with field "file".
using ParseFileFn = ParsedBatch (*)(const std::filesystem::path &file, const ParseContext &context);

// One adapter. Static data owned by the adapter's library.
struct Adapter {
  std::string_view name;        // what --adapter takes: "vera", "zgw", "signalen", "csv"
  std::string_view description; // one line for `hearth ingest --help`
  ParseDocumentFn parse_document = nullptr; // required
  ParseFileFn parse_file = nullptr;         // optional, see above
};

// Parses `file` with `adapter`: adapter.parse_file when given, else reads the file (at most
// context.max_document_bytes; a bigger one is one rejection with field "document" and
// reason "is larger than the limit of N bytes") and calls adapter.parse_document.
ParsedBatch parse_file(const Adapter &adapter, const std::filesystem::path &file, const ParseContext &context);

// Parses an in-memory document with the size limit applied first (the HTTP endpoints).
ParsedBatch parse_document(const Adapter &adapter, std::string_view document, const ParseContext &context);

// The adapters a program offers, by name. Not thread-safe while adding; reads are.
class AdapterRegistry {
public:
  // Adds `adapter` (borrowed: static data). Throws std::invalid_argument for a duplicate
  // name or a missing parse_document.
  void add(const Adapter &adapter);
  // The adapter called `name`, or nullptr.
  const Adapter *find(std::string_view name) const;
  // Every name, sorted.
  std::vector<std::string> names() const;

private:
  std::vector<const Adapter *> adapters_;
};

} // namespace hearth::adapters
