// Precompiled for the GoogleTest suites (build speed only). See
// cmake/HearthPrecompiled.cmake.
#include "runtime.hpp"

#include <gtest/gtest.h>
