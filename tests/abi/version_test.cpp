// version_test.cpp — the ABI version in version.h agrees with the build's, and the entry
// header macro fills what the loader checks.
#include <hearth/plugin.h>

#include <gtest/gtest.h>

namespace {

// HEARTH_EXPECTED_ABI_MAJOR/MINOR come from the CMake variables HEARTH_ABI_MAJOR/MINOR of
// the top-level CMakeLists.txt (see tests/abi/CMakeLists.txt).
TEST(AbiVersion, HeaderMajorEqualsCMakeMajor) {
  EXPECT_EQ(HEARTH_ABI_MAJOR, static_cast<unsigned>(HEARTH_EXPECTED_ABI_MAJOR))
      << "version.h and CMakeLists.txt disagree on the ABI major";
}

TEST(AbiVersion, HeaderMinorEqualsCMakeMinor) {
  EXPECT_EQ(HEARTH_ABI_MINOR, static_cast<unsigned>(HEARTH_EXPECTED_ABI_MINOR))
      << "version.h and CMakeLists.txt disagree on the ABI minor";
}

TEST(AbiVersion, EntryHeaderMacroFillsTheCheckedFields) {
  const hearth_plugin_entry entry = {HEARTH_PLUGIN_ENTRY_HEADER, nullptr, nullptr, nullptr,
                                     nullptr};
  EXPECT_EQ(entry.struct_size, sizeof(hearth_plugin_entry));
  EXPECT_EQ(entry.magic, 0x48525448u);
  EXPECT_EQ(entry.abi_major, HEARTH_ABI_MAJOR);
  EXPECT_EQ(entry.abi_minor, HEARTH_ABI_MINOR);
  EXPECT_EQ(entry.pointer_size, sizeof(void *));
  EXPECT_EQ(entry.reserved, 0u);
}

TEST(AbiVersion, MagicSpellsHrth) {
  const char spelled[] = {static_cast<char>((HEARTH_PLUGIN_MAGIC >> 24) & 0xffu),
                          static_cast<char>((HEARTH_PLUGIN_MAGIC >> 16) & 0xffu),
                          static_cast<char>((HEARTH_PLUGIN_MAGIC >> 8) & 0xffu),
                          static_cast<char>(HEARTH_PLUGIN_MAGIC & 0xffu), '\0'};
  EXPECT_STREQ(spelled, "HRTH");
}

} // namespace
