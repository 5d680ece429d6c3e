# Precompiled headers for the heavy C++ targets. On the 2-core CI machine most of the build
# time is spent parsing the same Poco, spdlog and GoogleTest headers again and again.
# hearth_precompile(TARGET [TESTS]): C++ sources of TARGET get cmake/pch/runtime.hpp (or
# tests.hpp with TESTS) precompiled; C sources are left alone.
#
# The GoogleTest suites all share ONE precompiled tests.hpp, built once by the
# program hearth_test_pch (REUSE_FROM): with a header per suite, 35 suites spent about
# 12 s each precompiling the same text, a seventh of CI's build. A suite whose flags make
# the shared header unusable (GCC checks, e.g., the sanitizer options) still builds: GCC
# then reads the header's text instead, as without precompiling.
option(HEARTH_PRECOMPILED_HEADERS "Precompile common headers to build faster" ON)
function(hearth_precompile target)
  cmake_parse_arguments(ARG "TESTS" "" "" ${ARGN})
  if(NOT HEARTH_PRECOMPILED_HEADERS)
    return()
  endif()
  if(ARG_TESTS)
    if(NOT TARGET hearth_test_pch)
      # An executable, as the suites are: GCC refuses a header precompiled with -fPIC
      # (a library's) in a -fPIE compilation (an executable's).
      add_executable(hearth_test_pch ${PROJECT_SOURCE_DIR}/cmake/pch/tests.cpp)
      target_link_libraries(hearth_test_pch PRIVATE hearth_test_support GTest::gtest hearth_warnings
        Poco::JSON spdlog::spdlog)
      target_precompile_headers(hearth_test_pch PRIVATE
        "$<$<COMPILE_LANGUAGE:CXX>:${PROJECT_SOURCE_DIR}/cmake/pch/tests.hpp>")
    endif()
    target_precompile_headers(${target} REUSE_FROM hearth_test_pch)
    return()
  endif()
  target_precompile_headers(${target} PRIVATE
    "$<$<COMPILE_LANGUAGE:CXX>:${PROJECT_SOURCE_DIR}/cmake/pch/runtime.hpp>")
endfunction()
