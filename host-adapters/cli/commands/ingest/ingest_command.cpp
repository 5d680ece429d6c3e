#include "ingest_command.hpp"

#include <filesystem>
#include <iostream>
#include <map>
#include <optional>

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Util/IniFileConfiguration.h>

#include <hearth/host.h>

#include "adapter_common/ingest_driver.hpp"
#include "adapter_common/progress.hpp"
#include "cli_errors.hpp"
#include "command_actor.hpp"
#include "hearth_text.hpp"
#include "runtime_session.hpp"

namespace hearth::cli {
namespace {

// Collects every leaf key under `prefix` of `ini` ("" for the root) into `settings`.
void collect_keys(const Poco::Util::AbstractConfiguration &ini, const std::string &prefix,
                  std::map<std::string, std::string> &settings) {
  Poco::Util::AbstractConfiguration::Keys keys;
  ini.keys(prefix, keys);
  for (const auto &key : keys) {
    const std::string full = prefix.empty() ? key : prefix + "." + key;
    if (ini.hasProperty(full)) {
      settings[full] = ini.getString(full);
    }
    collect_keys(ini, full, settings);
  }
}

// Every key of `file` as "<section>.<key>" (section [vera] key source -> "vera.source";
// section [csv.codes] key GELUID -> "csv.codes.GELUID").
std::map<std::string, std::string> read_settings(const std::filesystem::path &file) {
  std::map<std::string, std::string> settings;
  try {
    Poco::AutoPtr<Poco::Util::IniFileConfiguration> ini(new Poco::Util::IniFileConfiguration(file.string()));
    collect_keys(*ini, "", settings);
  } catch (const Poco::Exception &error) {
    throw CommandFailure("cannot read " + file.string() + ": " + error.displayText());
  }
  return settings;
}

// The settings file: --settings, else <config dir>/adapters/<adapter>.ini when it exists.
std::optional<std::filesystem::path> settings_file(const CommandOptions &options, const CommandLine &command_line,
                                                   const std::string &adapter) {
  if (const auto given = options.value("--settings")) {
    return std::filesystem::path(*given);
  }
  if (const auto config = effective_config_dir(command_line)) {
    const auto candidate = std::filesystem::path(*config) / "adapters" / (adapter + ".ini");
    if (std::filesystem::exists(candidate)) {
      return candidate;
    }
  }
  return std::nullopt;
}

std::string list_names(const adapters::AdapterRegistry &registry) {
  std::string out;
  for (const auto &name : registry.names()) {
    out += (out.empty() ? "" : ", ") + name;
  }
  return out;
}

} // namespace

int run_ingest(const CommandLine &command_line, const std::vector<std::string> &arguments) {
  const CommandOptions options = parse_command_options(
      "ingest", arguments, {"--no-progress"},
      {"--adapter", "--source", "--settings", "--user", "--organisation", "--chunk"});
  const auto adapter_name = options.value("--adapter");
  if (!adapter_name) {
    throw UsageError("'ingest' needs --adapter (" + list_names(ingest_adapters()) + ")");
  }
  const adapters::Adapter *adapter = ingest_adapters().find(*adapter_name);
  if (adapter == nullptr) {
    throw UsageError("unknown adapter '" + *adapter_name + "' (" + list_names(ingest_adapters()) + ")");
  }
  if (options.positional.empty()) {
    throw UsageError("'ingest' needs at least one FILE");
  }
  adapters::IngestOptions ingest_options;
  if (const auto chunk = options.value("--chunk")) {
    try {
      ingest_options.chunk_size = static_cast<std::size_t>(std::stoul(*chunk));
    } catch (const std::exception &) {
      throw UsageError("--chunk needs a positive number");
    }
    if (ingest_options.chunk_size == 0) {
      throw UsageError("--chunk needs a positive number");
    }
  }

  adapters::ParseContext context;
  context.source = *adapter_name + ":local";
  if (const auto file = settings_file(options, command_line, *adapter_name)) {
    try {
      adapters::apply_settings(context, *adapter_name, read_settings(*file));
    } catch (const std::invalid_argument &error) {
      throw CommandFailure(file->string() + ": " + error.what());
    }
  }
  if (const auto source = options.value("--source")) {
    if (source->empty()) {
      throw UsageError("--source needs a value");
    }
    context.source = *source;
  }

  const CommandActor system(options, "system", "cli-ingest");
  RuntimeSession runtime(effective_config_dir(command_line));
  context.now_ms = hearth_runtime_now_ms(runtime.handle());
  context.read = [&](const std::string &view, const std::string &args, std::string &answer) {
    HearthText result, error;
    const std::int32_t status =
        hearth_runtime_read(runtime.handle(), system.get(), view.c_str(), args.c_str(), result.out(), error.out());
    answer = status == HEARTH_OK ? result.str() : failure_message(status, error);
    return status;
  };

  adapters::RuntimeTarget target(runtime.handle(), system.get());
  const bool terminal = !options.has("--no-progress") && adapters::ProgressReporter::stderr_is_terminal();
  adapters::ProgressReporter progress(std::cerr, terminal, 0);
  adapters::IngestSummary total;
  for (const auto &file : options.positional) {
    const adapters::ParsedBatch batch = adapters::parse_file(*adapter, file, context);
    progress.begin(std::filesystem::path(file).filename().string(), batch.items);
    ingest_options.progress = [&](std::uint64_t done) { progress.update(done); };
    adapters::IngestSummary summary;
    try {
      summary = adapters::ingest_batch(target, batch, ingest_options);
    } catch (const adapters::IngestFailure &failure) {
      progress.finish();
      throw CommandFailure(file + ": " + failure.what() + " (what was stored before stays; ingesting again is safe)");
    }
    progress.update(batch.items);
    progress.finish();
    if (batch.after_ingest) {
      try {
        batch.after_ingest();
      } catch (const std::exception &failure) {
        throw CommandFailure(file + ": ingested, but " + failure.what() + " (the next run reads these rows again)");
      }
    }
    for (const auto &problem : summary.problems) {
      std::cerr << file << ": refused " << problem << '\n';
    }
    total.add(summary);
  }
  std::cout << "accepted " << total.accepted << ", duplicate " << total.duplicates << ", rejected " << total.rejected
            << (total.denied > 0 ? ", denied by the policy " + std::to_string(total.denied) : std::string())
            << ", ignored " << total.ignored << ", records " << total.records << " (" << total.items
            << " input records from " << options.positional.size() << " file"
            << (options.positional.size() == 1 ? "" : "s") << ")\n";
  return total.rejected == 0 && total.denied == 0 ? exit_success : exit_failure;
}

} // namespace hearth::cli
