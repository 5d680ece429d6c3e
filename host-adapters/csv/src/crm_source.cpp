// A CRM database as a source: the mapping file's [crm] section names the database (SOCI
// backend and connection), the query (with :watermark) and the watermark column.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <stdexcept>

#include <fcntl.h>
#include <unistd.h>

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/String.h>
#include <Poco/Util/IniFileConfiguration.h>

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "csv_adapter/csv_adapter.hpp"
#include "csv_adapter/row_mapping.hpp"

namespace hearth::adapters::csv {
namespace {

void collect(const Poco::Util::AbstractConfiguration &ini, const std::string &prefix,
             std::map<std::string, std::string> &settings) {
  Poco::Util::AbstractConfiguration::Keys keys;
  ini.keys(prefix, keys);
  for (const auto &key : keys) {
    const std::string full = prefix.empty() ? key : prefix + "." + key;
    if (ini.hasProperty(full)) {
      settings[full] = ini.getString(full);
    }
    collect(ini, full, settings);
  }
}

std::map<std::string, std::string> read_mapping(const std::filesystem::path &file) {
  std::map<std::string, std::string> settings;
  Poco::AutoPtr<Poco::Util::IniFileConfiguration> ini(new Poco::Util::IniFileConfiguration(file.string()));
  collect(*ini, "", settings);
  return settings;
}

std::string required(const std::map<std::string, std::string> &settings, const std::string &key) {
  const auto found = settings.find(key);
  if (found == settings.end() || found->second.empty()) {
    throw std::invalid_argument(key + ": is missing");
  }
  return found->second;
}

// A column's value as text: numbers as written, dates as "YYYY-MM-DDThh:mm:ss" (UTC), NULL
// as "".
std::string cell_text(const soci::row &row, std::size_t i) {
  if (row.get_indicator(i) == soci::i_null) {
    return {};
  }
  char buffer[64];
  switch (row.get_properties(i).get_data_type()) {
  case soci::dt_string:
  case soci::dt_xml:
    return row.get<std::string>(i);
  case soci::dt_integer:
    return std::to_string(row.get<int>(i));
  case soci::dt_long_long:
    return std::to_string(row.get<long long>(i));
  case soci::dt_unsigned_long_long:
    return std::to_string(row.get<unsigned long long>(i));
  case soci::dt_double: {
    const auto written = std::to_chars(buffer, buffer + sizeof buffer, row.get<double>(i));
    return std::string(buffer, written.ptr);
  }
  case soci::dt_date: {
    const std::tm at = row.get<std::tm>(i);
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &at);
    return buffer;
  }
  default:
    return {};
  }
}

// True when `a` sorts after `b`: numerically when both are whole numbers, else as text (ISO
// dates and times sort as text).
bool later(const std::string &a, const std::string &b) {
  long long x = 0, y = 0;
  const bool a_number = !a.empty() && std::from_chars(a.data(), a.data() + a.size(), x).ptr == a.data() + a.size();
  const bool b_number = !b.empty() && std::from_chars(b.data(), b.data() + b.size(), y).ptr == b.data() + b.size();
  return a_number && b_number ? x > y : a > b;
}

void open_session(soci::session &sql, const std::string &backend, const std::string &connection) {
  if (backend == "sqlite") {
    sql.open(soci::sqlite3, connection);
  } else if (backend == "postgresql") {
    sql.open(soci::postgresql, connection);
  } else if (backend == "odbc") {
    sql.open("odbc", connection); // SOCI loads libsoci_odbc by name (docs/integrators/adapter-guide.md)
  } else {
    throw std::invalid_argument("crm.backend: must be sqlite, postgresql or odbc");
  }
}

} // namespace

std::string read_watermark(const std::filesystem::path &state_file, const std::string &initial) {
  std::ifstream in(state_file);
  std::string value;
  if (!in || !std::getline(in, value) || value.empty()) {
    return initial;
  }
  return value;
}

void write_watermark(const std::filesystem::path &state_file, const std::string &watermark) {
  const std::filesystem::path temporary = state_file.string() + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) {
    throw std::runtime_error("cannot write the watermark file " + temporary.string());
  }
  const std::string line = watermark + "\n";
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written || std::rename(temporary.c_str(), state_file.c_str()) != 0) {
    throw std::runtime_error("cannot store the watermark in " + state_file.string());
  }
  // The rename itself must reach the disk: flush the folder too.
  const int folder = ::open(state_file.parent_path().empty() ? "." : state_file.parent_path().c_str(), O_RDONLY);
  if (folder >= 0) {
    ::fsync(folder);
    ::close(folder);
  }
}

ParsedBatch parse_crm_source(const std::filesystem::path &mapping_file, const ParseContext &base) {
  ParsedBatch batch;
  batch.source = base.source;
  std::map<std::string, std::string> settings;
  try {
    settings = read_mapping(mapping_file);
  } catch (const Poco::Exception &error) {
    batch.items = 1;
    batch.reject(0, "file", "cannot be read as a mapping: " + error.displayText());
    return batch;
  }
  ParseContext context = base;
  apply_settings(context, "crm", settings);
  batch.source = context.source;
  const RowMapping mapping = RowMapping::from_settings(settings, "crm.");
  const std::string backend = required(settings, "crm.backend");
  const std::string connection = required(settings, "crm.connection");
  const std::string query = required(settings, "crm.query");
  const std::string watermark_column = Poco::toLower(required(settings, "crm.watermark_column"));
  if (query.find(":watermark") == std::string::npos) {
    throw std::invalid_argument("crm.query: must select the rows at or after :watermark");
  }
  std::filesystem::path state_file = required(settings, "crm.state_file");
  if (state_file.is_relative()) {
    state_file = mapping_file.parent_path() / state_file;
  }
  const auto initial = settings.find("crm.watermark_initial");
  std::string watermark = read_watermark(state_file, initial == settings.end() ? "" : initial->second);
  std::string highest = watermark;

  try {
    soci::session sql;
    open_session(sql, backend, connection);
    soci::row row;
    soci::statement statement = (sql.prepare << query, soci::use(watermark, "watermark"), soci::into(row));
    statement.execute();
    std::uint32_t index = 0;
    while (statement.fetch()) {
      std::map<std::string, std::string> cells;
      for (std::size_t i = 0; i < row.size(); ++i) {
        cells[Poco::toLower(row.get_properties(i).get_name())] = cell_text(row, i);
      }
      const CellLookup cell = [&](const std::string &column) -> std::optional<std::string> {
        const auto found = cells.find(Poco::toLower(column));
        return found == cells.end() ? std::nullopt : std::optional<std::string>(found->second);
      };
      ++batch.items;
      const auto mark = cells.find(watermark_column);
      if (mark == cells.end()) {
        throw std::invalid_argument("crm.watermark_column: is not a column of the query's result");
      }
      if (later(mark->second, highest)) {
        highest = mark->second;
      }
      std::string payload;
      for (const auto &[name, value] : cells) {
        payload += name + "=" + value + ";";
      }
      auto mapped = map_row(mapping, cell, index++, context);
      if (auto *signal = std::get_if<OwnedSignal>(&mapped)) {
        batch.signals.push_back(std::move(*signal));
      } else if (auto *rejection = std::get_if<Rejection>(&mapped)) {
        rejection->payload = std::move(payload);
        batch.rejections.push_back(std::move(*rejection));
      } else {
        ++batch.ignored;
      }
    }
  } catch (const soci::soci_error &error) {
    // The database, not the input: nothing of this run is ingested.
    throw std::runtime_error("crm source " + mapping_file.filename().string() + ": " + error.what());
  }
  if (highest != watermark) {
    batch.after_ingest = [state_file, highest] { write_watermark(state_file, highest); };
  }
  return batch;
}

} // namespace hearth::adapters::csv
