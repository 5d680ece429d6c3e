// The CRM database and CSV adapter: rows of a CRM table (through SOCI: SQLite and
// PostgreSQL built in, ODBC by name) or of a CSV export become canonical signals, by a
// mapping file (config/adapters/csv.ini, config/adapters/crm-example.ini). Since 0.1.
//
//   hearth ingest --adapter csv [--settings MAPPING.ini] EXPORT.csv...
//     the mapping is [csv] of config/adapters/csv.ini (or --settings);
//   hearth ingest --adapter crm SOURCE.ini...
//     each FILE is a mapping with a [crm] section naming the database, the query and the
//     watermark column; only rows at or after the stored watermark are read, and the
//     watermark (in state_file) advances once the batch is ingested: incremental and
//     resumable (an interrupted run reads the same rows again; ingestion is idempotent).
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "adapter_common/adapter.hpp"

namespace hearth::adapters::csv {

// `hearth ingest --adapter csv`.
const Adapter &csv_adapter();
// `hearth ingest --adapter crm`.
const Adapter &crm_adapter();

// Parses CSV `document` with the mapping in context.settings ("csv." keys).
ParsedBatch parse_csv_document(std::string_view document, const ParseContext &context);

// Reads the CRM source described by the mapping file `mapping_file`.
ParsedBatch parse_crm_source(const std::filesystem::path &mapping_file, const ParseContext &context);

// The watermark stored for a source, or `initial` when none is stored yet.
std::string read_watermark(const std::filesystem::path &state_file, const std::string &initial);
// Stores `watermark` durably: written to a temporary file, flushed to disk, renamed over
// the state file. Throws std::runtime_error when it cannot.
void write_watermark(const std::filesystem::path &state_file, const std::string &watermark);

} // namespace hearth::adapters::csv
