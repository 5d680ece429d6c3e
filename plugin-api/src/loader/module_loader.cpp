#include "loader/module_loader.hpp"

#include <cerrno>
#include <dlfcn.h>
#include <cstddef>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include <boost/dll/shared_library_load_mode.hpp>

#include "hearth/status.h"

namespace hearth::loader {
namespace {

// An ABI 1.0 entry reaches through get_factory; an ABI 1.0 descriptor through
// dependencies. Anything shorter cannot be read safely.
constexpr std::uint32_t kMinimumEntrySize =
    offsetof(hearth_plugin_entry, get_factory) + sizeof(void *);
constexpr std::uint32_t kMinimumDescriptorSize =
    offsetof(hearth_plugin_descriptor, dependencies) + sizeof(void *);

std::string version_text(std::uint32_t major, std::uint32_t minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

class RefusalBuilder {
public:
  RefusalBuilder(const std::filesystem::path &path, std::uint32_t host_major, std::uint32_t host_minor)
      : path_(path), host_(version_text(host_major, host_minor)) {}

  Refusal refuse(std::int32_t status, const std::string &cause) const {
    Refusal refusal;
    refusal.status = status;
    refusal.abi_major = plugin_major_;
    refusal.abi_minor = plugin_minor_;
    refusal.descriptor = descriptor_;
    const std::string plugin = plugin_major_ == 0 ? std::string("unknown")
                                                  : version_text(plugin_major_, plugin_minor_);
    refusal.message = path_.string() + ": " + cause + " (plugin ABI " + plugin + ", host ABI " + host_ + ")";
    return refusal;
  }
  void set_plugin_version(std::uint32_t major, std::uint32_t minor) {
    plugin_major_ = major;
    plugin_minor_ = minor;
  }
  void set_descriptor(const DescriptorCopy &descriptor) { descriptor_ = descriptor; }

private:
  std::filesystem::path path_;
  std::string host_;
  std::uint32_t plugin_major_ = 0, plugin_minor_ = 0;
  DescriptorCopy descriptor_;
};

std::string copy_text(const char *text) { return text != nullptr ? std::string(text) : std::string(); }

std::vector<std::string> copy_list(const char *const *list) {
  std::vector<std::string> out;
  for (std::size_t i = 0; list != nullptr && list[i] != nullptr && i < 1024; ++i) {
    out.emplace_back(list[i]);
  }
  return out;
}

// Reads the first bytes; returns an empty string when fine, else the cause.
std::string check_file(const std::filesystem::path &path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    return "the file does not exist";
  }
  if (!std::filesystem::is_regular_file(status)) {
    return "is not a regular file";
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return std::string("cannot be read: ") + std::strerror(errno);
  }
  unsigned char magic[4] = {0, 0, 0, 0};
  const ssize_t got = ::read(fd, magic, sizeof magic);
  ::close(fd);
  if (got != static_cast<ssize_t>(sizeof magic) || magic[0] != 0x7f || magic[1] != 'E' ||
      magic[2] != 'L' || magic[3] != 'F') {
    return "is not a shared library (no ELF header)";
  }
  return {};
}

} // namespace

bool is_valid_plugin_id(const std::string &id) {
  if (id.empty() || id.size() > 128 || id.front() == '.' || id.back() == '.') {
    return false;
  }
  bool has_dot = false;
  char previous = '\0';
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    if (!ok || (c == '.' && previous == '.')) {
      return false;
    }
    has_dot = has_dot || c == '.';
    previous = c;
  }
  return has_dot;
}

const char *kind_name(std::uint32_t kind) {
  switch (kind) {
  case HEARTH_PLUGIN_KIND_SCORER: return "scorer";
  case HEARTH_PLUGIN_KIND_WORKFLOW: return "workflow";
  case HEARTH_PLUGIN_KIND_DASHBOARD: return "dashboard";
  case HEARTH_PLUGIN_KIND_ADAPTER: return "adapter";
  default: return "other";
  }
}

LoadOutcome load_module(const std::filesystem::path &path, std::uint32_t host_major,
                        std::uint32_t host_minor) {
  RefusalBuilder refusal(path, host_major, host_minor);
  if (const auto cause = check_file(path); !cause.empty()) {
    return refusal.refuse(HEARTH_ERROR_IO, cause);
  }

  auto module = std::make_unique<AcceptedModule>();
  module->path = path;
  boost::dll::fs::error_code ec;
  // rtld_now: a missing symbol fails here, not at the first call. rtld_local keeps one
  // plugin's symbols from resolving another's.
  module->library.load(boost::dll::fs::path(path.string()), ec,
                       boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  if (ec) {
    const char *detail = ::dlerror();
    return refusal.refuse(HEARTH_ERROR_IO, std::string("could not be loaded: ") +
                                               (detail != nullptr ? detail : ec.message()));
  }
  if (!module->library.has(HEARTH_PLUGIN_ENTRY_SYMBOL)) {
    return refusal.refuse(HEARTH_ERROR_NOT_FOUND,
                          "does not export " HEARTH_PLUGIN_ENTRY_SYMBOL "(): not a Hearth plugin");
  }
  auto get_entry = module->library.get<const hearth_plugin_entry *(std::uint32_t, std::uint32_t)>(
      HEARTH_PLUGIN_ENTRY_SYMBOL);

  const hearth_plugin_entry *entry = nullptr;
  try {
    entry = get_entry(host_major, host_minor);
  } catch (...) {
    return refusal.refuse(HEARTH_ERROR_PLUGIN, "its entry function threw an exception");
  }
  if (entry == nullptr) {
    return refusal.refuse(HEARTH_ERROR_VERSION,
                          "its entry function returned NULL: the plugin supports no ABI the host offers");
  }
  if (entry->struct_size < offsetof(hearth_plugin_entry, pointer_size)) {
    return refusal.refuse(HEARTH_ERROR_VERSION,
                          "entry struct_size " + std::to_string(entry->struct_size) +
                              " is too small to hold a version");
  }
  if (entry->magic != HEARTH_PLUGIN_MAGIC) {
    return refusal.refuse(HEARTH_ERROR_VERSION, "entry has the wrong magic number: not a Hearth plugin entry");
  }
  refusal.set_plugin_version(entry->abi_major, entry->abi_minor);
  if (entry->abi_major != host_major) {
    return refusal.refuse(HEARTH_ERROR_VERSION,
                          "built for another major ABI version; rebuild it against Hearth " +
                              std::to_string(host_major) + ".x");
  }
  if (entry->abi_minor > host_minor) {
    return refusal.refuse(HEARTH_ERROR_VERSION,
                          "built for a newer minor ABI version than this host; upgrade Hearth");
  }
  if (entry->struct_size < kMinimumEntrySize) {
    return refusal.refuse(HEARTH_ERROR_VERSION,
                          "entry struct_size " + std::to_string(entry->struct_size) +
                              " is smaller than the ABI 1.0 entry (" +
                              std::to_string(kMinimumEntrySize) + ")");
  }
  if (entry->pointer_size != sizeof(void *)) {
    return refusal.refuse(HEARTH_ERROR_VERSION,
                          "built for " + std::to_string(entry->pointer_size * 8) +
                              "-bit pointers, the host uses " + std::to_string(sizeof(void *) * 8));
  }
  std::memcpy(&module->entry, entry, std::min<std::size_t>(entry->struct_size, sizeof(hearth_plugin_entry)));
  module->entry.struct_size = sizeof(hearth_plugin_entry);
  module->abi_major = entry->abi_major;
  module->abi_minor = entry->abi_minor;

  const hearth_plugin_descriptor *descriptor = module->entry.descriptor;
  if (descriptor == nullptr) {
    return refusal.refuse(HEARTH_ERROR_INVALID_ARGUMENT, "entry has no descriptor");
  }
  if (descriptor->struct_size < kMinimumDescriptorSize) {
    return refusal.refuse(HEARTH_ERROR_VERSION,
                          "descriptor struct_size " + std::to_string(descriptor->struct_size) +
                              " is smaller than the ABI 1.0 descriptor (" +
                              std::to_string(kMinimumDescriptorSize) + ")");
  }
  DescriptorCopy copy;
  copy.kind = descriptor->kind;
  copy.id = copy_text(descriptor->id);
  copy.name = copy_text(descriptor->name);
  copy.vendor = copy_text(descriptor->vendor);
  copy.version = copy_text(descriptor->version);
  copy.description = copy_text(descriptor->description);
  copy.features = copy_list(descriptor->features);
  copy.dependencies = copy_list(descriptor->dependencies);
  refusal.set_descriptor(copy);
  for (const auto &[field, value] : {std::pair{"id", &copy.id}, {"name", &copy.name},
                                     {"vendor", &copy.vendor}, {"version", &copy.version}}) {
    if (value->empty()) {
      return refusal.refuse(HEARTH_ERROR_INVALID_ARGUMENT,
                            std::string("descriptor.") + field + " is missing");
    }
  }
  if (!is_valid_plugin_id(copy.id)) {
    return refusal.refuse(HEARTH_ERROR_INVALID_ARGUMENT,
                          "descriptor.id '" + copy.id +
                              "' is not a reverse-DNS id (lower-case letters, digits, '-', '.')");
  }
  if (module->entry.init == nullptr || module->entry.deinit == nullptr) {
    return refusal.refuse(HEARTH_ERROR_INVALID_ARGUMENT, "entry lacks init or deinit");
  }
  module->descriptor = std::move(copy);
  return module;
}

} // namespace hearth::loader
