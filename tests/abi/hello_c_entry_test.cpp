// hello_c_entry_test.cpp — the C example plugin as a loader first sees it: dlopen() the
// real module, look up its one symbol, negotiate versions, read the descriptor, and call
// what may be called without a host. (Running it inside the runtime is tested by
// tests/python/ctypes_smoke.py and the runtime tests.)
#include <hearth/plugin.h>
#include <hearth/query.h>

#include <dlfcn.h>
#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <vector>

namespace {

// The module file, from $<TARGET_FILE:hearth_hello_c>.
constexpr const char *kModulePath = HEARTH_HELLO_C_MODULE;

// A dlopen()ed module, closed on destruction.
class LoadedModule {
public:
  explicit LoadedModule(const char *path) : handle_(dlopen(path, RTLD_NOW | RTLD_LOCAL)) {}
  ~LoadedModule() {
    if (handle_ != nullptr) {
      dlclose(handle_);
    }
  }
  LoadedModule(const LoadedModule &) = delete;
  LoadedModule &operator=(const LoadedModule &) = delete;

  void *handle() const { return handle_; }

  // The entry function, or nullptr when the symbol is missing.
  hearth_get_plugin_entry_fn entry_function() const {
    return reinterpret_cast<hearth_get_plugin_entry_fn>(
        dlsym(handle_, HEARTH_PLUGIN_ENTRY_SYMBOL));
  }

private:
  void *handle_;
};

// A sink's write(): appends to the std::string in `user_data`.
void collect(void *user_data, const char *data, uint64_t size) {
  static_cast<std::string *>(user_data)->append(data, static_cast<std::size_t>(size));
}

class HelloCEntry : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_NE(module_.handle(), nullptr) << "dlopen(" << kModulePath << "): " << dlerror();
    get_entry_ = module_.entry_function();
    ASSERT_NE(get_entry_, nullptr) << "no " << HEARTH_PLUGIN_ENTRY_SYMBOL << " in "
                                   << kModulePath;
  }

  LoadedModule module_{kModulePath};
  hearth_get_plugin_entry_fn get_entry_ = nullptr;
};

TEST_F(HelloCEntry, AnswersTheHostsAbiWithAValidEntry) {
  const hearth_plugin_entry *entry = get_entry_(HEARTH_ABI_MAJOR, HEARTH_ABI_MINOR);
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->struct_size, sizeof(hearth_plugin_entry));
  EXPECT_EQ(entry->magic, HEARTH_PLUGIN_MAGIC);
  EXPECT_EQ(entry->abi_major, HEARTH_ABI_MAJOR);
  EXPECT_EQ(entry->abi_minor, HEARTH_ABI_MINOR);
  EXPECT_EQ(entry->pointer_size, sizeof(void *));
  EXPECT_EQ(entry->reserved, 0u);
  EXPECT_NE(entry->init, nullptr);
  EXPECT_NE(entry->deinit, nullptr);
  EXPECT_NE(entry->get_factory, nullptr);
}

TEST_F(HelloCEntry, AcceptsANewerMinorOfTheSameMajor) {
  EXPECT_NE(get_entry_(HEARTH_ABI_MAJOR, HEARTH_ABI_MINOR + 7u), nullptr);
}

TEST_F(HelloCEntry, RefusesAnotherMajor) {
  EXPECT_EQ(get_entry_(HEARTH_ABI_MAJOR + 1u, 0u), nullptr);
  EXPECT_EQ(get_entry_(HEARTH_ABI_MAJOR - 1u, 99u), nullptr);
}

TEST_F(HelloCEntry, DescribesItselfAsSpecified) {
  const hearth_plugin_descriptor *descriptor =
      get_entry_(HEARTH_ABI_MAJOR, HEARTH_ABI_MINOR)->descriptor;
  ASSERT_NE(descriptor, nullptr);
  EXPECT_EQ(descriptor->struct_size, sizeof(hearth_plugin_descriptor));
  EXPECT_EQ(descriptor->kind, static_cast<uint32_t>(HEARTH_PLUGIN_KIND_OTHER));
  EXPECT_STREQ(descriptor->id, "nl.hearth.example.hello-c");
  EXPECT_STREQ(descriptor->name, "Hello (C example)");
  EXPECT_STREQ(descriptor->vendor, "Hearth");
  EXPECT_STREQ(descriptor->version, "1.0.0");
  ASSERT_NE(descriptor->features, nullptr);
  std::vector<std::string> features;
  for (const char *const *feature = descriptor->features; *feature != nullptr; ++feature) {
    features.emplace_back(*feature);
  }
  EXPECT_EQ(features, std::vector<std::string>{"nl.hearth.example"});
  EXPECT_EQ(descriptor->dependencies, nullptr);
}

TEST_F(HelloCEntry, OffersOnlyTheQueryFactory) {
  const hearth_plugin_entry *entry = get_entry_(HEARTH_ABI_MAJOR, HEARTH_ABI_MINOR);
  const auto *handler =
      static_cast<const hearth_query_handler *>(entry->get_factory(HEARTH_QUERY_FACTORY_ID));
  ASSERT_NE(handler, nullptr);
  EXPECT_EQ(handler->struct_size, sizeof(hearth_query_handler));
  EXPECT_NE(handler->query, nullptr);
  EXPECT_EQ(entry->get_factory("nl.hearth.no-such-factory/1"), nullptr);
  EXPECT_EQ(entry->get_factory(nullptr), nullptr);
}

TEST_F(HelloCEntry, QueryBeforeInitReportsStateWithAReason) {
  const hearth_plugin_entry *entry = get_entry_(HEARTH_ABI_MAJOR, HEARTH_ABI_MINOR);
  const auto *handler =
      static_cast<const hearth_query_handler *>(entry->get_factory(HEARTH_QUERY_FACTORY_ID));
  std::string answer;
  const hearth_text_sink sink = {sizeof(hearth_text_sink), 0u, &answer, collect};
  EXPECT_EQ(handler->query("echo", "{}", &sink), HEARTH_ERROR_STATE);
  EXPECT_NE(answer.find("not running"), std::string::npos) << answer;
}

TEST_F(HelloCEntry, DeinitWithoutInitIsHarmlessAndRepeatable) {
  const hearth_plugin_entry *entry = get_entry_(HEARTH_ABI_MAJOR, HEARTH_ABI_MINOR);
  entry->deinit();
  entry->deinit();
  SUCCEED();
}

TEST_F(HelloCEntry, InitWithoutHostIsRefused) {
  const hearth_plugin_entry *entry = get_entry_(HEARTH_ABI_MAJOR, HEARTH_ABI_MINOR);
  EXPECT_EQ(entry->init(nullptr), HEARTH_ERROR_INVALID_ARGUMENT);
}

TEST_F(HelloCEntry, InitRefusesAHostTableShorterThanAbi10) {
  const hearth_plugin_entry *entry = get_entry_(HEARTH_ABI_MAJOR, HEARTH_ABI_MINOR);
  hearth_host short_host{};
  short_host.struct_size = static_cast<uint32_t>(offsetof(hearth_host, log));
  short_host.abi_major = HEARTH_ABI_MAJOR;
  EXPECT_EQ(entry->init(&short_host), HEARTH_ERROR_VERSION);
  entry->deinit();
}

} // namespace
